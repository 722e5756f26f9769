from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.api_keys import repository
from gateway.auth.service import USAGE_KEY
from gateway.kit.jobs import JobContext, transactional_job


@transactional_job
async def flush_api_key_usage(ctx: JobContext, db: AsyncSession) -> int:
    """Move the last-used stamps API processes left in Redis into ``api_keys.last_used_at``
    with one UPDATE. Returns how many keys were stamped."""
    async with ctx["redis"].pipeline(transaction=True) as pipe:
        pipe.hgetall(USAGE_KEY)
        pipe.delete(USAGE_KEY)
        raw, _ = await pipe.execute()
    used = {k.decode(): float(v) for k, v in raw.items()}
    await repository.record_last_used(db, used)
    return len(used)
