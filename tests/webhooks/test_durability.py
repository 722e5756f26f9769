"""A burst of 2,000 events while the delivering worker is killed: every event arrives at
least once, and a repeat carries the same webhook-id."""

from __future__ import annotations

import signal
from collections import Counter

import httpx
import pytest
from arq.connections import ArqRedis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks.webhooks import Webhook

from gateway.config import Settings
from gateway.events.service import SessionRef, publish
from gateway.events.types import EventType
from gateway.kit.aftercommit import run_after_commit
from gateway.models import WebhookDelivery
from tests.engines.test_takeover import start_worker, stop
from tests.factories import create_account
from tests.local_http import Reply, serving
from tests.waiting import eventually

EVENTS = 2000
SESSION = SessionRef("ses_01JA2B3C4D5E6F7G8H9J0KMNPQ", "main", {})


@pytest.mark.timeout(240)
async def test_a_killed_worker_loses_no_webhook(
    client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    account = await create_account(sessionmaker)
    with serving({"/hook": Reply(200)}) as receiver:
        created = (
            await client.post(
                "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
            )
        ).json()
        event_ids: list[str] = []

        async def burst(count: int) -> None:
            for _ in range(count // 100):
                async with sessionmaker() as db:
                    for _ in range(100):
                        event = await publish(
                            db, account_id=account.id, type=EventType.message_received,
                            session=SESSION, data={"n": len(event_ids)},
                        )  # fmt: skip
                        event_ids.append(event.id)
                    await db.commit()
                    await run_after_commit(db, arq_redis)

        worker = start_worker(settings)
        replacement = None
        try:
            await burst(1000)
            await eventually(lambda: _received(receiver), lambda n: n >= 200, within=60)
            worker.send_signal(signal.SIGKILL)  # mid-burst, deliveries in flight
            worker.wait()
            await burst(EVENTS - 1000)
            replacement = start_worker(settings)

            async def succeeded() -> int:
                async with sessionmaker() as db:
                    return int(
                        await db.scalar(
                            select(func.count())
                            .select_from(WebhookDelivery)
                            .where(WebhookDelivery.status == "succeeded")
                        )
                        or 0
                    )

            await eventually(succeeded, lambda n: n == EVENTS, within=180, every=0.5)
        finally:
            stop(worker)
            if replacement is not None:
                stop(replacement)
    # A request torn by the kill (body cut short) is no delivery: its receiver rejects it,
    # and the delivery is attempted again.
    complete = [
        r for r in receiver.requests if len(r.body) == int(r.headers.get("content-length", -1))
    ]
    seen = Counter(r.headers["webhook-id"] for r in complete)
    assert set(seen) == set(event_ids)  # every event, at least once
    verifier = Webhook(created["secret"])
    for request in complete:  # and a repeat is the same event, correctly signed
        assert verifier.verify(request.body, request.headers)["id"] == request.headers["webhook-id"]


async def _received(receiver: object) -> int:
    return len(receiver.requests)  # type: ignore[attr-defined]
