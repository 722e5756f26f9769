from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.auth.dependencies import PrincipalDep
from gateway.config import Settings
from gateway.kit.routing import TransactionalRoute
from gateway.models import ApiKey, IdempotencyKey
from tests.conftest import ADMIN_TOKEN, running
from tests.factories import create_account


async def count_keys(sessionmaker: async_sessionmaker[AsyncSession], account_id: str) -> int:
    async with sessionmaker() as db:
        return int(
            await db.scalar(
                select(func.count()).select_from(ApiKey).where(ApiKey.account_id == account_id)
            )
            or 0
        )


async def test_retry_replays_the_first_response(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    headers = {**account.headers, "Idempotency-Key": "create-key-1"}
    first = await client.post("/v1/api-keys", headers=headers, json={"name": "ci"})
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    # Same request, keys in another order: still the same request.
    second = await client.post("/v1/api-keys", headers=headers, content=b'{ "name" : "ci" }')
    assert second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()  # the secret too: the client may have lost it
    assert second.headers["request-id"] != first.headers["request-id"]
    assert await count_keys(sessionmaker, account.id) == 2  # the account's first + one

    # The stored response carries a secret shown once: it is encrypted at rest.
    async with sessionmaker() as db:
        stored = await db.scalar(select(IdempotencyKey.response_body))
    assert stored is not None
    assert first.json()["secret"].encode() not in stored
    assert b"api_key" not in stored


async def test_same_key_different_request_is_422(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    headers = {**account.headers, "Idempotency-Key": "k"}
    assert (
        await client.post("/v1/api-keys", headers=headers, json={"name": "a"})
    ).status_code == 201
    reused = await client.post("/v1/api-keys", headers=headers, json={"name": "b"})
    assert reused.status_code == 422
    error = reused.json()["error"]
    assert error["type"] == "idempotency_error"
    assert error["code"] == "idempotency_key_reused"
    assert error["param"] == "Idempotency-Key"
    assert await count_keys(sessionmaker, account.id) == 2


async def test_keys_are_scoped_per_account(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    one = await create_account(sessionmaker, name="one")
    two = await create_account(sessionmaker, name="two")
    for account in (one, two):
        response = await client.post(
            "/v1/api-keys",
            headers={**account.headers, "Idempotency-Key": "shared"},
            json={"name": account.id},
        )
        assert response.status_code == 201
        assert "idempotent-replayed" not in response.headers
        assert response.json()["name"] == account.id


async def test_client_errors_are_replayed_too(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    headers = {**account.headers, "Idempotency-Key": "bad-1"}
    first = await client.post("/v1/api-keys", headers=headers, json={"rate_limit": "nope"})
    assert first.status_code == 422
    second = await client.post("/v1/api-keys", headers=headers, json={"rate_limit": "nope"})
    assert second.status_code == 422
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json()["error"]["param"] == "rate_limit"


async def test_invalid_idempotency_key(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    response = await client.post(
        "/v1/api-keys", headers={**account.headers, "Idempotency-Key": "x" * 256}, json={}
    )
    assert response.status_code == 422
    assert response.json()["error"]["param"] == "Idempotency-Key"


async def test_admin_posts_are_idempotent(client: httpx.AsyncClient) -> None:
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Idempotency-Key": "signup-42"}
    first = await client.post("/admin/accounts", headers=headers, json={"name": "Globex"})
    second = await client.post("/admin/accounts", headers=headers, json={"name": "Globex"})
    assert first.status_code == second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert first.json()["id"] == second.json()["id"]


@pytest.fixture
async def slow_app(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, asyncio.Event]]:
    """The app plus a POST endpoint that waits until released, to hold a request in flight."""
    release = asyncio.Event()
    entered = asyncio.Event()
    router = APIRouter(route_class=TransactionalRoute)

    @router.post("/v1/slow")
    async def slow(principal: PrincipalDep) -> dict[str, str]:
        entered.set()
        await release.wait()
        return {"account": principal.account_id}

    app: FastAPI = create_app(settings)
    app.include_router(router)
    app.state.entered = entered
    async with running(app) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client, release


async def test_concurrent_duplicate_is_409_while_in_flight(
    slow_app: tuple[httpx.AsyncClient, asyncio.Event],
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    client, release = slow_app
    account = await create_account(sessionmaker)
    headers = {**account.headers, "Idempotency-Key": "in-flight"}
    first = asyncio.create_task(client.post("/v1/slow", headers=headers, json={}))
    await asyncio.wait_for(client.app.state.entered.wait(), 5)  # type: ignore[attr-defined]

    duplicate = await client.post("/v1/slow", headers=headers, json={})
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["type"] == "idempotency_error"
    assert duplicate.json()["error"]["code"] == "idempotency_key_in_use"

    release.set()
    assert (await first).status_code == 200
    replay = await client.post("/v1/slow", headers=headers, json={})
    assert replay.status_code == 200
    assert replay.headers["idempotent-replayed"] == "true"
