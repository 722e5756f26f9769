"""Fan-out from the per-process endpoint cache: no endpoint query per event, one insert
for every delivery of a transaction, and an endpoint change seen by the next event."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from fastapi import FastAPI
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.db import create_sessionmaker
from gateway.events.service import SessionRef, publish
from gateway.events.types import EventType
from gateway.kit.aftercommit import run_after_commit
from gateway.kit.ids import new_id
from gateway.kit.state import AppState
from gateway.kit.time import utcnow
from gateway.models import Event, WebhookDelivery
from gateway.webhooks.cache import EndpointCache, attach, cache_of
from gateway.webhooks.delivery import http_client
from gateway.webhooks.fanout import fan_out
from gateway.webhooks.tasks import deliver_webhook
from tests.factories import TestAccount, create_account
from tests.local_http import Reply, serving
from tests.waiting import eventually

SESSION = SessionRef("ses_01JA2B3C4D5E6F7G8H9J0KMNPQ", "main", {})
OTHER = SessionRef("ses_01JA2B3C4D5E6F7G8H9J0KMNPR", "other", {})


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


@pytest.fixture
def state(app: FastAPI, client: httpx.AsyncClient) -> AppState:
    """The API process's resources (its lifespan runs: ``client`` started it)."""
    gateway: AppState = app.state.gateway
    return gateway


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements sent through ``engine`` while the block runs."""
    seen: list[str] = []

    def record(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def emit(
    maker: async_sessionmaker[AsyncSession],
    redis: ArqRedis,
    account: TestAccount,
    session: SessionRef = SESSION,
    type_: EventType = EventType.message_received,
) -> str:
    async with maker() as db:
        published = await publish(db, account_id=account.id, type=type_, session=session, data={})
        await db.commit()
        await run_after_commit(db, redis)
    return published.id


async def endpoints_of(sessionmaker: async_sessionmaker[AsyncSession], event_id: str) -> list[str]:
    async with sessionmaker() as db:
        rows = await db.scalars(
            select(WebhookDelivery.endpoint_id)
            .where(WebhookDelivery.event_id == event_id)
            .order_by(WebhookDelivery.endpoint_id)
        )
        return list(rows.all())


def endpoint_reads(seen: list[str]) -> list[str]:
    return [s for s in seen if "FROM webhook_endpoints" in s]


async def own_change_heard_back(cache: EndpointCache, before: int) -> None:
    """Wait for the process's own invalidation to come back through Redis: applied once at
    commit and once more as it arrives, it would otherwise discard a read made between."""

    async def generation() -> int:
        return cache.generation

    await eventually(generation, lambda now: now >= before + 2)


async def create_endpoint(
    client: httpx.AsyncClient, account: TestAccount, **body: Any
) -> dict[str, Any]:
    response = await client.post(
        "/v1/webhooks", headers=account.headers, json={"url": "http://127.0.0.1:9/in", **body}
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_a_cached_fan_out_reads_no_endpoint_and_sees_changes_at_once(
    client: httpx.AsyncClient,
    state: AppState,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    maker = state.sessionmaker  # the API's, with its endpoint cache
    async with maker() as db:
        cache = cache_of(db)
    assert cache is not None
    before = cache.generation
    first = await create_endpoint(client, account)
    await own_change_heard_back(cache, before)
    await emit(maker, arq_redis, account)  # loads the account's endpoints once

    with statements(state.engine) as seen:
        cached = await emit(maker, arq_redis, account)
    assert endpoint_reads(seen) == []
    assert [s.split(" (")[0] for s in seen if s.startswith("INSERT")] == [
        "INSERT INTO events",
        "INSERT INTO webhook_deliveries",
    ]
    assert await endpoints_of(sessionmaker, cached) == [first["id"]]

    # A new endpoint gets the very next event.
    second = await create_endpoint(client, account, session_ids=[SESSION.id])
    assert await endpoints_of(sessionmaker, await emit(maker, arq_redis, account)) == sorted(
        [first["id"], second["id"]]
    )
    other_session = await emit(maker, arq_redis, account, OTHER)
    assert await endpoints_of(sessionmaker, other_session) == [first["id"]]

    # So does a change to what it wants, a disabled one, and a deleted one.
    await client.patch(
        f"/v1/webhooks/{first['id']}",
        headers=account.headers,
        json={"event_types": ["session.status"]},
    )
    assert await endpoints_of(sessionmaker, await emit(maker, arq_redis, account)) == [second["id"]]
    status = await emit(maker, arq_redis, account, type_=EventType.session_status)
    assert await endpoints_of(sessionmaker, status) == sorted([first["id"], second["id"]])
    await client.patch(
        f"/v1/webhooks/{second['id']}", headers=account.headers, json={"enabled": False}
    )
    status = await emit(maker, arq_redis, account, type_=EventType.session_status)
    assert await endpoints_of(sessionmaker, status) == [first["id"]]
    before = cache.generation
    await client.delete(f"/v1/webhooks/{first['id']}", headers=account.headers)
    await own_change_heard_back(cache, before)
    with statements(state.engine) as seen:
        status = await emit(maker, arq_redis, account, type_=EventType.session_status)
    assert await endpoints_of(sessionmaker, status) == []
    # With no endpoint left, the event is its only write; the empty list is cached too.
    with statements(state.engine) as seen:
        await emit(maker, arq_redis, account, type_=EventType.session_status)
    assert [s.split(" (")[0] for s in seen if not s.startswith(("BEGIN", "COMMIT"))] == [
        "INSERT INTO events"
    ]


async def test_every_delivery_of_a_transaction_is_one_insert(
    client: httpx.AsyncClient,
    state: AppState,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    endpoints = [(await create_endpoint(client, account))["id"] for _ in range(2)]
    async with state.sessionmaker() as db:
        events = [
            Event(
                id=new_id("evt"), account_id=account.id, type="message.received",
                session_id=SESSION.id, session=None, data={"n": n}, created_at=utcnow(),
            )
            for n in range(3)
        ]  # fmt: skip
        db.add_all(events)
        await db.flush()
        with statements(state.engine) as seen:
            assert await fan_out(db, events) == 6
        await db.commit()
    inserts = [s for s in seen if s.startswith("INSERT")]
    assert len(inserts) == 1
    assert inserts[0].startswith("INSERT INTO webhook_deliveries")
    for published in events:
        assert await endpoints_of(sessionmaker, published.id) == sorted(endpoints)


async def test_an_endpoint_the_worker_disables_leaves_every_process_cache(
    client: httpx.AsyncClient,
    state: AppState,
    settings: Settings,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    # A worker process of its own: its cache, attached to its sessions, heard through Redis.
    worker_cache = EndpointCache()
    worker_maker = create_sessionmaker(state.engine)  # another process's, in effect
    attach(worker_maker, worker_cache)
    listener = asyncio.create_task(worker_cache.listen(arq_redis))
    pools = http_client(settings)
    context = {
        "settings": settings, "sessionmaker": worker_maker, "redis": arq_redis,
        "webhook_http": pools, "endpoint_cache": worker_cache,
    }  # fmt: skip
    try:
        await eventually(_subscribed(worker_cache), bool)
        with serving({"/gone": Reply(410, b"gone")}) as receiver:
            created = await create_endpoint(client, account, url=receiver.url("/gone"))
            api_event = await emit(state.sessionmaker, arq_redis, account)  # API caches it
            (delivery_id,) = await _deliveries_of(sessionmaker, api_event)
            await emit(worker_maker, arq_redis, account)  # the worker caches it too
            assert await deliver_webhook(context, delivery_id) == "gone"
        # The worker's own next event goes nowhere, at once ...
        after = await emit(worker_maker, arq_redis, account)
        assert await endpoints_of(sessionmaker, after) == []
        # ... and the API's cache hears of it through Redis.
        await eventually(_cached(state, account.id), lambda found: not found)
        later = await emit(state.sessionmaker, arq_redis, account)
        assert await endpoints_of(sessionmaker, later) == []
        endpoint = (
            await client.get(f"/v1/webhooks/{created['id']}", headers=account.headers)
        ).json()
        assert endpoint["enabled"] is False
    finally:
        listener.cancel()
        await asyncio.gather(listener, return_exceptions=True)
        await pools.aclose()


def _subscribed(cache: EndpointCache) -> Any:
    async def probe() -> bool:
        return cache.subscribed

    return probe


def _cached(state: AppState, account_id: str) -> Any:
    async def probe() -> bool:
        async with state.sessionmaker() as db:
            cache = cache_of(db)
        assert cache is not None
        return cache.get(account_id)[0]

    return probe


async def _deliveries_of(
    sessionmaker: async_sessionmaker[AsyncSession], event_id: str
) -> list[str]:
    async with sessionmaker() as db:
        rows = await db.scalars(
            select(WebhookDelivery.id).where(WebhookDelivery.event_id == event_id)
        )
        return list(rows.all())
