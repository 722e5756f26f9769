from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.jobs import JobContext, transactional_job
from gateway.kit.time import utcnow
from gateway.webhooks import repository
from gateway.webhooks.delivery import deliver
from gateway.webhooks.fanout import delivery_job_id


@transactional_job
async def deliver_webhook(ctx: JobContext, db: AsyncSession, delivery_id: str) -> str:
    """Make a webhook delivery's next attempt (idempotent: a finished or not yet due
    delivery is left alone)."""
    return await deliver(db, ctx["webhook_http"], ctx["settings"], delivery_id)


@transactional_job
async def sweep_webhook_deliveries(ctx: JobContext, db: AsyncSession) -> int:
    """Push a job for every delivery that is due but was not picked up (its job was
    lost: Redis down, a worker killed). Returns how many."""
    due = await repository.due_deliveries(db, utcnow() - timedelta(seconds=2))
    for delivery_id, attempts in due:
        await ctx["redis"].enqueue_job(
            "deliver_webhook",
            delivery_id,
            _job_id=delivery_job_id(delivery_id, attempts) + ":sweep",
        )
    return len(due)
