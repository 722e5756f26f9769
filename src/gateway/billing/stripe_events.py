"""Processing a stored Stripe event: which account and subscription it is about, and the
subscription's current state read from Stripe and synced (``subscriptions.sync``).

The events that sync: ``checkout.session.completed``, ``customer.subscription.created``,
``.updated``, ``.deleted``, ``.paused``, ``.resumed``, ``invoice.paid`` and
``invoice.payment_failed`` (and ``invoice.payment_succeeded``, which Stripe sends with
``invoice.paid``). Any other type is stored and closed as ``ignored``, as is an event about
a customer that is not one of the gateway's (a Stripe account shared with other systems).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.billing import subscriptions_repository as repository
from gateway.billing.stripe_api import StripeApi
from gateway.billing.subscriptions import read_subscription, sync
from gateway.config import Settings
from gateway.models import StripeEvent

log = structlog.get_logger(__name__)

SUBSCRIPTION_EVENTS = frozenset(
    {
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.paused",
        "customer.subscription.resumed",
    }
)
INVOICE_EVENTS = frozenset({"invoice.paid", "invoice.payment_failed", "invoice.payment_succeeded"})
CHECKOUT_COMPLETED = "checkout.session.completed"


def _id(value: Any) -> str | None:
    if isinstance(value, Mapping):  # an expanded object
        value = value.get("id")
    return str(value) if isinstance(value, str) and value else None


def about(event: Mapping[str, Any]) -> tuple[str | None, str | None, str | None]:
    """``(account id named by the event, customer id, subscription id)`` of an event that
    syncs a subscription; all ``None`` for the other types."""
    type_ = event.get("type")
    obj = (event.get("data") or {}).get("object") or {}
    if not isinstance(obj, Mapping):
        return None, None, None
    found = obj.get("metadata")
    metadata: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    if type_ == CHECKOUT_COMPLETED:
        if obj.get("mode") != "subscription":
            return None, None, None
        account = obj.get("client_reference_id") or metadata.get("account_id")
        return _id(account), _id(obj.get("customer")), _id(obj.get("subscription"))
    if type_ in SUBSCRIPTION_EVENTS:
        return _id(metadata.get("account_id")), _id(obj.get("customer")), _id(obj.get("id"))
    if type_ in INVOICE_EVENTS:
        # Since API version 2025-03 the subscription is under parent.subscription_details.
        found = obj.get("parent")
        parent: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        details = parent.get("subscription_details") or {}
        subscription = (
            details.get("subscription") if isinstance(details, Mapping) else None
        ) or obj.get("subscription")
        return None, _id(obj.get("customer")), _id(subscription)
    return None, None, None


async def process(db: AsyncSession, settings: Settings, api: StripeApi, row: StripeEvent) -> str:
    """Apply one locked, pending event; returns its outcome (``synced`` / ``ignored``) and
    closes the row. A Stripe call that fails raises: the caller schedules a retry."""
    named, customer_id, subscription_id = about(row.payload)
    if subscription_id is None or customer_id is None:
        await repository.finish_event(db, row.id, outcome="ignored")
        return "ignored"
    # The customer's account; else the one a checkout names (a customer Checkout made).
    account_id = await repository.account_of_customer(db, customer_id) or named
    if account_id is None or not await repository.lock_account(db, account_id):
        log.info("stripe.event.unknown_customer", event_id=row.id, type=row.type)
        await repository.finish_event(db, row.id, outcome="ignored")
        return "ignored"
    # The subscription as it is now, whatever this event said: order does not matter.
    current = await api.client.v1.subscriptions.retrieve_async(subscription_id)
    subscription = read_subscription(current.to_dict())
    changed = await sync(db, settings, account_id, subscription)
    await repository.finish_event(db, row.id, outcome="synced", account_id=account_id)
    log.info("stripe.event.synced", event_id=row.id, type=row.type, account_id=account_id,
             status=subscription.status, changed=changed)  # fmt: skip
    return "synced"
