"""Starting a subscription (Stripe Checkout) and managing it (the Customer Portal).

An account has one Stripe customer, made on its first checkout or portal visit under the
account's row lock and with an idempotency key of the account's id, so concurrent first
visits make one customer. The customer carries ``metadata.account_id`` and the checkout
its ``client_reference_id``: the events that come back name the account either way.
"""

from __future__ import annotations

from typing import Any

import stripe
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit import service as audit
from gateway.billing import subscriptions_repository as repository
from gateway.billing.plans import get_plan
from gateway.billing.stripe_api import StripeApi, unavailable
from gateway.billing.subscriptions import DUNNING, LIVE
from gateway.kit.errors import Conflict, InvalidRequest, NotFound
from gateway.models import Account


class SubscriptionExists(Conflict):
    code = "subscription_exists"


class PlanNotPurchasable(InvalidRequest):
    code = "plan_not_purchasable"


async def ensure_customer(db: AsyncSession, api: StripeApi, account_id: str) -> str:
    """The account's Stripe customer id, made (once) if it has none yet."""
    if not await repository.lock_account(db, account_id):
        raise NotFound("account", account_id)
    customer = await repository.customer_of(db, account_id)
    if customer is not None:
        return customer.stripe_customer_id
    account = await db.get(Account, account_id)
    assert account is not None
    params: dict[str, Any] = {"name": account.name, "metadata": {"account_id": account_id}}
    if account.email:
        params["email"] = account.email
    try:
        created = await api.client.v1.customers.create_async(
            params,  # type: ignore[arg-type]
            {"idempotency_key": f"gateway-customer-{account_id}"},
        )
    except stripe.StripeError as exc:
        raise unavailable(exc, "create the customer") from None
    await repository.insert_customer(db, account_id, created.id)
    return created.id


async def create_checkout(
    db: AsyncSession,
    api: StripeApi,
    account_id: str,
    *,
    plan_id: str,
    success_url: str,
    cancel_url: str | None,
) -> tuple[Any, Any]:
    """A Checkout Session in subscription mode for the plan: ``(session, plan)``."""
    plan = await get_plan(db, plan_id, param="plan")
    if not plan.stripe_price_id:
        raise PlanNotPurchasable(
            f"The {plan.name} plan has no Stripe price: it cannot be bought.", param="plan"
        )
    customer_id = await ensure_customer(db, api, account_id)
    customer = await repository.customer_of(db, account_id)
    if customer is not None and customer.subscription_status in LIVE | DUNNING:
        raise SubscriptionExists(
            "The account has a subscription already: change or cancel it in the billing "
            "portal (POST /v1/billing/portal).",
            param="plan",
        )
    line_items: list[dict[str, Any]] = [{"price": plan.stripe_price_id, "quantity": 1}]
    if plan.stripe_overage_price_id:
        line_items.append({"price": plan.stripe_overage_price_id})  # metered: no quantity
    metadata = {"account_id": account_id, "plan_id": plan.id}
    params: dict[str, Any] = {
        "mode": "subscription",
        "customer": customer_id,
        "client_reference_id": account_id,
        "line_items": line_items,
        "success_url": success_url,
        "metadata": metadata,
        "subscription_data": {"metadata": metadata},
    }
    if cancel_url:
        params["cancel_url"] = cancel_url
    try:
        session = await api.client.v1.checkout.sessions.create_async(params)  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        raise unavailable(exc, "start the checkout") from None
    audit.record(db, "billing.checkout_started", "plan", plan.id,
                 changes={"checkout_session": session.id})  # fmt: skip
    return session, plan


async def create_portal(
    db: AsyncSession, api: StripeApi, account_id: str, *, return_url: str | None
) -> Any:
    """A Customer Portal session for the account's customer."""
    customer_id = await ensure_customer(db, api, account_id)
    params: dict[str, Any] = {"customer": customer_id}
    if return_url:
        params["return_url"] = return_url
    try:
        portal = await api.client.v1.billing_portal.sessions.create_async(params)  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        raise unavailable(exc, "open the billing portal") from None
    audit.record(db, "billing.portal_opened", "account", account_id)
    return portal
