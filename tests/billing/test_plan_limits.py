"""The count limits a plan sets: sessions, webhook endpoints and API keys past them are
refused with 402 `plan_limit_reached`; nothing that exists is ever taken away."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.auth.keys import KeyMode
from gateway.config import Settings
from tests.conftest import ADMIN_TOKEN, make_settings, running
from tests.factories import TestAccount, create_account, create_session

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
HOOK = "http://127.0.0.1:9/hook"


async def on_plan(
    client: httpx.AsyncClient, account: TestAccount, name: str = "Tight", **limits: Any
) -> dict[str, Any]:
    """A new plan with ``limits``, with ``account`` moved onto it."""
    created = await client.post("/admin/plans", headers=ADMIN, json={"name": name, **limits})
    assert created.status_code == 201, created.text
    moved = await client.patch(
        f"/admin/accounts/{account.id}", headers=ADMIN, json={"plan_id": created.json()["id"]}
    )
    assert moved.status_code == 200, moved.text
    plan: dict[str, Any] = created.json()
    return plan


async def live_account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker, mode=KeyMode.live)


async def create_web_session(
    client: httpx.AsyncClient, account: TestAccount, name: str
) -> httpx.Response:
    return await client.post(
        "/v1/sessions",
        headers=account.headers,
        json={"name": name, "engine": "web", "start": False},
    )


def assert_limit(response: httpx.Response, param: str, message: str) -> None:
    assert response.status_code == 402, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["code"] == "plan_limit_reached"
    assert error["param"] == param
    assert error["message"] == message
    assert error["request_id"] == response.headers["request-id"]


async def test_a_session_past_the_plan_is_refused(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await live_account(sessionmaker)
    await on_plan(client, account, sessions=1)
    first = await create_web_session(client, account, "one")
    assert first.status_code == 201, first.text
    assert_limit(
        await create_web_session(client, account, "two"),
        "sessions",
        "The Tight plan allows 1 session; upgrade to create more.",
    )
    listed = await client.get("/v1/sessions", headers=account.headers)
    assert [s["name"] for s in listed.json()["data"]] == ["one"]

    # A deleted session no longer counts.
    deleted = await client.delete(f"/v1/sessions/{first.json()['id']}", headers=account.headers)
    assert deleted.status_code == 200, deleted.text
    assert (await create_web_session(client, account, "two")).status_code == 201


async def test_a_webhook_endpoint_past_the_plan_is_refused(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    await on_plan(client, account, name="Hobby", webhook_endpoints=2)
    for _ in range(2):
        created = await client.post("/v1/webhooks", headers=account.headers, json={"url": HOOK})
        assert created.status_code == 201, created.text
    refused = await client.post("/v1/webhooks", headers=account.headers, json={"url": HOOK})
    assert_limit(
        refused,
        "webhook_endpoints",
        "The Hobby plan allows 2 webhook endpoints; upgrade to create more.",
    )
    listed = await client.get("/v1/webhooks", headers=account.headers)
    assert len(listed.json()["data"]) == 2


async def test_a_live_key_past_the_plan_is_refused(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await live_account(sessionmaker)  # its first key is live: one of two
    await on_plan(client, account, api_keys=2)
    second = await client.post("/v1/api-keys", headers=account.headers, json={"mode": "live"})
    assert second.status_code == 201, second.text
    refused = await client.post("/v1/api-keys", headers=account.headers, json={"mode": "live"})
    assert_limit(
        refused, "api_keys", "The Tight plan allows 2 live API keys; upgrade to create more."
    )

    # Test-mode keys are free: they do not count against the plan.
    test_key = await client.post("/v1/api-keys", headers=account.headers, json={"mode": "test"})
    assert test_key.status_code == 201, test_key.text
    # A revoked key no longer counts.
    revoked = await client.post(
        f"/v1/api-keys/{second.json()['id']}/revoke", headers=account.headers
    )
    assert revoked.status_code == 200
    again = await client.post("/v1/api-keys", headers=account.headers, json={"mode": "live"})
    assert again.status_code == 201, again.text


async def test_a_plan_without_any_says_so(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    await on_plan(client, account, name="Sends only", webhook_endpoints=0)
    refused = await client.post("/v1/webhooks", headers=account.headers, json={"url": HOOK})
    assert_limit(
        refused,
        "webhook_endpoints",
        "The Sends only plan allows no webhook endpoints; upgrade to create one.",
    )


async def test_concurrent_creates_at_the_limit_let_only_one_pass(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await live_account(sessionmaker)
    await on_plan(client, account, sessions=3, webhook_endpoints=3)
    for name in ("a", "b"):
        assert (await create_web_session(client, account, name)).status_code == 201
        created = await client.post("/v1/webhooks", headers=account.headers, json={"url": HOOK})
        assert created.status_code == 201

    sessions = await asyncio.gather(
        *(create_web_session(client, account, f"racer-{i}") for i in range(4))
    )
    assert sorted(r.status_code for r in sessions) == [201, 402, 402, 402]
    endpoints = await asyncio.gather(
        *(
            client.post("/v1/webhooks", headers=account.headers, json={"url": HOOK})
            for _ in range(4)
        )
    )
    assert sorted(r.status_code for r in endpoints) == [201, 402, 402, 402]
    listed = await client.get("/v1/sessions", headers=account.headers)
    assert len(listed.json()["data"]) == 3


async def test_a_plan_change_applies_at_once_on_another_api_process(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await live_account(sessionmaker)
    async with running(create_app(settings)) as first, running(create_app(settings)) as second:
        await on_plan(first, account, sessions=1)
        assert (await create_web_session(second, account, "one")).status_code == 201
        assert (await create_web_session(second, account, "two")).status_code == 402

        await on_plan(first, account, name="Bigger", sessions=2)
        assert (await create_web_session(second, account, "two")).status_code == 201

        # An edit of the plan itself, likewise.
        plan_id = (await first.get(f"/admin/accounts/{account.id}", headers=ADMIN)).json()[
            "plan_id"
        ]
        await first.patch(f"/admin/plans/{plan_id}", headers=ADMIN, json={"sessions": 3})
        assert (await create_web_session(second, account, "three")).status_code == 201


async def test_a_downgrade_keeps_what_exists(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await live_account(sessionmaker)
    await on_plan(client, account, name="Big", sessions=3, webhook_endpoints=3)
    sessions = [(await create_web_session(client, account, n)).json() for n in ("a", "b", "c")]
    endpoints = [
        (await client.post("/v1/webhooks", headers=account.headers, json={"url": HOOK})).json()
        for _ in range(3)
    ]
    await on_plan(client, account, name="Small", sessions=1, webhook_endpoints=1)

    listed = await client.get("/v1/sessions", headers=account.headers)
    assert {s["id"] for s in listed.json()["data"]} == {s["id"] for s in sessions}
    renamed = await client.patch(
        f"/v1/sessions/{sessions[2]['id']}", headers=account.headers, json={"name": "still-here"}
    )
    assert renamed.status_code == 200, renamed.text
    for endpoint in endpoints:
        changed = await client.patch(
            f"/v1/webhooks/{endpoint['id']}", headers=account.headers, json={"description": "kept"}
        )
        assert changed.status_code == 200, changed.text
    assert (await create_web_session(client, account, "d")).status_code == 402
    more = await client.post("/v1/webhooks", headers=account.headers, json={"url": HOOK})
    assert more.status_code == 402


async def test_another_accounts_plan_and_objects_do_not_count(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    full = await live_account(sessionmaker)
    await on_plan(client, full, name="None", sessions=0, webhook_endpoints=0)
    other = await live_account(sessionmaker)
    big = await create_account(sessionmaker, mode=KeyMode.live)
    await on_plan(client, big, name="Big", sessions=5)
    for name in ("a", "b"):
        assert (await create_web_session(client, big, name)).status_code == 201

    # The other account is on the default (Free: one session, two endpoints).
    assert (await create_web_session(client, other, "mine")).status_code == 201
    hook = await client.post("/v1/webhooks", headers=other.headers, json={"url": HOOK})
    assert hook.status_code == 201
    assert (await create_web_session(client, full, "x")).status_code == 402


async def test_sandbox_sessions_are_bounded_by_test_mode_not_by_the_plan(
    database_url: str,
    redis_url: str,
    data_dir: Path,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    settings = make_settings(database_url, redis_url, data_dir, test_mode_sessions=2)
    account = await create_account(sessionmaker)  # a test-mode key
    async with running(create_app(settings)) as client:
        await on_plan(client, account, name="No sessions", sessions=0)
        for name in ("a", "b"):
            await create_session(client, account, name=name, start=False)
        refused = await client.post(
            "/v1/sessions", headers=account.headers, json={"name": "c", "start": False}
        )
        assert_limit(
            refused,
            "sessions",
            "Test mode allows 2 sandbox sessions per account; delete one to create another.",
        )


async def test_test_mode_keys_are_bounded(
    database_url: str,
    redis_url: str,
    data_dir: Path,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    settings = make_settings(database_url, redis_url, data_dir, test_mode_api_keys=2)
    account = await create_account(sessionmaker)  # its first key is a test one
    async with running(create_app(settings)) as client:
        await on_plan(client, account, api_keys=0)
        assert (
            await client.post("/v1/api-keys", headers=account.headers, json={})
        ).status_code == 201
        refused = await client.post("/v1/api-keys", headers=account.headers, json={})
        assert_limit(
            refused,
            "api_keys",
            "Test mode allows 2 test-mode API keys per account; revoke one to create another.",
        )


async def test_the_limit_is_documented_on_the_creates(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    for path in ("/v1/sessions", "/v1/webhooks", "/v1/api-keys"):
        response = paths[path]["post"]["responses"]["402"]
        assert response["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorEnvelope"
        }
