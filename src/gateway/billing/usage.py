"""An account's usage, from PostgreSQL: the rows are the truth the counters cache.

Overage is derivable from the rows: a period's overage is ``max(0, live messages -
included)``, and since a closed period's rows never change, a meter reporter can report
each unit once by recording, per account and period, how many units it has reported and
sending only the difference, with an idempotency key made of the account, the period and
that running total (``overage:{account}:{period}:{total}``): a retried report repeats the
same key, and Stripe's meter drops the duplicate.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.billing import usage_repository as repository
from gateway.billing.limits import PlanLimits
from gateway.billing.plans_repository import limits_of_account
from gateway.billing.usage_counters import Period, period_of
from gateway.billing.usage_schemas import (
    DayMessages,
    Metered,
    PeriodMessages,
    PeriodUsage,
    PlanRef,
    SessionMessages,
    Usage,
)
from gateway.kit.errors import NotFound


async def account_usage(db: AsyncSession, account_id: str, *, at: datetime | None = None) -> Usage:
    limits = await limits_of_account(db, account_id)
    if limits is None:
        raise NotFound("account", account_id)
    current = period_of(at or datetime.now(UTC))
    counts = await repository.resource_counts(db, account_id)
    return Usage(
        account_id=account_id,
        plan=PlanRef(id=limits.plan_id, name=limits.plan_name),
        current_period=await _period_usage(db, account_id, current, limits),
        previous_period=await _period_usage(db, account_id, current.previous(), limits),
        sessions=Metered(used=counts["sessions"], limit=limits.sessions),
        webhook_endpoints=Metered(used=counts["webhook_endpoints"], limit=limits.webhook_endpoints),
        api_keys=Metered(used=counts["api_keys"], limit=limits.api_keys),
        media_storage_bytes=Metered(
            used=counts["media_storage_bytes"], limit=limits.media_storage_bytes
        ),
    )


async def _period_usage(
    db: AsyncSession, account_id: str, period: Period, limits: PlanLimits
) -> PeriodUsage:
    rows = await repository.outbound_breakdown(db, account_id, period.start, period.end)
    by_status: Counter[str] = Counter()
    by_day: Counter[object] = Counter()
    sessions: dict[str, SessionMessages] = {}
    test_mode = 0
    for session_id, name, status, day, count, live in rows:
        entry = sessions.setdefault(
            session_id, SessionMessages(session_id=session_id, name=name, livemode=live, messages=0)
        )
        entry.messages += count
        if not live:
            test_mode += count
            continue
        by_status[status] += count
        by_day[day] += count
    used = sum(by_status.values())
    included = limits.messages_per_month
    return PeriodUsage(
        period=period.name,
        starts_at=period.start,
        ends_at=period.end,
        messages=PeriodMessages(
            used=used,
            included=included,
            overage=max(0, used - included) if included is not None else 0,
            overage_allowed=limits.overage_allowed,
            test_mode=test_mode,
            by_status=dict(sorted(by_status.items())),
            by_session=sorted(sessions.values(), key=lambda s: s.session_id),
            by_day=[DayMessages(date=d, messages=n) for d, n in sorted(by_day.items())],  # type: ignore[arg-type]
        ),
    )
