"""The gateway's Stripe client, and what a failing Stripe call becomes for the caller.

One ``stripe.StripeClient`` per process, made from the settings (``stripe_secret_key``,
``stripe_api_base``), on httpx with the library's retries off: a request the gateway makes
on a customer's behalf fails fast with a clear error, and a job's call is retried by the
job's own schedule. Every call is one of the library's ``*_async`` methods.

A Stripe error never shows the key: authentication failures say only that the operator's
key was refused, and other errors repeat Stripe's message (which names the parameter, not
a secret) with Stripe's request id, for the operator to look up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import stripe
import structlog

from gateway.config import Settings
from gateway.kit.errors import GatewayError

log = structlog.get_logger(__name__)


class BillingNotConfigured(GatewayError):
    status_code = 501
    type = "api_error"
    code = "billing_not_configured"


class StripeUnavailable(GatewayError):
    status_code = 502
    type = "api_error"
    code = "stripe_error"


class HTTPXClient(stripe.HTTPXClient):
    """``stripe.HTTPXClient`` sending the form body as ``content=``: the library passes it as
    ``data=``, which httpx deprecates for raw bytes."""

    def _get_request_args_kwargs(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any
    ) -> list[Any]:
        args, kwargs = super()._get_request_args_kwargs(method, url, headers, post_data)
        kwargs["content"] = kwargs.pop("data") or None
        return [args, kwargs]


@dataclass(frozen=True)
class StripeApi:
    """A process's Stripe client and the pooled HTTP client under it."""

    client: stripe.StripeClient
    http: HTTPXClient

    async def aclose(self) -> None:
        await self.http.close_async()  # type: ignore[no-untyped-call]


def not_configured() -> BillingNotConfigured:
    return BillingNotConfigured(
        "Billing is not set up on this gateway (the operator sets GATEWAY_STRIPE_SECRET_KEY)."
    )


def create_stripe(settings: Settings) -> StripeApi | None:
    """The process's Stripe client; ``None`` when billing is off (no secret key)."""
    if settings.stripe_secret_key is None or not settings.billing_enabled:
        return None
    http = HTTPXClient(timeout=settings.stripe_timeout_seconds)
    client = stripe.StripeClient(
        settings.stripe_secret_key.get_secret_value(),
        base_addresses={"api": settings.stripe_api_base.rstrip("/")},
        http_client=http,
        max_network_retries=0,
    )
    return StripeApi(client, http)


def unavailable(exc: stripe.StripeError, action: str) -> StripeUnavailable:
    """What a failed call tells the caller (and logs for the operator)."""
    request_id = getattr(exc, "request_id", None)
    log.warning(
        "stripe.call_failed",
        action=action,
        error=type(exc).__name__,
        code=getattr(exc, "code", None),
        http_status=getattr(exc, "http_status", None),
        stripe_request_id=request_id,
    )
    if isinstance(exc, stripe.AuthenticationError | stripe.PermissionError):
        message = "Stripe refused the gateway's API key; the operator must fix the billing setup."
    elif isinstance(exc, stripe.APIConnectionError):
        message = "Stripe could not be reached; try again shortly."
    else:
        message = f"Stripe refused to {action}: {exc.user_message or 'no reason given'}"
        if request_id:
            message += f" (Stripe request {request_id})"
    return StripeUnavailable(message)
