"""Creating and changing a key's allowed_ips and expires_at, as the API shows them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import create_account


def _in(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def test_a_key_without_restrictions_shows_nulls(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    body = (await client.post("/v1/api-keys", headers=account.headers, json={})).json()
    assert body["allowed_ips"] is None
    assert body["expires_at"] is None


async def test_create_with_restrictions_normalises_and_shows_them(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    expires = datetime.now(UTC) + timedelta(days=30)
    created = await client.post(
        "/v1/api-keys",
        headers=account.headers,
        json={
            "allowed_ips": ["203.0.113.7", "10.0.0.0/8", "2001:DB8:0::/32", "198.51.100.9/32"],
            "expires_at": expires.isoformat(),
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["allowed_ips"] == ["203.0.113.7", "10.0.0.0/8", "2001:db8::/32", "198.51.100.9"]
    assert datetime.fromisoformat(body["expires_at"]) == expires
    fetched = (await client.get(f"/v1/api-keys/{body['id']}", headers=account.headers)).json()
    assert fetched["allowed_ips"] == body["allowed_ips"]
    assert fetched["expires_at"] == body["expires_at"]


@pytest.mark.parametrize(
    ("value", "param", "message"),
    [
        (["203.0.113.7", "10.0.0.1/8"], "allowed_ips[1]", "host bits set; did you mean 10.0.0.0/8"),
        (["example.com"], "allowed_ips[0]", "not an IPv4 or IPv6 address or CIDR"),
        (["10.0.0.0/33"], "allowed_ips[0]", "not an IPv4 or IPv6 address or CIDR"),
        ([], "allowed_ips", "at least 1"),
        ([f"10.0.0.{i}" for i in range(101)], "allowed_ips", "at most 100"),
        ("10.0.0.0/8", "allowed_ips", "valid list"),
    ],
)
async def test_invalid_allowed_ips_are_refused_naming_the_entry(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    value: object,
    param: str,
    message: str,
) -> None:
    account = await create_account(sessionmaker)
    for response in (
        await client.post("/v1/api-keys", headers=account.headers, json={"allowed_ips": value}),
        await client.patch(
            f"/v1/api-keys/{account.key_id}", headers=account.headers, json={"allowed_ips": value}
        ),
    ):
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "parameter_invalid"
        assert error["param"] == param
        assert message in error["message"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2020-01-01T00:00:00Z", "must be in the future"),
        ("2999-01-01T00:00:00", "timezone"),
        ("tomorrow", "datetime"),
    ],
)
async def test_expires_at_must_be_a_future_time_with_a_timezone(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    value: str,
    message: str,
) -> None:
    account = await create_account(sessionmaker)
    for response in (
        await client.post("/v1/api-keys", headers=account.headers, json={"expires_at": value}),
        await client.patch(
            f"/v1/api-keys/{account.key_id}", headers=account.headers, json={"expires_at": value}
        ),
    ):
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["param"] == "expires_at"
        assert message in error["message"]


async def test_patch_sets_and_clears_restrictions(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    key = (await client.post("/v1/api-keys", headers=account.headers, json={})).json()
    path = f"/v1/api-keys/{key['id']}"
    changed = await client.patch(
        path,
        headers=account.headers,
        json={"allowed_ips": ["192.0.2.0/24"], "expires_at": _in(3600)},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["allowed_ips"] == ["192.0.2.0/24"]
    assert changed.json()["expires_at"] is not None
    # A rename leaves them alone; null clears them.
    renamed = (await client.patch(path, headers=account.headers, json={"name": "x"})).json()
    assert renamed["allowed_ips"] == ["192.0.2.0/24"]
    cleared = await client.patch(
        path, headers=account.headers, json={"allowed_ips": None, "expires_at": None}
    )
    assert cleared.json()["allowed_ips"] is None
    assert cleared.json()["expires_at"] is None


async def test_another_accounts_key_cannot_be_restricted(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mine = await create_account(sessionmaker, name="mine")
    theirs = await create_account(sessionmaker, name="theirs")
    response = await client.patch(
        f"/v1/api-keys/{theirs.key_id}",
        headers=mine.headers,
        json={"allowed_ips": ["192.0.2.1"], "expires_at": _in(3600)},
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "resource_missing"
    # Their key still works from anywhere.
    assert (await client.get("/v1/account", headers=theirs.headers)).status_code == 200
