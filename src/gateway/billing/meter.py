"""Overage reported to Stripe's Billing Meter, each unit once, whatever crashes when.

A period's overage is ``max(0, live messages - included)`` (``usage``); it only grows
while the period is open, and the meter is told the growth since the last report. For
every account with a Stripe customer whose plan bills overage, each run looks at the
current and the previous period (the previous one's last messages are reported after it
ended, timestamped its last second):

1. Under a lock of the account and period, in one short transaction: an unsent report of
   that period is taken as it is; otherwise, when the overage is above the period's
   highest reported ``total``, a ``meter_reports`` row is added for the difference, its
   identifier ``overage:{account}:{period}:{total}``. The row is committed before Stripe
   is called, so a report Stripe may have received always has a row.
2. The meter event is sent with that identifier, also as the idempotency key, and the
   row is marked reported in a new transaction.

A report whose call failed, or whose answer never came (the worker was killed, the
connection dropped), stays unsent and is sent again by the next run with the same
identifier and idempotency key: Stripe answers the first request's result again, or,
once it has forgotten the key, refuses the event as one it has (``An event already
exists with identifier …``), which marks the row reported too. Both dedupe windows are
at least a day, and runs come every ten minutes. Any other refusal is recorded on the row
(``attempts``, ``last_error``) and retried next run; one account's failure never stops
the others'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import stripe
import structlog
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.billing import meter_repository as repository
from gateway.billing.meter_repository import PendingReport
from gateway.billing.stripe_api import StripeApi, unavailable
from gateway.billing.stripe_tasks import stripe_api
from gateway.billing.usage_counters import Period, parse_period, period_of
from gateway.billing.usage_repository import live_message_counts
from gateway.kit.jobs import JobContext, transactional_job
from gateway.kit.time import utcnow

log = structlog.get_logger(__name__)

# Stripe refuses meter events timestamped more than 35 days ago: a report left unsent
# that long is left to the operator rather than refused every run.
STRIPE_BACKDATING = timedelta(days=35)
ACCOUNT_BATCH = 1000


@dataclass(frozen=True, slots=True)
class _Due:
    """An account's period with a report to send: new overage, or an unsent report."""

    account_id: str
    period: Period
    # None: only an unsent report to send again (the period is past adding new ones).
    overage: int | None
    stripe_customer_id: str | None


async def report_overage(ctx: JobContext) -> int:
    """Report to Stripe's meter the overage of the current and previous periods not
    reported yet, and send again the reports a failure or a crash left unsent (idempotent:
    a report is a row before it is sent, and Stripe dedupes its identifier). A failing
    account is logged and left for the next run. Returns how many units it reported."""
    api = stripe_api(ctx)
    if api is None:
        return 0
    reported = 0
    for due in await _due_reports(ctx, utcnow()):
        try:
            reported += await _report_period(ctx, api, due)
        except SQLAlchemyError:
            raise  # the database is the problem, not the account: the next run starts over
        except Exception:
            log.exception(
                "billing.meter.account_failed", account_id=due.account_id, period=due.period.name
            )
    return reported


@transactional_job
async def _due_reports(ctx: JobContext, db: AsyncSession, now: datetime) -> list[_Due]:
    current = period_of(now)
    periods = (current.previous(), current)
    accounts = await repository.billable_accounts(db)
    unsent = set(await repository.unreported_periods(db, now - STRIPE_BACKDATING))
    due: dict[tuple[str, str], _Due] = {}
    # In batches: each statement below binds one parameter per account.
    for start in range(0, len(accounts), ACCOUNT_BATCH):
        batch = accounts[start : start + ACCOUNT_BATCH]
        ids = [a.account_id for a in batch]
        totals = await repository.reported_totals(db, ids, [p.name for p in periods])
        for period in periods:
            # Counted before the period's lock is taken: a count only grows, so one a moment
            # old reports less now and the rest next run, never a unit twice.
            counts = await live_message_counts(db, period.start, period.end, ids)
            for account in batch:
                key = (account.account_id, period.name)
                overage = max(0, counts.get(account.account_id, 0) - account.included)
                if overage > totals.get(key, 0) or key in unsent:
                    due[key] = _Due(account.account_id, period, overage, account.stripe_customer_id)
    for account_id, name in unsent:
        # An account no longer billed for overage still owes what was counted then.
        due.setdefault((account_id, name), _Due(account_id, parse_period(name), None, None))
    return [due[key] for key in sorted(due)]


async def _report_period(ctx: JobContext, api: StripeApi, due: _Due) -> int:
    reported = 0
    report, resent = await _take_report(ctx, due)
    while report is not None:
        units = await _send(ctx, api, report)
        if units is None:
            break  # left unsent for the next run, and nothing after it is added
        reported += units
        if not resent:
            break
        # What was sent again was an earlier difference: the overage since is due too.
        report, resent = await _take_report(ctx, due)
    return reported


@transactional_job
async def _take_report(
    ctx: JobContext, db: AsyncSession, due: _Due
) -> tuple[PendingReport | None, bool]:
    """The period's unsent report (and True), else a new one for the overage not reported
    yet (and False), committed before it is sent; ``None`` when nothing is due."""
    await repository.lock_period(db, due.account_id, due.period.name)
    unsent = await repository.unreported(db, due.account_id, due.period.name)
    if unsent is not None:
        return unsent, True
    if due.overage is None or due.stripe_customer_id is None:
        return None, False
    reported = await repository.reported_total(db, due.account_id, due.period.name)
    if due.overage <= reported:
        return None, False  # another run reported it, or the plan's allowance grew
    report = await repository.add_report(
        db,
        account_id=due.account_id,
        period=due.period.name,
        units=due.overage - reported,
        total=due.overage,
        stripe_customer_id=due.stripe_customer_id,
        identifier=f"overage:{due.account_id}:{due.period.name}:{due.overage}",
        # Within the period, so that Stripe bills it with the period's other units.
        event_timestamp=min(utcnow(), due.period.end - timedelta(seconds=1)),
    )
    return report, False


async def _send(ctx: JobContext, api: StripeApi, report: PendingReport) -> int | None:
    """Send the report's meter event; the units this marked reported (0 when a racing run
    marked them), or ``None`` when the report is left for the next run."""
    try:
        await api.client.v1.billing.meter_events.create_async(
            {
                "event_name": ctx["settings"].stripe_meter_event_name,
                "payload": {
                    "stripe_customer_id": report.stripe_customer_id,
                    "value": str(report.units),
                },
                "identifier": report.identifier,
                "timestamp": int(report.event_timestamp.timestamp()),
            },
            # The same request every time: a retry whose first answer was lost gets that
            # answer again, not a second event.
            {"idempotency_key": report.identifier},
        )
    except stripe.StripeError as exc:
        if not _already_recorded(exc):
            error = str(unavailable(exc, "record the overage"))
            await _record_failure(ctx, report.id, error)
            log.warning(
                "billing.meter.report.failed",
                account_id=report.account_id,
                period=report.period,
                report_id=report.id,
                error=error,
            )
            return None
        log.info("billing.meter.report.known", account_id=report.account_id, report_id=report.id)
    units = await _mark_reported(ctx, report.id)
    log.info(
        "billing.meter.reported",
        account_id=report.account_id,
        period=report.period,
        units=report.units,
        total=report.total,
    )
    return units or 0


def _already_recorded(exc: stripe.StripeError) -> bool:
    """Whether Stripe refused the event because it has it: an earlier attempt of this
    report reached Stripe and its answer was lost."""
    return isinstance(exc, stripe.InvalidRequestError) and (
        "already exists with identifier" in (exc.user_message or "")
    )


@transactional_job
async def _mark_reported(ctx: JobContext, db: AsyncSession, report_id: str) -> int | None:
    return await repository.mark_reported(db, report_id)


@transactional_job
async def _record_failure(ctx: JobContext, db: AsyncSession, report_id: str, error: str) -> None:
    await repository.record_failure(db, report_id, error)
