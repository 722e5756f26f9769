"""An account's subscription, as Stripe says it is, and the plan it puts the account on.

Stripe is the truth. Whatever event arrives, the subscription it is about is read again
from Stripe and that state applied (``sync``), so events may come in any order, twice, or
not at all for a step: the last sync always reflects Stripe's current state. An account's
syncs are serialised by a lock on its row.

The plan in force (``accounts.plan_id``) follows the subscription's status:

- ``active`` / ``trialing``: the plan whose ``stripe_price_id`` is one of the
  subscription's prices (a plan switched in the Customer Portal is followed);
- ``past_due`` / ``unpaid``: that plan for ``billing_grace_days`` from when the
  subscription was first seen past due, then the default plan; paying the invoice puts
  the account back on its plan;
- ``incomplete`` / ``incomplete_expired`` (never paid): the plan the account had;
- ``canceled``, ``paused``: the default plan. A subscription set to cancel at period end
  keeps its plan until Stripe ends it.

A subscription whose price no plan has changes nothing but the recorded state (the
operator is told in the log). Every change of what ``GET /v1/billing/subscription``
shows publishes ``billing.subscription.updated``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit import service as audit
from gateway.auth.cache import invalidate_account_after_commit
from gateway.billing import subscriptions_repository as repository
from gateway.billing.plans import default_plan_id
from gateway.config import Settings
from gateway.events import service as events
from gateway.events.schemas import BillingSubscriptionData
from gateway.events.types import EventType
from gateway.kit.time import utcnow
from gateway.models import BillingCustomer, Plan

log = structlog.get_logger(__name__)

LIVE = frozenset({"active", "trialing"})
DUNNING = frozenset({"past_due", "unpaid"})
# Never paid for (the first payment is pending, or its 23 hours ran out): the account keeps
# the plan it had, which may be one the operator gave it by hand.
NEVER_LIVE = frozenset({"incomplete", "incomplete_expired"})


@dataclass(frozen=True)
class StripeSubscription:
    """What the gateway reads of a Stripe subscription object."""

    id: str
    customer: str
    status: str
    price_ids: tuple[str, ...]
    current_period_end: datetime | None
    cancel_at_period_end: bool
    account_id: str | None  # metadata.account_id, set at checkout


def read_subscription(obj: Mapping[str, Any]) -> StripeSubscription:
    items = [i for i in ((obj.get("items") or {}).get("data") or []) if isinstance(i, Mapping)]
    prices = tuple(str(i["price"]["id"]) for i in items if isinstance(i.get("price"), Mapping))
    # API versions since 2025-03 keep the period on each item, older ones on the object.
    ends = [i.get("current_period_end") for i in items] + [obj.get("current_period_end")]
    end = max((int(e) for e in ends if isinstance(e, int | float)), default=None)
    metadata = obj.get("metadata") or {}
    customer = obj.get("customer")
    if isinstance(customer, Mapping):  # expanded
        customer = customer.get("id")
    return StripeSubscription(
        id=str(obj["id"]),
        customer=str(customer),
        status=str(obj.get("status") or "incomplete"),
        price_ids=prices,
        current_period_end=datetime.fromtimestamp(end, UTC) if end is not None else None,
        cancel_at_period_end=bool(obj.get("cancel_at_period_end")),
        account_id=str(metadata["account_id"]) if metadata.get("account_id") else None,
    )


def grace_ends_at(settings: Settings, customer: BillingCustomer | None) -> datetime | None:
    if customer is None or customer.subscription_status not in DUNNING:
        return None
    if customer.past_due_since is None:
        return None
    return customer.past_due_since + timedelta(days=settings.billing_grace_days)


async def view(
    db: AsyncSession, settings: Settings, account_id: str
) -> BillingSubscriptionData | None:
    """What ``GET /v1/billing/subscription`` shows; ``None`` for an unknown account."""
    plan_id = await repository.account_plan_id(db, account_id)
    if plan_id is None:
        return None
    customer = await repository.customer_of(db, account_id)
    wanted = {plan_id} | (
        {customer.subscribed_plan_id} if customer and customer.subscribed_plan_id else set()
    )
    names = dict((await db.execute(select(Plan.id, Plan.name).where(Plan.id.in_(wanted)))).all())
    subscribed = customer.subscribed_plan_id if customer else None
    return BillingSubscriptionData(
        status=(customer.subscription_status if customer else None) or "none",  # type: ignore[arg-type]
        plan={"id": plan_id, "name": names.get(plan_id, "")},
        subscribed_plan=(
            {"id": subscribed, "name": names.get(subscribed, "")} if subscribed else None
        ),
        cancel_at_period_end=bool(customer and customer.cancel_at_period_end),
        current_period_end=customer.current_period_end if customer else None,
        grace_ends_at=grace_ends_at(settings, customer),
        stripe_customer_id=customer.stripe_customer_id if customer else None,
        stripe_subscription_id=customer.subscription_id if customer else None,
    )


def _audited(shown: BillingSubscriptionData | None) -> dict[str, Any]:
    if shown is None:
        return {}
    return shown.model_dump(mode="json", include={"status", "plan", "cancel_at_period_end"})


def _replaces(customer: BillingCustomer, sub: StripeSubscription) -> bool:
    """Whether ``sub``'s state may be recorded as the account's subscription: it is the
    one recorded, or there is none live, or it is live itself (a new subscription)."""
    if customer.subscription_id in (None, sub.id):
        return True
    if customer.subscription_status not in LIVE | DUNNING:
        return True
    return sub.status in LIVE | DUNNING


async def sync(
    db: AsyncSession, settings: Settings, account_id: str, sub: StripeSubscription
) -> bool:
    """Record ``sub`` as the account's subscription and put the account on the plan it
    implies; publishes ``billing.subscription.updated`` when anything shown changed.
    Returns whether it did. The caller holds the account's lock (``lock_account``)."""
    customer = await repository.customer_of(db, account_id, lock=True)
    if customer is None:  # a subscription made outside checkout, for a customer of ours
        await repository.insert_customer(db, account_id, sub.customer)
        customer = await repository.customer_of(db, account_id, lock=True)
        assert customer is not None
    if customer.stripe_customer_id != sub.customer:
        log.warning("billing.subscription.other_customer", account_id=account_id,
                    subscription_id=sub.id)  # fmt: skip
        return False
    if not _replaces(customer, sub):
        log.info("billing.subscription.superseded", account_id=account_id,
                 subscription_id=sub.id, status=sub.status)  # fmt: skip
        return False
    before = await view(db, settings, account_id)
    now = utcnow()
    plan = await repository.plan_for_prices(db, sub.price_ids)
    if plan is None and sub.status in LIVE | DUNNING:
        log.warning("billing.subscription.unknown_price", account_id=account_id,
                    subscription_id=sub.id, price_ids=list(sub.price_ids))  # fmt: skip
    customer.subscription_id = sub.id
    customer.subscription_status = sub.status
    customer.price_id = sub.price_ids[0] if sub.price_ids else None
    if plan is not None:
        customer.subscribed_plan_id = plan.id
    customer.current_period_end = sub.current_period_end
    customer.cancel_at_period_end = sub.cancel_at_period_end
    if sub.status in DUNNING:
        customer.past_due_since = customer.past_due_since or now
    else:
        customer.past_due_since = None
    customer.synced_at = now
    await db.flush()
    await _apply_plan(db, settings, customer, now)
    after = await view(db, settings, account_id)
    if after == before:
        return False
    audit.record(db, "subscription.updated", "subscription", sub.id, account_id=account_id,
                 changes=audit.diff(_audited(before), _audited(after)))  # fmt: skip
    await publish_updated(db, account_id, after)
    return True


async def _apply_plan(
    db: AsyncSession, settings: Settings, customer: BillingCustomer, now: datetime
) -> None:
    target: str | None
    grace = grace_ends_at(settings, customer)
    if customer.subscription_status in LIVE or (grace is not None and now < grace):
        target = customer.subscribed_plan_id  # None: a price no plan has; leave it be
    elif customer.subscription_status in NEVER_LIVE:
        target = None
    else:
        target = await default_plan_id(db)
    if target is not None and await repository.set_account_plan(db, customer.account_id, target):
        log.info("billing.plan.changed", account_id=customer.account_id, plan_id=target,
                 status=customer.subscription_status)  # fmt: skip
        invalidate_account_after_commit(db, customer.account_id)


async def publish_updated(
    db: AsyncSession, account_id: str, data: BillingSubscriptionData | None
) -> None:
    if data is None:
        return
    await events.publish(
        db,
        account_id=account_id,
        type=EventType.billing_subscription_updated,
        session=None,
        data=data.model_dump(mode="json"),
        livemode=True,
    )


async def end_grace(db: AsyncSession, settings: Settings, account_id: str) -> bool:
    """Move an account whose grace period is over to the default plan (with its event);
    whether it moved. The caller holds the account's lock."""
    customer = await repository.customer_of(db, account_id, lock=True)
    if customer is None:
        return False
    before = await view(db, settings, account_id)
    await _apply_plan(db, settings, customer, utcnow())
    after = await view(db, settings, account_id)
    if after == before:
        return False
    audit.record(db, "subscription.grace_ended", "account", account_id, account_id=account_id,
                 changes=audit.diff(_audited(before), _audited(after)))  # fmt: skip
    await publish_updated(db, account_id, after)
    return True
