"""Work that must only happen once a transaction has committed.

Jobs are pushed to Redis after the commit so that a worker never picks up a job whose row
is not there yet; notifications (cache invalidation) likewise. The list lives on the
SQLAlchemy session, so services need no extra parameter, and it is dropped on rollback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog
from arq.connections import ArqRedis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

log = structlog.get_logger(__name__)

_KEY = "gateway.after_commit"


@dataclass(frozen=True)
class PendingJob:
    function: str
    args: tuple[Any, ...] = ()
    job_id: str | None = None
    queue_name: str | None = None
    defer_until: datetime | None = None


@dataclass(frozen=True)
class PendingPublish:
    channel: str
    message: str


@dataclass
class _Pending:
    items: list[PendingJob | PendingPublish] = field(default_factory=list)


def _pending(session: AsyncSession) -> _Pending:
    pending = session.info.get(_KEY)
    if pending is None:
        pending = session.info[_KEY] = _Pending()
    return pending


def enqueue_after_commit(
    session: AsyncSession,
    function: str,
    *args: Any,
    job_id: str | None = None,
    queue_name: str | None = None,
    defer_until: datetime | None = None,
) -> None:
    """Push an arq job once ``session`` commits. Pass a deterministic ``job_id`` so that a
    push racing a sweep's re-push runs the job once."""
    _pending(session).items.append(PendingJob(function, args, job_id, queue_name, defer_until))


def publish_after_commit(session: AsyncSession, channel: str, message: str) -> None:
    """Publish ``message`` on a Redis channel once ``session`` commits."""
    _pending(session).items.append(PendingPublish(channel, message))


def discard_after_commit(session: AsyncSession) -> None:
    """Forget pending work (the transaction rolled back)."""
    session.info.pop(_KEY, None)


async def run_after_commit(
    session: AsyncSession,
    redis: ArqRedis,
    local: Callable[[str, str], None] | None = None,
) -> None:
    """Push what the committed transaction collected. A failed push is logged, not raised:
    the row is committed, and the sweeps re-enqueue work whose job never arrived.

    ``local`` receives every publication at once, so this process's own caches never wait
    for the round trip through Redis (a client that revoked a key must not get one more
    success from the process that revoked it)."""
    pending = session.info.pop(_KEY, None)
    if not pending:
        return
    if local is not None:
        for item in pending.items:
            if isinstance(item, PendingPublish):
                local(item.channel, item.message)
    for item in pending.items:
        try:
            if isinstance(item, PendingJob):
                await redis.enqueue_job(
                    item.function,
                    *item.args,
                    _job_id=item.job_id,
                    _queue_name=item.queue_name,
                    _defer_until=item.defer_until,
                )
            else:
                await redis.publish(item.channel, item.message)
        except (RedisError, OSError) as exc:
            log.warning("aftercommit.push_failed", item=repr(item), error=str(exc))
