"""Nothing accepted is lost: 1,000 messages over 5 sessions while the worker is killed
(kill -9) and Redis restarts; every message is sent, and sent exactly once."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.config import Settings
from gateway.models import Message, SandboxSend
from gateway.runtime.embedded import EmbeddedRedis
from tests.conftest import running
from tests.engines.test_takeover import start_worker, stop
from tests.factories import create_account, create_session, session_in_status
from tests.waiting import eventually

OUTAGE_SECONDS = 3.0
SESSIONS = 5
MESSAGES = 1000
DONE = ("sent", "delivered", "read")


async def _count(sessionmaker: async_sessionmaker[AsyncSession], *where: object) -> int:
    async with sessionmaker() as db:
        return int(await db.scalar(select(func.count()).select_from(Message).where(*where)) or 0)


@pytest.mark.timeout(300)
async def test_messages_survive_a_killed_worker_and_a_redis_restart(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    # A Redis of this test's own, so it can be restarted.
    redis = EmbeddedRedis(tmp_path)
    own = settings.model_copy(update={"redis_url": await asyncio.to_thread(redis.start)})
    workers = []
    try:
        async with running(create_app(own)) as client:
            account = await create_account(sessionmaker, default_rate_limit="100000/second")
            workers.append(start_worker(own))
            ids = []
            for i in range(SESSIONS):
                session = await create_session(
                    client, account, name=f"s{i}", auto_link=True,
                    sandbox={"ack_delivered_ms": 0, "ack_read_ms": 0},
                )  # fmt: skip
                ids.append(session["id"])
            for sid in ids:
                await session_in_status(client, account, sid, "WORKING", within=30)

            async def send(n: int) -> None:
                response = await client.post(
                    f"/v1/sessions/{ids[n % SESSIONS]}/messages",
                    headers=account.headers,
                    json={"type": "text", "chat_id": "+12025550123", "text": f"message {n}"},
                )
                assert response.status_code == 202, response.text

            async def send_range(start: int, stop_at: int) -> None:
                for chunk in range(start, stop_at, 50):
                    await asyncio.gather(*(send(n) for n in range(chunk, min(chunk + 50, stop_at))))

            await send_range(0, 400)
            # Mid-way: the worker dies without a goodbye while messages are in flight, and
            # another takes its sessions over...
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait()
            workers.append(start_worker(own))
            await send_range(400, 600)
            # ...then Redis goes away and comes back (keeping what it had on disk) under
            # the running worker, while the API keeps accepting.
            await asyncio.to_thread(redis.stop)
            down_since = time.monotonic()
            await send_range(600, 800)
            # Down long enough for every worker loop to notice.
            await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_since)))
            await asyncio.to_thread(redis.start)
            await send_range(800, MESSAGES)

            async def finished() -> int:
                return await _count(sessionmaker, Message.status.in_(DONE))

            await eventually(finished, lambda n: n == MESSAGES, within=180, every=0.5)
            # The worker lived through the outage.
            assert workers[1].poll() is None
        assert await _count(sessionmaker, Message.direction == "outbound") == MESSAGES
        assert await _count(sessionmaker, Message.status == "failed") == 0
        async with sessionmaker() as db:
            accepted = await db.scalar(
                select(func.count())
                .select_from(SandboxSend)
                .where(SandboxSend.accepted_at.is_not(None))
            )
            # One record per message id: the network took each message once, however often
            # its delivery was attempted.
            records = await db.scalar(select(func.count()).select_from(SandboxSend))
            distinct_ids = await db.scalar(
                select(func.count(func.distinct(Message.engine_message_id))).where(
                    Message.direction == "outbound"
                )
            )
        assert accepted == records == MESSAGES
        assert distinct_ids == MESSAGES
    finally:
        for worker in workers:
            stop(worker)
        if redis.process is not None:
            await asyncio.to_thread(redis.stop)
