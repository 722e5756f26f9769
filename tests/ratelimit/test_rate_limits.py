from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from tests.conftest import ADMIN_TOKEN
from tests.factories import create_account, create_api_key

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


async def test_headers_on_every_authenticated_response(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    key = await create_api_key(sessionmaker, account.id, rate_limit="10/hour")
    first = await client.get("/v1/account", headers=key.headers)
    assert first.headers["ratelimit-policy"] == '"api-key";q=10;w=3600'
    assert first.headers["x-ratelimit-limit"] == "10"
    assert first.headers["x-ratelimit-remaining"] == "9"
    assert first.headers["ratelimit"].startswith('"api-key";r=9;t=')
    second = await client.get("/v1/api-keys/key_doesnotexist", headers=key.headers)
    assert second.status_code == 404
    assert second.headers["x-ratelimit-remaining"] == "8"  # errors carry them too
    assert int(second.headers["x-ratelimit-reset"]) > 0


async def test_keys_are_limited_independently(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    slow = await create_api_key(sessionmaker, account.id, rate_limit="3/hour")
    fast = await create_api_key(sessionmaker, account.id, rate_limit="5/hour")

    for _ in range(3):
        assert (await client.get("/v1/account", headers=slow.headers)).status_code == 200
    limited = await client.get("/v1/account", headers=slow.headers)
    assert limited.status_code == 429
    error = limited.json()["error"]
    assert error["type"] == "rate_limit_error"
    assert error["code"] == "rate_limit_exceeded"
    assert 1 <= int(limited.headers["retry-after"]) <= 3600
    assert limited.headers["x-ratelimit-remaining"] == "0"

    # The other key of the same account still has its own, larger budget.
    for expected_remaining in (4, 3, 2, 1, 0):
        response = await client.get("/v1/account", headers=fast.headers)
        assert response.status_code == 200
        assert response.headers["x-ratelimit-remaining"] == str(expected_remaining)
    assert (await client.get("/v1/account", headers=fast.headers)).status_code == 429


async def test_limit_falls_back_to_account_default_then_setting(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    with_default = await create_account(sessionmaker, default_rate_limit="42/hour")
    response = await client.get("/v1/account", headers=with_default.headers)
    assert response.headers["ratelimit-policy"] == '"api-key";q=42;w=3600'

    plain = await create_account(sessionmaker)
    response = await client.get("/v1/account", headers=plain.headers)
    assert response.headers["x-ratelimit-limit"] == "1000"  # the test settings' default


async def test_a_plans_rate_limit_applies_to_its_keys_and_follows_its_edits(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker, mode=KeyMode.live)
    test_key = await create_api_key(sessionmaker, account.id, mode=KeyMode.test)
    own = await create_api_key(sessionmaker, account.id, rate_limit="7/hour", mode=KeyMode.live)
    plan = await client.post(
        "/admin/plans", headers=ADMIN, json={"name": "Metered", "rate_limit": "20/minute"}
    )
    assert plan.status_code == 201, plan.text
    # Cached by this process with the settings' default first: the move must reach it.
    assert (await client.get("/v1/account", headers=account.headers)).headers[
        "x-ratelimit-limit"
    ] == "1000"
    moved = await client.patch(
        f"/admin/accounts/{account.id}", headers=ADMIN, json={"plan_id": plan.json()["id"]}
    )
    assert moved.status_code == 200, moved.text
    response = await client.get("/v1/account", headers=account.headers)
    assert response.headers["ratelimit-policy"] == '"api-key";q=20;w=60'
    # Test mode is not the plan's: its keys keep the operator's default.
    response = await client.get("/v1/account", headers=test_key.headers)
    assert response.headers["x-ratelimit-limit"] == "1000"
    # A key's own limit comes first.
    response = await client.get("/v1/account", headers=own.headers)
    assert response.headers["ratelimit-policy"] == '"api-key";q=7;w=3600'

    edited = await client.patch(
        f"/admin/plans/{plan.json()['id']}", headers=ADMIN, json={"rate_limit": "30/minute"}
    )
    assert edited.status_code == 200, edited.text
    response = await client.get("/v1/account", headers=account.headers)
    assert response.headers["ratelimit-policy"] == '"api-key";q=30;w=60'


async def test_update_rate_limit_and_reject_nonsense(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    bad = await client.patch(
        f"/v1/api-keys/{account.key_id}", headers=account.headers, json={"rate_limit": "lots"}
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["param"] == "rate_limit"

    created = await client.post(
        "/v1/api-keys", headers=account.headers, json={"rate_limit": "fast please"}
    )
    assert created.status_code == 422
    assert created.json()["error"]["param"] == "rate_limit"

    ok = await client.patch(
        f"/v1/api-keys/{account.key_id}", headers=account.headers, json={"rate_limit": "2/hour"}
    )
    assert ok.status_code == 200
    assert ok.json()["rate_limit"] == "2/hour"
    assert (await client.get("/v1/account", headers=account.headers)).status_code == 200
    assert (await client.get("/v1/account", headers=account.headers)).status_code == 200
    assert (await client.get("/v1/account", headers=account.headers)).status_code == 429

    cleared = await client.patch(
        f"/v1/api-keys/{account.key_id}", headers=account.headers, json={"rate_limit": None}
    )
    # Rate limited: the PATCH itself is refused until the window passes.
    assert cleared.status_code == 429
