"""All SQL of the overage meter: the accounts billed for overage, and the meter reports.

A report row is written (and committed) before its meter event is sent, and marked
reported once Stripe has it. An account's reports of a period are decided one at a time,
under a transaction-scoped advisory lock of the account and period, so two reporters never
add overlapping rows; at most one row of an account's period is unreported at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.ids import new_id
from gateway.models import Account, BillingCustomer, MeterReport, Plan


@dataclass(frozen=True, slots=True)
class BillableAccount:
    account_id: str
    stripe_customer_id: str
    included: int  # the plan's messages_per_month


@dataclass(frozen=True, slots=True)
class PendingReport:
    """What sending a report needs, read from its row (the row's session is long gone)."""

    id: str
    account_id: str
    period: str
    units: int
    total: int
    stripe_customer_id: str
    identifier: str
    event_timestamp: datetime


async def billable_accounts(db: AsyncSession) -> list[BillableAccount]:
    """Accounts with a Stripe customer whose plan bills the messages past a finite
    allowance."""
    rows = await db.execute(
        select(
            BillingCustomer.account_id, BillingCustomer.stripe_customer_id, Plan.messages_per_month
        )
        .join(Account, Account.id == BillingCustomer.account_id)
        .join(Plan, Plan.id == Account.plan_id)
        .where(Plan.overage_allowed, Plan.messages_per_month.is_not(None))
        .order_by(BillingCustomer.account_id)
    )
    return [BillableAccount(a, c, int(n or 0)) for a, c, n in rows.all()]


async def reported_totals(
    db: AsyncSession, account_ids: Sequence[str], periods: Sequence[str]
) -> dict[tuple[str, str], int]:
    """The highest total of each account's reports of ``periods`` (reported or not), over
    the ``(account_id, period, total)`` index; pairs without a report are absent."""
    if not account_ids:
        return {}
    rows = await db.execute(
        select(MeterReport.account_id, MeterReport.period, func.max(MeterReport.total))
        .where(MeterReport.account_id.in_(account_ids), MeterReport.period.in_(periods))
        .group_by(MeterReport.account_id, MeterReport.period)
    )
    return {(a, p): int(total) for a, p, total in rows.all()}


async def unreported_periods(db: AsyncSession, since: datetime) -> list[tuple[str, str]]:
    """The (account, period) pairs with a report not sent yet whose event is newer than
    ``since`` (older ones Stripe would refuse: they wait for the operator)."""
    rows = await db.execute(
        select(MeterReport.account_id, MeterReport.period)
        .where(MeterReport.reported_at.is_(None), MeterReport.event_timestamp >= since)
        .distinct()
        .order_by(MeterReport.account_id, MeterReport.period)
    )
    return [(a, p) for a, p in rows.all()]


async def lock_period(db: AsyncSession, account_id: str, period: str) -> None:
    """Serialise the decisions about an account's reports of ``period`` until the
    transaction ends (the rows it reads and adds are the whole decision)."""
    key = f"meter:{account_id}:{period}"
    await db.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


async def unreported(db: AsyncSession, account_id: str, period: str) -> PendingReport | None:
    row = await db.scalar(
        select(MeterReport)
        .where(
            MeterReport.account_id == account_id,
            MeterReport.period == period,
            MeterReport.reported_at.is_(None),
        )
        .order_by(MeterReport.total)
        .limit(1)
    )
    return None if row is None else _pending(row)


async def reported_total(db: AsyncSession, account_id: str, period: str) -> int:
    total = await db.scalar(
        select(func.max(MeterReport.total)).where(
            MeterReport.account_id == account_id, MeterReport.period == period
        )
    )
    return int(total or 0)


async def add_report(
    db: AsyncSession,
    *,
    account_id: str,
    period: str,
    units: int,
    total: int,
    stripe_customer_id: str,
    identifier: str,
    event_timestamp: datetime,
) -> PendingReport:
    row = MeterReport(
        id=new_id("mrep"),
        account_id=account_id,
        period=period,
        units=units,
        total=total,
        stripe_customer_id=stripe_customer_id,
        identifier=identifier,
        event_timestamp=event_timestamp,
    )
    db.add(row)
    await db.flush()
    return _pending(row)


async def mark_reported(db: AsyncSession, report_id: str) -> int | None:
    """Mark the report sent; its units, or ``None`` when it was marked already (by a
    reporter racing this one), so that a unit is counted as reported once."""
    units = await db.scalar(
        update(MeterReport)
        .where(MeterReport.id == report_id, MeterReport.reported_at.is_(None))
        .values(reported_at=func.now(), attempts=MeterReport.attempts + 1, last_error=None)
        .returning(MeterReport.units)
    )
    return None if units is None else int(units)


async def record_failure(db: AsyncSession, report_id: str, error: str) -> None:
    await db.execute(
        update(MeterReport)
        .where(MeterReport.id == report_id, MeterReport.reported_at.is_(None))
        .values(attempts=MeterReport.attempts + 1, last_error=error[:500])
    )


def _pending(row: MeterReport) -> PendingReport:
    return PendingReport(
        row.id,
        row.account_id,
        row.period,
        row.units,
        row.total,
        row.stripe_customer_id,
        row.identifier,
        row.event_timestamp,
    )
