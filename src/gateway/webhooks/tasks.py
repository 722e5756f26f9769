from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

import structlog
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.config import Settings
from gateway.kit.jobs import JobContext, transactional_job
from gateway.kit.safepost import TargetPools
from gateway.kit.time import utcnow
from gateway.webhooks import delivery, repository
from gateway.webhooks.cache import EndpointCache
from gateway.webhooks.delivery import CHUNK, Attempt, Settled
from gateway.webhooks.fanout import delivery_job_id
from gateway.webhooks.repository import Claim

log = structlog.get_logger(__name__)

# A job longer than this hands the deliveries it has not reached to a new job, well
# inside arq's job timeout (a timeout would cancel it mid-chunk).
JOB_BUDGET_SECONDS = 60.0


async def deliver_webhook(ctx: JobContext, *deliveries: str | list[str]) -> str:
    """Make the next attempt of each delivery (idempotent: a finished, not yet due or
    leased delivery is left alone). A job carries one delivery's id, or the list of those
    one transaction fanned out to one endpoint. ``CHUNK`` at a time they are claimed in
    one short statement, posted concurrently with no database connection held, and
    recorded in another; at most ``worker_max_jobs`` POSTs are in flight in the process."""
    pools: TargetPools = ctx["webhook_http"]
    settings: Settings = ctx["settings"]
    delivery_ids = [i for d in deliveries for i in ([d] if isinstance(d, str) else d)]
    outcomes: dict[str, str] = {}
    started = time.monotonic()
    remaining = list(delivery_ids)
    while remaining:
        if time.monotonic() - started > JOB_BUDGET_SECONDS:
            await _hand_over(ctx, remaining)
            break
        # Room for the whole chunk first: no lease is held while waiting for it.
        slots = min(CHUNK, len(remaining), pools.max_in_flight)
        await pools.reserve(slots)
        chunk, remaining = remaining[:slots], remaining[slots:]
        try:
            claims = await _claim(ctx, chunk)
        except BaseException:
            pools.release(slots)
            raise
        live = [c for c in claims if c.endpoint_enabled]
        outcomes.update(
            (c.delivery_id, "endpoint disabled") for c in claims if not c.endpoint_enabled
        )
        pools.release(slots - len(live))
        if not live:
            continue
        attempts = await asyncio.gather(*(_attempt(pools, settings, c) for c in live))
        settled = await _record(ctx, list(zip(live, attempts, strict=True)))
        outcomes.update(settled.outcomes)
        cache: EndpointCache | None = ctx.get("endpoint_cache")
        if cache is not None:
            for account_id in settled.disabled_accounts:
                # This process's fan-out stops at once; others hear it through Redis.
                cache.forget_account(account_id)
    return _summary(delivery_ids, outcomes)


async def _attempt(pools: TargetPools, settings: Settings, claimed: Claim) -> Attempt:
    try:
        return await delivery.attempt(pools, settings, claimed)
    finally:
        pools.release()


@transactional_job
async def _claim(ctx: JobContext, db: AsyncSession, delivery_ids: list[str]) -> list[Claim]:
    return await delivery.claim(db, ctx["settings"], delivery_ids)


@transactional_job
async def _record(ctx: JobContext, db: AsyncSession, run: list[tuple[Claim, Attempt]]) -> Settled:
    return await delivery.record(db, ctx["settings"], run)


async def _hand_over(ctx: JobContext, delivery_ids: list[str]) -> None:
    try:
        await ctx["redis"].enqueue_job(
            "deliver_webhook", delivery_ids, _job_id=delivery_job_id(delivery_ids[0], 0)
        )
    except (RedisError, OSError) as exc:  # still rows: the sweep pushes them
        log.warning("webhook.delivery.hand_over_failed", count=len(delivery_ids), error=str(exc))


def _summary(delivery_ids: Sequence[str], outcomes: dict[str, str]) -> str:
    """One delivery: what happened to it ("done": delivered, failed for good, not due, or
    another attempt holds it). Several: how many came to each outcome."""
    if len(delivery_ids) == 1:
        return outcomes.get(delivery_ids[0], "done")
    counts = Counter(outcomes.get(i, "done") for i in delivery_ids)
    return ", ".join(f"{outcome} {n}" for outcome, n in counts.most_common())


@transactional_job
async def sweep_webhook_deliveries(ctx: JobContext, db: AsyncSession) -> int:
    """Push a job for every delivery that is due but was not picked up (its job was
    lost: Redis down, a worker killed) or whose attempt's lease ran out (the worker died
    mid-attempt). Returns how many."""
    now = utcnow()
    due = await repository.due_deliveries(db, now - timedelta(seconds=2), now)
    for delivery_id, attempts in due:
        await ctx["redis"].enqueue_job(
            "deliver_webhook",
            delivery_id,
            _job_id=delivery_job_id(delivery_id, attempts) + ":sweep",
        )
    return len(due)
