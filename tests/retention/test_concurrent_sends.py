"""The purge runs beside live traffic: sends keep being accepted, and nothing waits on a
lock the purge holds for as long as a second."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.db import create_engine
from gateway.retention.tasks import purge_retention
from tests.factories import TestAccount, create_account, create_session

# Enough that deleting them in one statement holds its locks for over a second here.
OLD_MESSAGES = 200_000
# Expired records under the very keys the sender sends with: its insert of each one's
# outcome must wait for whichever transaction has that row locked for deletion.
OLD_IDEMPOTENCY_RECORDS = 50_000

# The longest any backend of this database has been waiting for a lock, now; and the
# longest any has been in a transaction (holding whatever locks it took), the sampler's
# own statement aside.
_LONGEST_LOCK_WAIT = text("""
    SELECT coalesce(max(extract(epoch FROM clock_timestamp() - l.waitstart)), 0)
    FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
    WHERE NOT l.granted AND a.datname = current_database()
""")
_LONGEST_TRANSACTION = text("""
    SELECT coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)), 0)
    FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
""")


@pytest.fixture
async def sampling_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    # A pool of its own: the sampler must never wait for a connection the purge holds.
    engine = create_engine(database_url, pool_size=1)
    yield engine
    await engine.dispose()


async def fill(
    sessionmaker: async_sessionmaker[AsyncSession], account_id: str, session_id: str
) -> None:
    async with sessionmaker() as db:
        # Ids of 1970 in ULID terms: far past any retention's horizon, in id order.
        await db.execute(
            text("""
                INSERT INTO messages (id, account_id, session_id, direction, chat_id, type,
                                      content, status, created_at, updated_at)
                SELECT 'msg_00' || lpad(g::text, 24, '0'), :account, :session, 'outbound',
                       '12025550123@c.us', 'text', '{"text": "old"}', 'delivered',
                       now() - interval '200 days', now() - interval '200 days'
                FROM generate_series(1, :n) AS g
            """),
            {"account": account_id, "session": session_id, "n": OLD_MESSAGES},
        )
        await db.execute(
            text("""
                INSERT INTO idempotency_keys (scope, key, fingerprint, method, path, status_code,
                                              response_headers, response_body, expires_at)
                SELECT :scope, 'send-' || g, repeat('0', 64), 'POST', '/v1/x', 202, '{}', '',
                       now() - interval '1 hour' + g * interval '1 ms'
                FROM generate_series(0, :n - 1) AS g
            """),
            {"scope": account_id, "n": OLD_IDEMPOTENCY_RECORDS},
        )
        await db.commit()
        # As autovacuum would have by the time a purge runs: the planner then knows the
        # tables are large and scans them in id order instead of sorting them whole.
        await db.execute(text("ANALYZE messages, idempotency_keys"))
        await db.commit()


async def test_sends_continue_while_the_purge_runs(
    client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    sampling_engine: AsyncEngine,
    arq_redis: ArqRedis,
) -> None:
    account: TestAccount = await create_account(sessionmaker)
    session_id = (await create_session(client, account, start=False))["id"]
    await fill(sessionmaker, account.id, session_id)
    ctx: dict[str, Any] = {
        "settings": settings.model_copy(
            update={"retention_batch_size": 1000, "retention_batches_per_run": 1000}
        ),
        "sessionmaker": sessionmaker,
        "redis": arq_redis,
    }
    purging = asyncio.create_task(purge_retention(ctx))
    statuses: list[int] = []
    longest_wait = longest_transaction = 0.0

    async def send_until_done() -> None:
        # Keys spread over the records the purge works through, oldest to newest.
        step = OLD_IDEMPOTENCY_RECORDS // 200
        while not purging.done():
            response = await client.post(
                f"/v1/sessions/{session_id}/messages",
                headers={**account.headers, "Idempotency-Key": f"send-{len(statuses) * step}"},
                json={"type": "text", "chat_id": "+12025550123", "text": "still here"},
            )
            statuses.append(response.status_code)

    async def sample_lock_waits() -> None:
        nonlocal longest_wait, longest_transaction
        async with sampling_engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            while not purging.done():
                waited = float(await conn.scalar(_LONGEST_LOCK_WAIT))
                held = float(await conn.scalar(_LONGEST_TRANSACTION))
                longest_wait = max(longest_wait, waited)
                longest_transaction = max(longest_transaction, held)
                await asyncio.sleep(0.02)

    await asyncio.gather(send_until_done(), sample_lock_waits(), purging)

    purged = purging.result()
    assert purged["messages"] == OLD_MESSAGES
    assert purged["idempotency_keys"] >= OLD_IDEMPOTENCY_RECORDS - len(statuses)
    assert len(statuses) >= 10, "the sender did not overlap the purge"
    assert set(statuses) == {202}
    assert longest_wait < 1.0
    # What bounds every wait: no transaction (the purge's batches, the sends) held its
    # locks for a second. One DELETE of all those rows takes longer than that here.
    assert longest_transaction < 1.0
