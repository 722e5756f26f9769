"""An account's retention: read with the account, set by the account (a live key with
``account: write``) or by the operator, within the operator's maximum."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.auth.keys import KeyMode
from tests.conftest import ADMIN_TOKEN, make_settings, running
from tests.factories import TestAccount, create_account, create_api_key

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
DEFAULTS = {
    "messages_days": 90,
    "events_days": 30,
    "webhook_deliveries_days": 30,
    "maximum_days": None,
}


@pytest.fixture
async def live(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    account = await create_account(sessionmaker, mode=KeyMode.live)
    return account


async def retention(client: httpx.AsyncClient, account: TestAccount) -> dict[str, Any]:
    response = await client.get("/v1/account", headers=account.headers)
    assert response.status_code == 200, response.text
    shown: dict[str, Any] = response.json()["retention"]
    return shown


async def set_retention(
    client: httpx.AsyncClient, account: TestAccount, **days: int | None
) -> httpx.Response:
    return await client.patch("/v1/account", headers=account.headers, json={"retention": days})


async def test_the_account_shows_the_operators_defaults(
    client: httpx.AsyncClient, live: TestAccount
) -> None:
    assert await retention(client, live) == DEFAULTS


async def test_an_account_sets_its_own_days_and_resets_them(
    client: httpx.AsyncClient,
    live: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    other = await create_account(sessionmaker, name="Other", mode=KeyMode.live)
    assert await retention(client, live) == DEFAULTS  # cached with the key from here on

    response = await set_retention(client, live, messages_days=7, webhook_deliveries_days=400)
    assert response.status_code == 200, response.text
    expected = {**DEFAULTS, "messages_days": 7, "webhook_deliveries_days": 400}
    assert response.json()["retention"] == expected
    assert await retention(client, live) == expected  # not the cached account
    assert await retention(client, other) == DEFAULTS

    # Omitted kinds keep their setting; null goes back to the operator's default.
    reset = await set_retention(client, live, messages_days=None)
    assert reset.status_code == 200
    assert await retention(client, live) == {**DEFAULTS, "webhook_deliveries_days": 400}


@pytest.mark.parametrize(
    ("retention_body", "param"),
    [
        ({"messages_days": 0}, "retention.messages_days"),
        ({"events_days": -3}, "retention.events_days"),
        ({"webhook_deliveries_days": "long"}, "retention.webhook_deliveries_days"),
        ({"messages_days": 36_501}, "retention.messages_days"),
        ({"media_days": 3}, "retention.media_days"),
    ],
)
async def test_bad_days_are_refused_naming_the_param(
    client: httpx.AsyncClient, live: TestAccount, retention_body: dict[str, Any], param: str
) -> None:
    response = await client.patch(
        "/v1/account", headers=live.headers, json={"retention": retention_body}
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["param"] == param
    assert await retention(client, live) == DEFAULTS


async def test_changing_retention_needs_a_live_key_with_account_write(
    client: httpx.AsyncClient,
    live: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    read_only = await create_api_key(
        sessionmaker, live.id, scopes={"account": "read"}, mode=KeyMode.live
    )
    refused = await set_retention(client, read_only, messages_days=7)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "insufficient_scope"

    test_key = await create_api_key(sessionmaker, live.id, mode=KeyMode.test)
    refused = await set_retention(client, test_key, messages_days=7)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "livemode_required"

    assert await retention(client, live) == DEFAULTS
    assert (await client.get("/v1/account", headers=read_only.headers)).status_code == 200


async def test_the_operator_sets_an_accounts_retention(
    client: httpx.AsyncClient, live: TestAccount
) -> None:
    response = await client.patch(
        f"/admin/accounts/{live.id}", headers=ADMIN, json={"retention": {"events_days": 3}}
    )
    assert response.status_code == 200, response.text
    assert response.json()["retention"]["events_days"] == 3
    assert await retention(client, live) == {**DEFAULTS, "events_days": 3}
    shown = await client.get(f"/admin/accounts/{live.id}", headers=ADMIN)
    assert shown.json()["retention"]["events_days"] == 3

    bad = await client.patch(
        f"/admin/accounts/{live.id}", headers=ADMIN, json={"retention": {"events_days": 0}}
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["param"] == "retention.events_days"


async def test_the_operators_maximum_bounds_every_choice(
    database_url: str,
    redis_url: str,
    data_dir: Path,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    settings = make_settings(database_url, redis_url, data_dir, retention_max_days=60,
                             retention_messages_days=60)  # fmt: skip
    account = await create_account(sessionmaker, mode=KeyMode.live)
    async with running(create_app(settings)) as client:
        expected = {**DEFAULTS, "messages_days": 60, "maximum_days": 60}
        assert await retention(client, account) == expected

        too_long = await set_retention(client, account, events_days=61)
        assert too_long.status_code == 422
        error = too_long.json()["error"]
        assert error["code"] == "retention_above_maximum"
        assert error["param"] == "retention.events_days"
        operator = await client.patch(
            f"/admin/accounts/{account.id}", headers=ADMIN, json={"retention": {"events_days": 90}}
        )
        assert operator.status_code == 422
        assert operator.json()["error"]["param"] == "retention.events_days"

        within = await set_retention(client, account, events_days=60)
        assert within.status_code == 200
        assert await retention(client, account) == {**expected, "events_days": 60}
