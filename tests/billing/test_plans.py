"""Plans through the admin API, and an account's limits as every API process sees them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.billing.plans import limits_for, plan_cache
from gateway.config import Settings
from gateway.kit.state import AppState
from gateway.models import Plan
from tests.conftest import ADMIN_TOKEN, running
from tests.factories import create_account
from tests.waiting import eventually

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


async def create_plan(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await client.post("/admin/plans", headers=ADMIN, json={"name": "Team", **body})
    assert response.status_code == 201, response.text
    plan: dict[str, Any] = response.json()
    return plan


async def plans(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await client.get("/admin/plans", headers=ADMIN, params={"limit": 100})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def state_of(app: Any) -> AppState:
    state: AppState = app.state.gateway
    return state


async def test_a_new_account_is_on_the_default_plan(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    [default] = [p for p in await plans(client) if p["is_default"]]
    assert default["name"] == "Free"
    assert default["stripe_price_id"] is None
    fetched = await client.get(f"/admin/accounts/{account.id}", headers=ADMIN)
    assert fetched.json()["plan_id"] == default["id"]

    team = await create_plan(client, sessions=5)
    created = await client.post(
        "/admin/accounts", headers=ADMIN, json={"name": "Initech", "plan_id": team["id"]}
    )
    assert created.status_code == 201, created.text
    assert created.json()["plan_id"] == team["id"]


async def test_create_retrieve_update_delete(client: httpx.AsyncClient) -> None:
    plan = await create_plan(
        client,
        stripe_price_id="price_team",
        stripe_overage_price_id="price_team_overage",
        rate_limit="20/second",
        messages_per_month=5000,
        overage_allowed=True,
        sessions=2,
        webhook_endpoints=3,
        api_keys=4,
    )
    assert plan["id"].startswith("plan_")
    assert plan["object"] == "plan"
    assert plan["media_storage_bytes"] is None  # left out: unlimited
    assert plan["is_default"] is False
    assert (await client.get(f"/admin/plans/{plan['id']}", headers=ADMIN)).json() == plan
    assert plan["id"] in [p["id"] for p in await plans(client)]

    changed = await client.patch(
        f"/admin/plans/{plan['id']}", headers=ADMIN, json={"sessions": None, "api_keys": 9}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["sessions"] is None
    assert changed.json()["api_keys"] == 9
    assert changed.json()["webhook_endpoints"] == 3  # not sent: unchanged

    deleted = await client.delete(f"/admin/plans/{plan['id']}", headers=ADMIN)
    assert deleted.json() == {"id": plan["id"], "object": "plan", "deleted": True}
    missing = await client.get(f"/admin/plans/{plan['id']}", headers=ADMIN)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "resource_missing"


async def test_a_plan_with_accounts_is_not_deleted(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    plan = await create_plan(client)
    await client.patch(f"/admin/accounts/{account.id}", headers=ADMIN, json={"plan_id": plan["id"]})
    refused = await client.delete(f"/admin/plans/{plan['id']}", headers=ADMIN)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "plan_in_use"
    assert (await client.get(f"/admin/plans/{plan['id']}", headers=ADMIN)).status_code == 200


async def test_exactly_one_plan_is_the_default(client: httpx.AsyncClient) -> None:
    await plans(client)  # no plan yet: the Free default comes back
    await create_account_via_admin(client)
    [free] = [p for p in await plans(client) if p["is_default"]]

    team = await create_plan(client, is_default=True)
    assert team["is_default"] is True
    defaults = [p["id"] for p in await plans(client) if p["is_default"]]
    assert defaults == [team["id"]]

    unset = await client.patch(
        f"/admin/plans/{team['id']}", headers=ADMIN, json={"is_default": False}
    )
    assert unset.status_code == 409
    assert unset.json()["error"]["param"] == "is_default"
    deleting = await client.delete(f"/admin/plans/{team['id']}", headers=ADMIN)
    assert deleting.status_code == 409

    back = await client.patch(
        f"/admin/plans/{free['id']}", headers=ADMIN, json={"is_default": True}
    )
    assert back.json()["is_default"] is True
    assert [p["id"] for p in await plans(client) if p["is_default"]] == [free["id"]]
    new_account = await create_account_via_admin(client)
    assert new_account["plan_id"] == free["id"]


async def create_account_via_admin(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.post("/admin/accounts", headers=ADMIN, json={"name": "Acme"})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"name": "x", "rate_limit": "often"}, "rate_limit"),
        ({"name": "x", "sessions": -1}, "sessions"),
        ({"name": ""}, "name"),
        ({"name": "x", "seats": 3}, "seats"),
    ],
)
async def test_invalid_plans_name_the_param(
    client: httpx.AsyncClient, body: dict[str, Any], param: str
) -> None:
    response = await client.post("/admin/plans", headers=ADMIN, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["param"] == param


async def test_plan_names_are_unique(client: httpx.AsyncClient) -> None:
    await create_plan(client, name="Team")
    other = await create_plan(client, name="Business")
    for response in (
        await client.post("/admin/plans", headers=ADMIN, json={"name": "team"}),
        await client.patch(f"/admin/plans/{other['id']}", headers=ADMIN, json={"name": "Team"}),
    ):
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "plan_name_taken"


async def test_an_unknown_plan_is_refused_for_an_account(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    response = await client.patch(
        f"/admin/accounts/{account.id}", headers=ADMIN, json={"plan_id": "plan_nope"}
    )
    assert response.status_code == 404
    assert response.json()["error"]["param"] == "plan_id"


async def test_the_plans_api_needs_the_admin_token(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    for headers, code in (
        ({}, "missing_admin_token"),
        ({"Authorization": "Bearer wrong-token"}, "invalid_admin_token"),
        (account.headers, "invalid_admin_token"),
    ):
        for method, path in (("GET", "/admin/plans"), ("POST", "/admin/plans")):
            response = await client.request(method, path, headers=headers, json={"name": "x"})
            assert response.status_code == 401, (method, headers)
            assert response.json()["error"]["code"] == code
    assert not [p for p in await plans(client) if p["name"] == "x"]


async def test_a_plan_change_reaches_every_api_process_at_once(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    first_app, second_app = create_app(settings), create_app(settings)
    async with running(first_app) as first, running(second_app):
        second = state_of(second_app)

        async def limits() -> Any:
            return await limits_for(
                account.id, reads=second.autocommit_sessionmaker, cache=plan_cache(second)
            )

        assert (await limits()).plan_name == "Free"  # cached by the second process now
        team = await create_plan(first, sessions=7)
        moved = await first.patch(
            f"/admin/accounts/{account.id}", headers=ADMIN, json={"plan_id": team["id"]}
        )
        assert moved.status_code == 200, moved.text
        assert (
            await eventually(limits, lambda got: got.plan_name == "Team", within=1.0)
        ).sessions == 7

        await first.patch(f"/admin/plans/{team['id']}", headers=ADMIN, json={"sessions": 2})
        await eventually(limits, lambda got: got.sessions == 2, within=1.0)


async def test_cached_limits_cost_no_query(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    app = create_app(settings)
    async with running(app):
        state = state_of(app)
        cache = plan_cache(state)

        async def subscribed() -> bool:
            return cache.subscribed

        # Subscribing drops the whole cache (invalidations may have been missed before).
        await eventually(subscribed, bool)
        before = await limits_for(account.id, reads=state.autocommit_sessionmaker, cache=cache)
        # Changed behind the gateway's back (no invalidation): the cache answers.
        async with sessionmaker() as db:
            await db.execute(update(Plan).where(Plan.id == before.plan_id).values(sessions=99))
            await db.commit()
        after = await limits_for(account.id, reads=state.autocommit_sessionmaker, cache=cache)
        assert after == before
        cache.invalidate(f"plan:{before.plan_id}")
        fresh = await limits_for(account.id, reads=state.autocommit_sessionmaker, cache=cache)
        assert fresh.sessions == 99
