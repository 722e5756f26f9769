from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit import idempotency
from gateway.kit.jobs import JobContext, transactional_job


@transactional_job
async def purge_idempotency_keys(ctx: JobContext, db: AsyncSession) -> int:
    """Delete idempotency records past their 24 hours. Returns how many."""
    return await idempotency.purge_expired(db)
