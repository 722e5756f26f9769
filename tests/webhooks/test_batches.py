"""A burst of events to an endpoint is one job: its deliveries are claimed, posted and
recorded a chunk at a time, each delivery still keeping its own outcome and retries."""

from __future__ import annotations

import itertools
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks.webhooks import Webhook

from gateway.config import Settings
from gateway.db import create_engine, create_sessionmaker
from gateway.events.service import SessionRef, publish
from gateway.events.types import EventType
from gateway.kit.aftercommit import run_after_commit
from gateway.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from gateway.webhooks.delivery import CHUNK, http_client
from gateway.webhooks.tasks import deliver_webhook
from gateway.worker import create_worker
from tests.factories import TestAccount, create_account
from tests.local_http import Recorded, Reply, serving

SESSION = SessionRef("ses_01JA2B3C4D5E6F7G8H9J0KMNPQ", "main", {})


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


@pytest.fixture
async def job_context(
    settings: Settings, database_url: str, arq_redis: ArqRedis
) -> AsyncIterator[dict[str, Any]]:
    engine = create_engine(database_url, pool_size=2)
    pools = http_client(settings)
    yield {
        "settings": settings.model_copy(update={"webhook_retry_schedule": [0, 60]}),
        "sessionmaker": create_sessionmaker(engine),
        "redis": arq_redis,
        "webhook_http": pools,
    }
    await pools.aclose()
    await engine.dispose()


async def publish_burst(
    sessionmaker: async_sessionmaker[AsyncSession], redis: ArqRedis, account: TestAccount, n: int
) -> list[str]:
    """``n`` events in one transaction, published one by one."""
    async with sessionmaker() as db:
        ids = [
            (
                await publish(
                    db, account_id=account.id, type=EventType.message_received,
                    session=SESSION, data={"n": i},
                )
            ).id
            for i in range(n)
        ]  # fmt: skip
        await db.commit()
        await run_after_commit(db, redis)
    return ids


async def test_one_transactions_deliveries_to_an_endpoint_are_one_job(
    client: httpx.AsyncClient,
    account: TestAccount,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    with serving({"/a": Reply(204), "/b": Reply(200)}) as receiver:
        secrets = {}
        for path in ("/a", "/b"):
            created = await client.post(
                "/v1/webhooks", headers=account.headers, json={"url": receiver.url(path)}
            )
            secrets[path] = created.json()["secret"]
        event_ids = await publish_burst(sessionmaker, arq_redis, account, 25)

        queued = await arq_redis.queued_jobs()
        assert sorted(len(job.args[0]) for job in queued) == [25, 25]  # a job per endpoint
        worker = create_worker(settings, burst=True, cron_jobs=[], handle_signals=False)
        try:
            await worker.async_run()
        finally:
            await worker.close()

    async with sessionmaker() as db:
        statuses = (await db.scalars(select(WebhookDelivery.status))).all()
    assert statuses == ["succeeded"] * 50
    for path in ("/a", "/b"):
        got = [r for r in receiver.requests if r.path == path]
        assert sorted(r.headers["webhook-id"] for r in got) == sorted(event_ids)
        for request in got:
            Webhook(secrets[path]).verify(request.body, request.headers)


async def test_a_chunk_is_one_claim_and_one_record_and_each_delivery_keeps_its_outcome(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
    job_context: dict[str, Any],
) -> None:
    count = itertools.count(1)
    lock = threading.Lock()

    def every_fifth_fails(_: Recorded) -> Reply:
        with lock:
            n = next(count)
        return Reply(500, b"busy") if n % 5 == 0 else Reply(200)

    with serving({"/hook": every_fifth_fails}) as receiver:
        await client.post(
            "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
        )
        await publish_burst(sessionmaker, arq_redis, account, 25)
        (job,) = await arq_redis.queued_jobs()
        await arq_redis.flushdb()  # the test runs the job itself

        statements: list[str] = []
        engine = job_context["sessionmaker"].kw["bind"].sync_engine

        def record(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
            statements.append(statement.split()[0])

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert await deliver_webhook(job_context, *job.args) == "succeeded 20, retry 5"
        finally:
            event.remove(engine, "before_cursor_execute", record)

    chunks = -(-25 // CHUNK)
    assert statements == ["UPDATE", "WITH"] * chunks  # claim, record; claim, record …
    async with sessionmaker() as db:
        rows = (await db.scalars(select(WebhookDelivery))).all()
    retried = sorted(d.id for d in rows if d.status == "pending")
    assert len(retried) == 5
    assert all(d.last_status_code == 500 for d in rows if d.status == "pending")
    assert {d.status for d in rows} == {"succeeded", "pending"}
    # Each retry is its own job, deferred to its own time.
    queued = await arq_redis.queued_jobs()
    assert sorted(job.args[0] for job in queued) == retried
    assert len(receiver.requests) == 25


async def test_a_chunk_runs_the_endpoints_failure_streak_through_its_attempts_in_order(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
    job_context: dict[str, Any],
) -> None:
    def last_fails(request: Recorded) -> Reply:
        return Reply(500) if b'"n":2' in request.body else Reply(204)

    with serving({"/hook": last_fails}) as receiver:
        created = await client.post(
            "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
        )
        endpoint_id = created.json()["id"]
        long_ago = datetime.now(UTC) - timedelta(hours=1)
        async with sessionmaker() as db:  # failing for an hour, not yet long enough
            await db.execute(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.id == endpoint_id)
                .values(failing_since=long_ago)
            )
            await db.commit()
        await publish_burst(sessionmaker, arq_redis, account, 3)
        (job,) = await arq_redis.queued_jobs()
        assert await deliver_webhook(job_context, *job.args) == "succeeded 2, retry 1"

    async with sessionmaker() as db:
        endpoint = await db.get(WebhookEndpoint, endpoint_id)
        failed = await db.scalar(
            select(WebhookAttempt.attempted_at).where(WebhookAttempt.status_code == 500)
        )
    assert endpoint is not None
    # The successes ended the old streak; the failure after them started a new one.
    assert endpoint.failing_since == failed
    assert endpoint.enabled
