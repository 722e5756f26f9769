"""Work that must only happen once a transaction has committed.

Jobs are pushed to Redis after the commit so that a worker never picks up a job whose row
is not there yet; notifications (cache invalidation) likewise. The list lives on the
SQLAlchemy session, so services need no extra parameter, and it is dropped on rollback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.queue import PendingJob, PendingPublish, push

log = structlog.get_logger(__name__)

_KEY = "gateway.after_commit"


@dataclass
class _Pending:
    items: list[PendingJob | PendingPublish] = field(default_factory=list)


def _pending(session: AsyncSession) -> _Pending:
    pending = session.info.get(_KEY)
    if pending is None:
        pending = session.info[_KEY] = _Pending()
    return pending


def pending_job(
    function: str,
    *args: Any,
    job_id: str | None = None,
    queue_name: str | None = None,
    defer_until: datetime | None = None,
) -> PendingJob:
    """A job to push once what it works on has committed. Pass a deterministic ``job_id``
    so that a push racing a sweep's re-push runs the job once."""
    return PendingJob(function, args, job_id, queue_name, defer_until)


def enqueue_after_commit(
    session: AsyncSession,
    function: str,
    *args: Any,
    job_id: str | None = None,
    queue_name: str | None = None,
    defer_until: datetime | None = None,
) -> None:
    """Push an arq job once ``session`` commits (see ``pending_job``)."""
    _pending(session).items.append(
        pending_job(function, *args, job_id=job_id, queue_name=queue_name, defer_until=defer_until)
    )


def after_commit(session: AsyncSession, item: PendingJob | PendingPublish) -> None:
    """Push ``item`` once ``session`` commits."""
    _pending(session).items.append(item)


def publish_after_commit(session: AsyncSession, channel: str, message: str) -> None:
    """Publish ``message`` on a Redis channel once ``session`` commits."""
    _pending(session).items.append(PendingPublish(channel, message))


def has_pending(session: AsyncSession) -> bool:
    """Whether work waits for ``session``'s commit."""
    pending: _Pending | None = session.info.get(_KEY)
    return pending is not None and bool(pending.items)


def discard_after_commit(session: AsyncSession) -> None:
    """Forget pending work (the transaction rolled back)."""
    session.info.pop(_KEY, None)


async def run_after_commit(
    session: AsyncSession | None,
    redis: Redis,
    local: Callable[[str, str], None] | None = None,
    *,
    also: Sequence[PendingJob | PendingPublish] = (),
) -> None:
    """Push what the committed transaction collected (and ``also``: work of statements
    that committed on their own), all of it in one round trip. A failed push is logged,
    not raised: the rows are committed, and the sweeps re-enqueue work whose job never
    arrived.

    ``local`` receives every publication at once, so this process's own caches never wait
    for the round trip through Redis (a client that revoked a key must not get one more
    success from the process that revoked it)."""
    pending = session.info.pop(_KEY, None) if session is not None else None
    items = [*(pending.items if pending else ()), *also]
    if not items:
        return
    if local is not None:
        for item in items:
            if isinstance(item, PendingPublish):
                local(item.channel, item.message)
    try:
        await push(redis, items)
    except (RedisError, OSError) as exc:
        log.warning("aftercommit.push_failed", items=len(items), error=str(exc))
