"""A delivery is leased, not locked: no database connection or row lock is held while the
receiver takes its time, a worker lost mid-attempt costs a re-delivery with the same
webhook-id once the lease runs out, and a resend does not wait for an attempt in flight."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks.webhooks import Webhook

from gateway.config import Settings
from gateway.db import create_engine, create_sessionmaker
from gateway.models import WebhookDelivery, WebhookEndpoint
from gateway.webhooks.delivery import http_client, lease_seconds
from gateway.webhooks.tasks import deliver_webhook, sweep_webhook_deliveries
from gateway.worker import create_worker
from tests.factories import TestAccount, create_account, held_in_transaction
from tests.local_http import HeldReceiver, Recorded, Reply, serving
from tests.waiting import eventually
from tests.webhooks.test_delivery import deliveries, emit


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


@pytest.fixture
async def job_context(
    settings: Settings, database_url: str, arq_redis: ArqRedis
) -> AsyncIterator[dict[str, Any]]:
    """The delivery job's resources, with a database pool of its own, so what it holds
    can be told apart from what the test holds."""
    engine = create_engine(database_url, pool_size=2)
    pools = http_client(settings)
    yield {
        "settings": settings,
        "sessionmaker": create_sessionmaker(engine),
        "redis": arq_redis,
        "webhook_http": pools,
    }
    await pools.aclose()
    await engine.dispose()


async def test_no_connection_or_lock_is_held_while_the_receiver_answers(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, Any],
) -> None:
    held = HeldReceiver(Reply(200))
    with serving({"/hook": held}) as receiver:
        created = (
            await client.post(
                "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
            )
        ).json()
        await emit(sessionmaker, account)
        (delivery,) = await deliveries(sessionmaker)
        job = asyncio.create_task(deliver_webhook(job_context, delivery.id))
        try:
            await held.wait_for_request()
            # The POST is in flight. The job holds no pooled connection ...
            engine = job_context["sessionmaker"].kw["bind"]
            assert engine.pool.checkedout() == 0
            async with sessionmaker() as db:
                await db.execute(text("SET LOCAL lock_timeout = '2s'"))
                # ... no transaction is open anywhere on the database ...
                assert await held_in_transaction(db) == 0
                # ... and another transaction locks the delivery and changes its endpoint.
                await db.execute(
                    select(WebhookDelivery.id)
                    .where(WebhookDelivery.id == delivery.id)
                    .with_for_update(nowait=True)
                )
                await db.execute(
                    update(WebhookEndpoint)
                    .where(WebhookEndpoint.id == created["id"])
                    .values(description="changed while a POST was in flight")
                )
                await db.commit()
        finally:
            held.answer.release()
        assert await job == "succeeded"
    (delivery,) = await deliveries(sessionmaker)
    assert (delivery.status, delivery.attempts, delivery.leased_until) == ("succeeded", 1, None)


async def test_a_worker_lost_mid_attempt_redelivers_with_the_same_id_after_the_lease(
    client: httpx.AsyncClient,
    account: TestAccount,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, Any],
) -> None:
    held = HeldReceiver(Reply(200), Reply(200))
    with serving({"/hook": held}) as receiver:
        created = (
            await client.post(
                "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
            )
        ).json()
        event_id = await emit(sessionmaker, account)
        (delivery,) = await deliveries(sessionmaker)
        async with sessionmaker() as db:  # due for a while: only the lease holds it back
            await db.execute(
                update(WebhookDelivery).values(
                    next_attempt_at=func.now() - text("interval '1 minute'")
                )
            )
            await db.commit()

        # The worker dies while its POST is in flight: claimed, sent, never recorded.
        job = asyncio.create_task(deliver_webhook(job_context, delivery.id))
        await held.wait_for_request()
        job.cancel()
        with pytest.raises(asyncio.CancelledError):
            await job
        held.answer.release()

        (lost,) = await deliveries(sessionmaker)
        assert lost.status == "pending"
        assert lost.leased_until is not None
        assert (lost.leased_until - lost.updated_at).total_seconds() > lease_seconds(settings) - 1
        # While the lease runs, neither a repeated job nor the sweep sends it again.
        assert await deliver_webhook(job_context, delivery.id) == "done"
        assert await sweep_webhook_deliveries(job_context) == 0
        assert len(receiver.requests) == 1

        async with sessionmaker() as db:  # the lease runs out
            await db.execute(
                update(WebhookDelivery).values(
                    leased_until=func.now() - text("interval '1 second'")
                )
            )
            await db.commit()
        assert await sweep_webhook_deliveries(job_context) == 1
        held.answer.release()
        worker = create_worker(settings, burst=True, cron_jobs=[], handle_signals=False)
        try:
            await worker.async_run()  # runs the job the sweep pushed
        finally:
            await worker.close()

    (delivered,) = await deliveries(sessionmaker)
    assert delivered.status == "succeeded"
    assert delivered.attempts == 2  # the lost attempt counts: it may have been received
    assert [r.headers["webhook-id"] for r in receiver.requests] == [event_id, event_id]
    verifier = Webhook(created["secret"])
    for request in receiver.requests:
        assert verifier.verify(request.body, request.headers)["id"] == event_id


async def test_a_resend_goes_out_at_once_and_the_attempt_in_flight_only_logs(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, Any],
) -> None:
    first = HeldReceiver(Reply(500, b"late failure"))
    replies: Iterator[Callable[[Recorded], Reply]] = iter([first, lambda _: Reply(200, b"fine")])

    def route(request: Recorded) -> Reply:
        return next(replies)(request)

    with serving({"/hook": route}) as receiver:
        created = (
            await client.post(
                "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
            )
        ).json()
        await emit(sessionmaker, account)
        (delivery,) = await deliveries(sessionmaker)
        slow = asyncio.create_task(deliver_webhook(job_context, delivery.id))
        try:
            await first.wait_for_request()
            resent = await client.post(
                f"/v1/webhooks/{created['id']}/deliveries/{delivery.id}/retry",
                headers=account.headers,
            )
            assert resent.status_code == 200, resent.text
            assert await deliver_webhook(job_context, delivery.id) == "succeeded"
        finally:
            first.answer.release()
        assert await slow == "superseded"

    detail = (
        await client.get(
            f"/v1/webhooks/{created['id']}/deliveries/{delivery.id}", headers=account.headers
        )
    ).json()
    assert detail["status"] == "succeeded"  # the late 500 does not undo the success
    assert sorted(a["status_code"] for a in detail["attempt_log"]) == [200, 500]


async def test_the_sweep_leaves_an_attempt_in_flight_alone(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, Any],
) -> None:
    held = HeldReceiver(Reply(204))
    with serving({"/hook": held}) as receiver:
        await client.post(
            "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
        )
        await emit(sessionmaker, account)
        async with sessionmaker() as db:
            await db.execute(
                update(WebhookDelivery).values(
                    next_attempt_at=func.now() - text("interval '1 minute'")
                )
            )
            await db.commit()
        (delivery,) = await deliveries(sessionmaker)
        job = asyncio.create_task(deliver_webhook(job_context, delivery.id))
        try:
            await held.wait_for_request()
            assert await sweep_webhook_deliveries(job_context) == 0
        finally:
            held.answer.release()
        assert await job == "succeeded"
        await eventually(lambda: _count(receiver), lambda n: n == 1)


async def _count(receiver: Any) -> int:
    return len(receiver.requests)
