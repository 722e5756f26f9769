"""Jobs of billing: processing stored Stripe events, the sweep that finds events whose job
was lost, and the end of grace periods."""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.billing import stripe_events
from gateway.billing import subscriptions_repository as repository
from gateway.billing.stripe_api import StripeApi, create_stripe
from gateway.billing.stripe_webhook import PROCESS_JOB
from gateway.billing.subscriptions import end_grace
from gateway.kit.jobs import JobContext, transactional_job
from gateway.kit.time import utcnow

log = structlog.get_logger(__name__)

STRIPE = "stripe"
# An event this long past due had its job lost (fresh events' jobs are on their way).
SWEEP_GRACE = timedelta(seconds=5)
SWEEP_LIMIT = 500
# Retries of an event Stripe could not be asked about: 2, 4, 8 … s, at most an hour apart;
# closed as failed after a day's worth (Stripe itself stops resending after three days).
RETRY_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 40
GRACE_BATCH = 200


def stripe_api(ctx: JobContext) -> StripeApi | None:
    """The worker's Stripe client (``None``: billing is off), made at its start-up (here on
    first use only for a context a test made, which closes it with ``close_stripe``)."""
    if STRIPE not in ctx:
        ctx[STRIPE] = create_stripe(ctx["settings"])
    api: StripeApi | None = ctx[STRIPE]
    return api


async def close_stripe(ctx: JobContext) -> None:
    api: StripeApi | None = ctx.pop(STRIPE, None)
    if api is not None:
        await api.aclose()


async def process_stripe_event(ctx: JobContext, event_id: str) -> str:
    """Process the stored event ``event_id`` (idempotent: an event done already, or not
    due, is left alone). A failure to reach Stripe schedules a retry with backoff."""
    api = stripe_api(ctx)
    if api is None:
        return "billing is off"
    try:
        return await _process(ctx, event_id, api)
    except SQLAlchemyError:
        raise  # the database is the problem, not the event: arq retries the job
    except Exception as exc:
        log.warning("stripe.event.failed", event_id=event_id, error=type(exc).__name__)
        await _retry_later(ctx, event_id, f"{type(exc).__name__}: {exc}")
        return "retry scheduled"


@transactional_job
async def _process(ctx: JobContext, db: AsyncSession, event_id: str, api: StripeApi) -> str:
    row = await repository.lock_pending_event(db, event_id)
    if row is None:
        return "not pending"
    return await stripe_events.process(db, ctx["settings"], api, row)


@transactional_job
async def _retry_later(ctx: JobContext, db: AsyncSession, event_id: str, error: str) -> None:
    row = await repository.lock_pending_event(db, event_id)
    if row is None:
        return
    if row.attempts + 1 >= MAX_ATTEMPTS:
        log.error("stripe.event.gave_up", event_id=event_id, error=error)
        await repository.finish_event(db, event_id, outcome="failed", error=error)
        return
    delay = min(timedelta(seconds=2 ** (row.attempts + 1)), RETRY_CAP)
    await repository.defer_event(db, event_id, utcnow() + delay, error)


# The webhook pushes the job by name: a rename here must not leave its pushes unrun.
if process_stripe_event.__name__ != PROCESS_JOB:  # pragma: no cover
    raise RuntimeError(f"the job is {PROCESS_JOB!r}, not {process_stripe_event.__name__!r}")


@transactional_job
async def sweep_stripe_events(ctx: JobContext, db: AsyncSession) -> int:
    """Push a job for the stored events that should have been processed by now (Redis lost
    the job, a worker died mid-way, a retry is due). Returns how many."""
    now = utcnow()
    overdue = await repository.overdue_events(db, now - SWEEP_GRACE, SWEEP_LIMIT)
    # A new job id every attempt and sweep pass: the lost or failed job's id may still be
    # taken in Redis.
    bucket = int(now.timestamp())
    for event_id, attempts in overdue:
        await ctx["redis"].enqueue_job(
            PROCESS_JOB, event_id, _job_id=f"stripe-event:{event_id}:{attempts}:sweep:{bucket}"
        )
    return len(overdue)


async def end_grace_periods(ctx: JobContext) -> int:
    """Move the accounts whose past-due grace period is over to the default plan. Returns
    how many moved."""
    settings = ctx["settings"]
    before = utcnow() - timedelta(days=settings.billing_grace_days)
    moved = 0
    for account_id in await _past_grace(ctx, before):
        moved += await _end_grace(ctx, account_id)
    return moved


@transactional_job
async def _past_grace(ctx: JobContext, db: AsyncSession, before: datetime) -> list[str]:
    return await repository.past_grace(db, before, GRACE_BATCH)


@transactional_job
async def _end_grace(ctx: JobContext, db: AsyncSession, account_id: str) -> int:
    if not await repository.lock_account(db, account_id):
        return 0
    return int(await end_grace(db, ctx["settings"], account_id))
