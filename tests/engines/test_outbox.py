"""The outbox claims messages in batches: a worker killed (kill -9) with a batch claimed
and half sent loses nothing, and sends nothing twice."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.models import Event, Message, SandboxSend
from tests.engines.test_takeover import start_worker, stop
from tests.factories import create_account, create_session, session_in_status
from tests.waiting import eventually

SESSIONS = 3
MESSAGES = 300
DONE = ("sent", "delivered", "read")


async def _count(sessionmaker: async_sessionmaker[AsyncSession], *where: object) -> int:
    async with sessionmaker() as db:
        return int(await db.scalar(select(func.count()).select_from(Message).where(*where)) or 0)


@pytest.mark.timeout(180)
async def test_every_message_is_sent_exactly_once_through_a_killed_worker(
    client: httpx.AsyncClient, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker, default_rate_limit="100000/second")
    workers = [start_worker(settings)]
    try:
        ids = []
        for n in range(SESSIONS):
            session = await create_session(
                client, account, name=f"s{n}", auto_link=True,
                sandbox={"ack_delivered_ms": 0, "ack_read_ms": 0},
            )  # fmt: skip
            ids.append(session["id"])
        for sid in ids:
            await session_in_status(client, account, sid, "WORKING", within=30)

        async def send(n: int) -> str:
            response = await client.post(
                f"/v1/sessions/{ids[n % SESSIONS]}/messages",
                headers=account.headers,
                json={"type": "text", "chat_id": "+12025550123", "text": f"message {n}"},
            )
            assert response.status_code == 202, response.text
            return str(response.json()["id"])

        accepted = await asyncio.gather(*(send(n) for n in range(MESSAGES)))
        # Killed while it works through the backlog: some messages recorded sent, some
        # claimed (``sending``) and handed to the network but not recorded, some queued.
        await eventually(
            lambda: _count(sessionmaker, Message.status.in_(DONE)),
            lambda n: n >= MESSAGES // 5,
            every=0.01,
        )
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()
        workers.append(start_worker(settings))
        await eventually(
            lambda: _count(sessionmaker, Message.status.in_(DONE)),
            lambda n: n == MESSAGES,
            within=120,
            every=0.5,
        )
        async with sessionmaker() as db:
            sent_events = Counter(
                (
                    await db.scalars(
                        select(Event.data["message"]["id"].astext).where(
                            Event.type == "message.status",
                            Event.data["message"]["status"].astext == "sent",
                        )
                    )
                ).all()
            )
            network = dict(
                (
                    await db.execute(
                        select(SandboxSend.message_id, SandboxSend.engine_message_id).where(
                            SandboxSend.accepted_at.is_not(None)
                        )
                    )
                ).all()
            )
            recorded = dict((await db.execute(select(Message.id, Message.engine_message_id))).all())
        # The network took each message once, under the id the gateway recorded, and each
        # went `sent` once: a re-sent message (claimed again after the kill) was
        # recognised as the one already sent.
        assert sorted(network) == sorted(accepted)
        assert {m: recorded[m] for m in accepted} == network
        assert sent_events == Counter(accepted)
    finally:
        for worker in workers:
            stop(worker)
