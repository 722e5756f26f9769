"""The retention purge: a cron job deleting what is past its age, in bounded batches.

Every batch is its own short transaction (at most ``GATEWAY_RETENTION_BATCH_SIZE`` rows,
rows held by others skipped, lock waits bounded), so senders and workers never queue
behind it; a run stops after ``GATEWAY_RETENTION_BATCHES_PER_RUN`` batches of a kind or
its time budget, and the next run goes on where the backlog is.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta

import structlog
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.config import Settings
from gateway.kit.ids import id_floor
from gateway.kit.jobs import JobContext, job_transaction
from gateway.kit.time import utcnow
from gateway.media.repository import existing_storage_keys
from gateway.media.storage import LocalStorage, storage_for
from gateway.metrics.process import retention_purged
from gateway.retention import repository
from gateway.retention.policy import RetentionPolicy
from gateway.retention.repository import (
    EVENTS,
    MESSAGES,
    SANDBOX_INBOUND,
    SANDBOX_SENDS,
    WEBHOOK_DELIVERIES,
    KeysetPurge,
)

log = structlog.get_logger(__name__)

# Well below arq's job timeout (300 s): a run that is cut off by it would log nothing.
RUN_BUDGET_SECONDS = 120.0
# A batch waits at most this long for a lock a sender or a worker holds, then gives up.
LOCK_TIMEOUT_MS = 1000
# A tombstone takes its engine state with it (chats, contacts, devices): fewer per batch.
TOMBSTONES_PER_BATCH = 20
# Files checked against the media table per query.
MEDIA_KEYS_PER_QUERY = 500
# PostgreSQL's lock_not_available and query_canceled.
_GAVE_UP = {"55P03", "57014"}


class _Run:
    """One run's budget and tally."""

    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        settings: Settings = ctx["settings"]
        self.settings = settings
        self.policy = RetentionPolicy.from_settings(settings)
        self.batch = settings.retention_batch_size
        self.deadline = time.monotonic() + RUN_BUDGET_SECONDS
        self.purged: Counter[str] = Counter()

    def out_of_time(self) -> bool:
        return time.monotonic() > self.deadline

    async def batches(
        self, kind: str, batch: Callable[[AsyncSession], Awaitable[int]], size: int | None = None
    ) -> None:
        """Run ``batch`` in transactions of its own until it deletes less than a full
        batch (``size`` rows), or the run's budget for the kind is spent."""
        size = size or self.batch
        for _ in range(self.settings.retention_batches_per_run):
            if self.out_of_time():
                return
            try:
                async with job_transaction(self.ctx) as db:
                    await repository.limit_lock_waits(db, lock_timeout_ms=LOCK_TIMEOUT_MS)
                    deleted = await batch(db)
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) not in _GAVE_UP:
                    raise
                # Something held a row this batch reached: the next run tries again.
                log.warning("retention.batch.gave_up", kind=kind, error=str(exc.orig))
                return
            self.purged[kind] += deleted
            retention_purged(kind, deleted)
            if deleted < size:
                return

    async def keyset(self, purge: KeysetPurge, days: int | None) -> None:
        """Purge ``purge`` along its key, from the oldest up to the age of ``days``."""
        if days is None:
            return
        horizon = id_floor(purge.id_prefix, utcnow() - timedelta(days=days))
        after = ""

        async def batch(db: AsyncSession) -> int:
            nonlocal after
            deleted, last = await repository.purge_keyset_batch(
                db, purge, after=after, horizon=horizon, batch=self.batch,
                policy=self.policy, days=days,
            )  # fmt: skip
            if last is not None:
                after = last
            return deleted

        await self.batches(purge.kind, batch)

    async def account_kind(self, purge: KeysetPurge) -> None:
        assert purge.account_kind is not None
        async with job_transaction(self.ctx) as db:
            days = await repository.shortest_days(db, purge.account_kind, self.policy)
        await self.keyset(purge, days)


async def _tombstones(run: _Run) -> None:
    days = run.settings.retention_session_tombstones_days
    if not days:
        return

    async def messages(db: AsyncSession) -> int:
        return await repository.purge_tombstone_messages_batch(db, days=days, batch=run.batch)

    size = min(run.batch, TOMBSTONES_PER_BATCH)

    async def sessions(db: AsyncSession) -> int:
        return await repository.purge_tombstones_batch(db, days=days, batch=size)

    await run.batches("messages", messages)
    await run.batches("session_tombstones", sessions, size)


async def _idempotency_keys(run: _Run) -> None:
    async def batch(db: AsyncSession) -> int:
        return await repository.purge_idempotency_batch(db, batch=run.batch)

    await run.batches("idempotency_keys", batch)


async def _orphaned_media(run: _Run) -> None:
    """Delete files in local storage that no media row refers to, once older than the
    grace period: their bytes were stored by a request that then rolled back. A bucket
    (S3) is not listed: orphans there only cost storage, and a lifecycle rule cannot
    tell them apart."""
    storage = storage_for(run.settings)
    if not isinstance(storage, LocalStorage):
        return
    grace = timedelta(seconds=run.settings.retention_orphaned_media_seconds)
    candidates = await storage.stored_before(utcnow() - grace)
    limit = run.batch * run.settings.retention_batches_per_run
    for start in range(0, min(len(candidates), limit), MEDIA_KEYS_PER_QUERY):
        if run.out_of_time():
            return
        keys = candidates[start : start + MEDIA_KEYS_PER_QUERY]
        async with job_transaction(run.ctx) as db:
            referenced = await existing_storage_keys(db, keys)
        orphans = [key for key in keys if key not in referenced]
        for key in orphans:
            await storage.delete(key)
        run.purged["media_files"] += len(orphans)
        retention_purged("media_files", len(orphans))


async def purge_retention(ctx: JobContext) -> dict[str, int]:
    """Delete what is past its retention: finished webhook deliveries, events, finished
    messages (each by its account's days), expired idempotency records, session tombstones,
    the sandbox's spent rows and orphaned media files. Returns the counts per kind; a run
    stopped by its budget leaves the rest to the next."""
    run = _Run(ctx)
    started = time.monotonic()
    # Deliveries before events: an event's purge takes its remaining deliveries along.
    await run.account_kind(WEBHOOK_DELIVERIES)
    await run.account_kind(EVENTS)
    await run.account_kind(MESSAGES)
    await _idempotency_keys(run)
    await _tombstones(run)
    sandbox_days = run.settings.retention_sandbox_days or None
    await run.keyset(SANDBOX_INBOUND, sandbox_days)
    await run.keyset(SANDBOX_SENDS, sandbox_days)
    await _orphaned_media(run)
    log.info(
        "retention.purged",
        **{kind: run.purged[kind] for kind in sorted(run.purged)},
        total=sum(run.purged.values()),
        seconds=round(time.monotonic() - started, 3),
        budget_spent=run.out_of_time(),
    )
    return dict(run.purged)


async def purge_idempotency_keys(ctx: JobContext) -> int:
    """Delete idempotency records past their 24 hours, in batches. Returns how many."""
    run = _Run(ctx)
    await _idempotency_keys(run)
    if run.purged["idempotency_keys"]:
        log.info("retention.purged", idempotency_keys=run.purged["idempotency_keys"])
    return run.purged["idempotency_keys"]
