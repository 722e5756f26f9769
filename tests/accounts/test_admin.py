from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.config import Settings
from tests.conftest import ADMIN_TOKEN, running
from tests.factories import create_account

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


async def test_create_account_returns_a_working_first_key(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/admin/accounts",
        headers=ADMIN,
        json={"name": "Initech", "email": "ops@initech.example", "default_rate_limit": "50/second"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("acct_")
    assert body["default_rate_limit"] == "50/second"
    key = body["api_key"]
    assert key["mode"] == "test"
    assert key["secret"].startswith("gw_test_")

    me = await client.get("/v1/account", headers={"Authorization": f"Bearer {key['secret']}"})
    assert me.status_code == 200
    assert me.json()["id"] == body["id"]
    assert me.headers["x-ratelimit-limit"] == "50"

    fetched = await client.get(f"/admin/accounts/{body['id']}", headers=ADMIN)
    assert fetched.json()["name"] == "Initech"
    listed = await client.get("/admin/accounts", headers=ADMIN)
    assert [a["id"] for a in listed.json()["data"]] == [body["id"]]


async def test_live_first_key_and_validation(client: httpx.AsyncClient) -> None:
    live = await client.post(
        "/admin/accounts", headers=ADMIN, json={"name": "Live Co", "api_key": {"mode": "live"}}
    )
    assert live.json()["api_key"]["secret"].startswith("gw_live_")
    bad_email = await client.post(
        "/admin/accounts", headers=ADMIN, json={"name": "x", "email": "not-an-email"}
    )
    assert bad_email.status_code == 422
    assert bad_email.json()["error"]["param"] == "email"
    bad_limit = await client.post(
        "/admin/accounts", headers=ADMIN, json={"name": "x", "default_rate_limit": "often"}
    )
    assert bad_limit.status_code == 422
    assert bad_limit.json()["error"]["param"] == "default_rate_limit"


async def test_admin_needs_the_admin_token(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    for headers, code in (
        ({}, "missing_admin_token"),
        ({"Authorization": "Bearer wrong"}, "invalid_admin_token"),
        (account.headers, "invalid_admin_token"),  # an API key is not the admin token
    ):
        response = await client.get("/admin/accounts", headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == code


async def test_admin_api_is_off_without_a_token(settings: Settings) -> None:
    async with running(create_app(settings.model_copy(update={"admin_token": None}))) as client:
        response = await client.get("/admin/accounts", headers=ADMIN)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "admin_api_disabled"


async def test_default_rate_limit_change_applies_to_cached_keys(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    assert (await client.get("/v1/account", headers=account.headers)).headers[
        "x-ratelimit-limit"
    ] == "1000"
    patched = await client.patch(
        f"/admin/accounts/{account.id}", headers=ADMIN, json={"default_rate_limit": "5/hour"}
    )
    assert patched.status_code == 200
    assert (await client.get("/v1/account", headers=account.headers)).headers[
        "x-ratelimit-limit"
    ] == "5"


async def test_unknown_account_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/admin/accounts/acct_missing", headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "resource_missing"
