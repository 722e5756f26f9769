"""The reads behind the deployment-wide gauges: one SQL statement, one Redis pipeline."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg
from redis.asyncio import Redis

from gateway.engines.control import host_queue
from gateway.kit.queue import QUEUE_NAME

# Every figure in one statement (one round trip, one snapshot): rows of
# (family, engine, a, b, value). A session's engine is on its row, so messages are
# counted per session first and joined to the (much smaller) sessions table after.
_STATE = """
WITH by_session AS (
    SELECT session_id, direction, status, count(*) AS n
    FROM messages GROUP BY session_id, direction, status
), due AS (
    SELECT session_id, count(*) AS n, min(next_attempt_at) AS oldest
    FROM messages
    WHERE status IN ('scheduled', 'queued', 'sending') AND next_attempt_at <= now()
    GROUP BY session_id
)
SELECT 'messages', s.engine, m.direction, m.status, sum(m.n)::float8
FROM by_session m JOIN sessions s ON s.id = m.session_id
GROUP BY s.engine, m.direction, m.status
UNION ALL
SELECT 'outbox_due', s.engine, NULL, NULL, sum(d.n)::float8
FROM due d JOIN sessions s ON s.id = d.session_id GROUP BY s.engine
UNION ALL
SELECT 'outbox_oldest', s.engine, NULL, NULL,
       extract(epoch FROM now() - min(d.oldest))::float8
FROM due d JOIN sessions s ON s.id = d.session_id GROUP BY s.engine
UNION ALL
SELECT 'sessions', engine, status, NULL, count(*)::float8
FROM sessions WHERE deleted_at IS NULL GROUP BY engine, status
UNION ALL
SELECT DISTINCT 'host', host_id, NULL, NULL, 0::float8
FROM session_leases WHERE expires_at > now()
"""


@dataclass
class StateRows:
    messages: dict[tuple[str, str, str], float] = field(default_factory=dict)
    outbox_due: dict[str, float] = field(default_factory=dict)
    outbox_oldest: dict[str, float] = field(default_factory=dict)
    sessions: dict[tuple[str, str], float] = field(default_factory=dict)
    hosts: list[str] = field(default_factory=list)


async def read_state(pool: asyncpg.Pool, seconds: float) -> StateRows:
    """The deployment's messages, outboxes, sessions and live hosts; the query is
    cancelled after ``seconds`` so a slow database never holds a scrape."""
    rows = await pool.fetch(_STATE, timeout=seconds)
    state = StateRows()
    for family, engine, a, b, value in rows:
        if family == "messages":
            state.messages[(engine, a, b)] = value
        elif family == "outbox_due":
            state.outbox_due[engine] = value
        elif family == "outbox_oldest":
            state.outbox_oldest[engine] = max(0.0, value)
        elif family == "sessions":
            state.sessions[(engine, a)] = value
        else:
            state.hosts.append(engine)
    return state


@dataclass(frozen=True)
class QueueDepth:
    ready: int
    deferred: int


async def queue_depths(redis: Redis, host_ids: Sequence[str]) -> dict[str, QueueDepth]:
    """Jobs waiting in the shared queue and in the live hosts' own queues (together), in
    one pipeline: ``ready`` are due now, ``deferred`` are for later (retries, schedules)."""
    now_ms = int(time.time() * 1000)
    queues = {"shared": [QUEUE_NAME], "host": [host_queue(h) for h in host_ids]}
    async with redis.pipeline(transaction=False) as pipe:
        for names in queues.values():
            for name in names:
                pipe.zcount(name, "-inf", now_ms)
                pipe.zcard(name)
        answers = iter(await pipe.execute())
    depths: dict[str, QueueDepth] = {}
    for label, names in queues.items():
        ready = total = 0
        for _ in names:
            ready += int(next(answers))
            total += int(next(answers))
        depths[label] = QueueDepth(ready, total - ready)
    return depths
