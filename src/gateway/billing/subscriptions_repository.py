"""All SQL of subscriptions: an account's Stripe customer and its subscription's state,
and the Stripe events received (stored once, taken for processing, swept)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import Account, BillingCustomer, Plan, StripeEvent


async def customer_of(
    db: AsyncSession, account_id: str, *, lock: bool = False
) -> BillingCustomer | None:
    stmt = select(BillingCustomer).where(BillingCustomer.account_id == account_id)
    if lock:
        stmt = stmt.with_for_update()
    return await db.scalar(stmt)


async def account_of_customer(db: AsyncSession, stripe_customer_id: str) -> str | None:
    return await db.scalar(
        select(BillingCustomer.account_id).where(
            BillingCustomer.stripe_customer_id == stripe_customer_id
        )
    )


async def lock_account(db: AsyncSession, account_id: str) -> bool:
    """Serialise an account's billing changes (its customer's creation, its syncs);
    whether the account exists."""
    found = await db.scalar(select(Account.id).where(Account.id == account_id).with_for_update())
    return found is not None


async def insert_customer(db: AsyncSession, account_id: str, stripe_customer_id: str) -> None:
    await db.execute(
        insert(BillingCustomer)
        .values(account_id=account_id, stripe_customer_id=stripe_customer_id)
        .on_conflict_do_nothing(index_elements=[BillingCustomer.account_id])
    )


async def plan_for_prices(db: AsyncSession, price_ids: Sequence[str]) -> Plan | None:
    """The plan whose subscription price is one of ``price_ids`` (a subscription's items)."""
    if not price_ids:
        return None
    return await db.scalar(
        select(Plan).where(Plan.stripe_price_id.in_(price_ids)).order_by(Plan.id).limit(1)
    )


async def set_account_plan(db: AsyncSession, account_id: str, plan_id: str) -> bool:
    """Put the account on ``plan_id``; whether that changed its plan."""
    changed = await db.scalar(
        update(Account)
        .where(Account.id == account_id, Account.plan_id != plan_id)
        .values(plan_id=plan_id)
        .returning(Account.id)
    )
    return changed is not None


async def account_plan_id(db: AsyncSession, account_id: str) -> str | None:
    return await db.scalar(select(Account.plan_id).where(Account.id == account_id))


async def past_grace(db: AsyncSession, before: datetime, limit: int) -> list[str]:
    """Accounts whose subscription has been past due since before ``before`` and that are
    still on a plan other than the default: their grace period is over."""
    default = select(Plan.id).where(Plan.is_default).scalar_subquery()
    rows = await db.scalars(
        select(BillingCustomer.account_id)
        .join(Account, Account.id == BillingCustomer.account_id)
        .where(
            BillingCustomer.subscription_status.in_(("past_due", "unpaid")),
            BillingCustomer.past_due_since < before,
            or_(Account.plan_id != default, default.is_(None)),
        )
        .order_by(BillingCustomer.past_due_since)
        .limit(limit)
    )
    return list(rows.all())


# --- received events ---------------------------------------------------------------------


async def store_event(db: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert the event unless its id is stored already (a replay); whether it is new."""
    inserted = await db.scalar(
        insert(StripeEvent)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[StripeEvent.id])
        .returning(StripeEvent.id)
    )
    return inserted is not None


async def lock_pending_event(db: AsyncSession, event_id: str) -> StripeEvent | None:
    """The event, locked, if it waits to be processed now; ``None`` when it is done, not
    due, or another transaction is processing it."""
    return await db.scalar(
        select(StripeEvent)
        .where(
            StripeEvent.id == event_id,
            StripeEvent.processed_at.is_(None),
            StripeEvent.next_attempt_at <= func.now(),
        )
        .with_for_update(skip_locked=True)
    )


async def finish_event(
    db: AsyncSession,
    event_id: str,
    *,
    outcome: str,
    account_id: str | None = None,
    error: str | None = None,
) -> None:
    await db.execute(
        update(StripeEvent)
        .where(StripeEvent.id == event_id)
        .values(
            processed_at=func.now(),
            outcome=outcome,
            account_id=account_id,
            attempts=StripeEvent.attempts + 1,
            last_error=error[:500] if error else None,
        )
    )


async def defer_event(db: AsyncSession, event_id: str, until: datetime, error: str) -> int:
    """Try the event again at ``until``; returns its attempts so far."""
    attempts = await db.scalar(
        update(StripeEvent)
        .where(StripeEvent.id == event_id)
        .values(next_attempt_at=until, attempts=StripeEvent.attempts + 1, last_error=error[:500])
        .returning(StripeEvent.attempts)
    )
    return int(attempts or 0)


async def overdue_events(db: AsyncSession, before: datetime, limit: int) -> list[tuple[str, int]]:
    """(id, attempts) of events that should have been processed before ``before``, oldest
    first."""
    rows = await db.execute(
        select(StripeEvent.id, StripeEvent.attempts)
        .where(StripeEvent.processed_at.is_(None), StripeEvent.next_attempt_at <= before)
        .order_by(StripeEvent.next_attempt_at)
        .limit(limit)
    )
    return [(event_id, attempts) for event_id, attempts in rows.all()]
