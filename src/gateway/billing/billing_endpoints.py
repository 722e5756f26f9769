"""``/v1/billing``: subscribe through Stripe Checkout, manage in the Customer Portal, read
the subscription; and the URL Stripe's webhook calls.

Checkout and the portal need a live key with `account: write` (test mode is free: a
test-mode key never starts a subscription); reading the subscription needs `account: read`.
The webhook takes no key: Stripe proves itself with `Stripe-Signature`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, status

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.billing import checkout, stripe_webhook, subscriptions
from gateway.billing.billing_schemas import (
    BillingSubscription,
    CheckoutCreate,
    CheckoutSession,
    PortalCreate,
    PortalSession,
    StripeEventReceived,
)
from gateway.billing.stripe_api import StripeApi, not_configured
from gateway.billing.usage_schemas import PlanRef
from gateway.kit.errors import (
    ERROR_RESPONSES,
    ErrorEnvelope,
    NotFound,
    PermissionDenied,
)
from gateway.kit.rawbody import raw_body
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.kit.state import app_state

router = APIRouter(
    prefix="/billing", tags=["Billing"], route_class=TransactionalRoute, responses=ERROR_RESPONSES
)

Reader = Annotated[Principal, scoped("account", Access.read)]
Writer = Annotated[Principal, scoped("account", Access.write)]


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorEnvelope, "description": description}


STRIPE_RESPONSES: dict[int | str, dict[str, Any]] = {
    501: _error("Billing is not set up on this gateway (`billing_not_configured`)."),
    502: _error("Stripe refused the call or could not be reached (`stripe_error`)."),
}


def _stripe(request: Request, caller: Principal) -> StripeApi:
    if caller.is_test:
        raise PermissionDenied(
            "Test mode is free: subscribe with a live key (gw_live_…).", code="livemode_required"
        )
    api = app_state(request).stripe
    if api is None:
        raise not_configured()
    return api


@router.post(
    "/checkout",
    status_code=status.HTTP_201_CREATED,
    response_model=CheckoutSession,
    responses={
        **STRIPE_RESPONSES,
        409: _error("The account has a live subscription (`subscription_exists`)."),
    },
)
async def create_checkout_session(
    body: CheckoutCreate, caller: Writer, request: Request, db: DbSession
) -> CheckoutSession:
    """Start a subscription to a plan: a Stripe Checkout Session in subscription mode.
    Send the customer to its `url`; once paid, the plan applies (within seconds, when
    Stripe's event arrives) and `billing.subscription.updated` is published."""
    api = _stripe(request, caller)
    session, plan = await checkout.create_checkout(
        db, api, caller.account_id, plan_id=body.plan, success_url=body.success_url,
        cancel_url=body.cancel_url,
    )  # fmt: skip
    return CheckoutSession(
        id=session.id,
        url=session.url,
        plan=PlanRef(id=plan.id, name=plan.name),
        expires_at=getattr(session, "expires_at", None),  # unix time, as Stripe gives it
    )


@router.post(
    "/portal",
    status_code=status.HTTP_201_CREATED,
    response_model=PortalSession,
    responses=STRIPE_RESPONSES,
)
async def create_portal_session(
    caller: Writer, request: Request, db: DbSession, body: PortalCreate | None = None
) -> PortalSession:
    """A Stripe Customer Portal session: change plan, update the card, see invoices,
    cancel. Send the customer to its `url` at once (it is short-lived)."""
    api = _stripe(request, caller)
    portal = await checkout.create_portal(
        db, api, caller.account_id, return_url=body.return_url if body else None
    )
    return PortalSession(id=portal.id, url=portal.url)


@router.get("/subscription", response_model=BillingSubscription)
async def retrieve_subscription(
    caller: Reader, request: Request, db: DbSession
) -> BillingSubscription:
    """The account's subscription as last synced from Stripe, and the plan in force.
    `status` is `none` before the first subscription (and on gateways without billing)."""
    found = await subscriptions.view(db, app_state(request).settings, caller.account_id)
    if found is None:
        raise NotFound("account", caller.account_id)
    return BillingSubscription(**found.model_dump())


@router.post(
    "/stripe/webhook",
    response_model=StripeEventReceived,
    responses={
        400: _error("`Stripe-Signature` is missing, wrong or stale (`signature_invalid`)."),
        422: _error("The body is not a Stripe event (`invalid_json`)."),
        413: _error("The body is larger than 512 KiB."),
        501: _error("No Stripe webhook secret is set on this gateway."),
    },
)
async def receive_stripe_webhook(
    request: Request,
    db: DbSession,
    signature: Annotated[
        str | None,
        Header(alias="Stripe-Signature", description="`t=<unix time>,v1=<hex HMAC-SHA256>`."),
    ] = None,
) -> StripeEventReceived:
    """An event from Stripe (point the Stripe webhook endpoint here): verified, stored by
    its id, then processed. A replayed event is answered 200 and does nothing."""
    body = await raw_body(request, stripe_webhook.MAX_BODY_BYTES)
    new = await stripe_webhook.receive(db, app_state(request).settings, body, signature)
    return StripeEventReceived(duplicate=not new)
