"""Jobs of usage: rebuilding the counters from the rows, and the quota warnings.

Reconciliation counts each account's live messages of the current period from PostgreSQL
and hands the count to a script that settles the Redis counter atomically
(``usage_counters.RECONCILE``): a counter below the count is raised to it (Redis lost or
flushed its increments); a counter above it is lowered only when no send was reserved
in the settle time before the count's snapshot, because until then a reservation may
belong to a row not committed yet. So a send racing the recount is never counted twice
(its increment is either in the counter the count is compared with, or lands after the
counter was set, for a row the count did not see), and the counter is exact once the
account has been quiet for the settle time. Raising to the count can only miss the sends
in flight at the snapshot that landed after a flush; the next run counts them.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import structlog
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.billing import usage_counters as counters
from gateway.billing import usage_repository as repository
from gateway.billing.plans_repository import limits_of_account
from gateway.billing.quota import PUBLISH_QUOTA_WARNING, warning_thresholds
from gateway.events import service as events
from gateway.events.types import EventType
from gateway.kit.aftercommit import enqueue_after_commit
from gateway.kit.jobs import JobContext, transactional_job

log = structlog.get_logger(__name__)

# Longer than any send takes from its reservation to its commit (or its give-back).
SETTLE_SECONDS = 120


@transactional_job
async def reconcile_usage(ctx: JobContext, db: AsyncSession) -> int:
    """Rebuild every active account's counter of the current period from the message
    rows (accounts with live messages this period, or a counter in Redis). Warnings that
    a rebuilt counter reached are queued too. Returns how many counters were settled."""
    redis: Redis = ctx["redis"]
    period = counters.period_of(datetime.now(UTC))
    snapshot = time.time()  # before the count: its rows were committed by then
    counted = await repository.live_message_counts(db, period.start, period.end)
    in_redis = await _accounts_with_counters(redis, period)
    expiry = counters.expires_at(period.end)
    for account_id in sorted(counted.keys() | in_redis):
        count = counted.get(account_id, 0)
        value = int(
            await counters.RECONCILE(
                redis,
                [counters.messages_key(account_id, period)],
                [count, int(snapshot), SETTLE_SECONDS, expiry],
            )
        )
        if value != count:
            log.info("usage.counter.unsettled", account_id=account_id, counter=value, rows=count)
        limits = await limits_of_account(db, account_id) if count else None
        if limits is not None and limits.messages_per_month:
            for at, percent in warning_thresholds(limits.messages_per_month).items():
                if count >= at:
                    _queue_warning(db, account_id, period.name, percent)
    return len(counted.keys() | in_redis)


async def _accounts_with_counters(redis: Redis, period: counters.Period) -> set[str]:
    pattern = f"{counters.KEY_PREFIX}:*:{period.name}:messages"
    found: set[str] = set()
    async for key in redis.scan_iter(match=pattern, count=1000):
        name = key.decode() if isinstance(key, bytes) else str(key)
        found.add(name.split(":")[2])
    return found


def _queue_warning(db: AsyncSession, account_id: str, period: str, percent: int) -> None:
    enqueue_after_commit(
        db,
        PUBLISH_QUOTA_WARNING,
        account_id,
        period,
        percent,
        job_id=f"quota-warning:{account_id}:{period}:{percent}",
    )


@transactional_job
async def publish_quota_warning(
    ctx: JobContext, db: AsyncSession, account_id: str, period: str, percent: int
) -> bool:
    """Publish ``billing.quota.warning`` for ``percent`` of the account's included messages
    in ``period``, unless it was published already (the event row is the record, so a
    lost Redis does not warn twice). Returns whether it published."""
    if await repository.warning_published(
        db, account_id, period, percent, EventType.billing_quota_warning.value
    ):
        return False
    limits = await limits_of_account(db, account_id)
    if limits is None or not limits.messages_per_month:
        return False
    bounds = counters.parse_period(period)
    counted = await repository.live_message_counts(db, bounds.start, bounds.end, [account_id])
    data: dict[str, Any] = {
        "period": period,
        "threshold_percent": percent,
        "messages": counted.get(account_id, 0),
        "included_messages": limits.messages_per_month,
        "overage_allowed": limits.overage_allowed,
        "plan": {"id": limits.plan_id, "name": limits.plan_name},
        "resets_at": bounds.end.isoformat().replace("+00:00", "Z"),
    }
    await events.publish(
        db,
        account_id=account_id,
        type=EventType.billing_quota_warning,
        session=None,
        data=data,
        livemode=True,
    )
    log.info("usage.quota.warning", account_id=account_id, period=period, percent=percent)
    return True
