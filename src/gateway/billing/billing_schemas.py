"""Request and response bodies of ``/v1/billing``."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator

from gateway.billing.usage_schemas import PlanRef
from gateway.events.schemas import BillingSubscriptionData

_URL = Field(max_length=2048)


def _web_url(value: str | None) -> str | None:
    """A browser-reachable ``http(s)`` URL: Stripe sends the customer's browser there."""
    if value is None:
        return None
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError):
        raise ValueError("must be an http:// or https:// URL") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError("must be an http:// or https:// URL")
    return value


class CheckoutCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan: str = Field(max_length=64, description="The plan to subscribe to (`plan_…`).")
    success_url: str = Field(
        max_length=2048,
        description="Where Stripe sends the customer after paying. Stripe replaces "
        "`{CHECKOUT_SESSION_ID}` in it with the Checkout Session's id.",
        examples=["https://app.example.com/billing/done?session={CHECKOUT_SESSION_ID}"],
    )
    cancel_url: str | None = Field(
        default=None,
        max_length=2048,
        description="Where Stripe sends the customer who goes back without paying.",
    )

    _urls = field_validator("success_url", "cancel_url")(_web_url)

    @field_validator("plan")
    @classmethod
    def _no_nul(cls, value: str) -> str:
        if "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class CheckoutSession(BaseModel):
    object: Literal["checkout_session"] = "checkout_session"
    id: str = Field(description="Stripe's Checkout Session id (`cs_…`).")
    url: str = Field(description="The Stripe-hosted page to send the customer to.")
    plan: PlanRef
    expires_at: datetime | None = Field(description="When the page stops accepting payment.")


class PortalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    return_url: str | None = Field(
        default=None,
        max_length=2048,
        description="Where the portal's back link leads; unset, the portal's default.",
    )

    _urls = field_validator("return_url")(_web_url)


class PortalSession(BaseModel):
    object: Literal["billing_portal_session"] = "billing_portal_session"
    id: str = Field(description="Stripe's portal session id (`bps_…`).")
    url: str = Field(
        description="The Stripe-hosted Customer Portal, where the customer changes plan, "
        "updates the card, sees invoices or cancels. Short-lived: open it at once."
    )


class BillingSubscription(BillingSubscriptionData):
    """The account's subscription and the plan in force, as last synced from Stripe."""

    object: Literal["billing_subscription"] = "billing_subscription"


class StripeEventReceived(BaseModel):
    received: Literal[True] = True
    duplicate: bool = Field(description="The event was stored before: nothing was done again.")
