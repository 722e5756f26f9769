"""Stripe's webhook, the receiving side: the signature checked with the endpoint's
signing secret, the event stored by its id before Stripe gets its 200, its processing
pushed once that commits.

A bad or stale signature (``Stripe-Signature`` older than five minutes: a replayed
capture) is a 400 and stores nothing. An event stored before (Stripe retries what it got
no 2xx for, and may send an event twice) stores nothing new and pushes nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import stripe
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.billing import subscriptions_repository as repository
from gateway.billing.stripe_api import not_configured
from gateway.config import Settings
from gateway.kit.aftercommit import enqueue_after_commit
from gateway.kit.errors import GatewayError, InvalidJson

log = structlog.get_logger(__name__)

# Stripe's events are a few kilobytes; a subscription with many items stays far below.
MAX_BODY_BYTES = 512 * 1024
PROCESS_JOB = "process_stripe_event"
SIGNATURE_TOLERANCE_SECONDS = 300


class SignatureInvalid(GatewayError):
    status_code = 400
    code = "signature_invalid"


async def receive(db: AsyncSession, settings: Settings, body: bytes, signature: str | None) -> bool:
    """Store the event Stripe signed; whether it is new."""
    secret = settings.stripe_webhook_secret
    if secret is None or not secret.get_secret_value():
        raise not_configured()
    if not signature:
        raise SignatureInvalid("The Stripe-Signature header is missing.", param="Stripe-Signature")
    try:
        text = body.decode()
    except UnicodeDecodeError:
        raise InvalidJson("The request body is not valid UTF-8.") from None
    try:
        # What ``stripe.Webhook.construct_event`` checks, without its parsing: that assumes
        # a JSON object and fails with AttributeError on a signed list.
        stripe.WebhookSignature.verify_header(
            text, signature, secret.get_secret_value(), SIGNATURE_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError as exc:
        log.warning("stripe.webhook.bad_signature", reason=str(exc.user_message or exc))
        raise SignatureInvalid(
            "The Stripe-Signature header does not match the body, or is too old.",
            param="Stripe-Signature",
        ) from None
    try:
        event = json.loads(text)
    except ValueError:
        raise InvalidJson("The request body is not valid JSON.") from None
    if "\\u0000" in text:  # PostgreSQL cannot store NUL in JSONB: refuse, not fail
        raise InvalidJson("The request body contains NUL characters.")
    if (
        not isinstance(event, dict)
        or not isinstance(event.get("id"), str)
        or not isinstance(event.get("type"), str)
        or not isinstance(event.get("data"), dict)
    ):
        raise InvalidJson("The body is not a Stripe event (`id`, `type`, `data`).")
    created = event.get("created")
    new = await repository.store_event(
        db,
        {
            "id": event["id"][:255],
            "type": event["type"][:100],
            "livemode": bool(event.get("livemode")),
            "stripe_created": datetime.fromtimestamp(
                created if isinstance(created, int) else 0, UTC
            ),
            "payload": event,
        },
    )
    if new:
        enqueue_after_commit(db, PROCESS_JOB, event["id"], job_id=f"stripe-event:{event['id']}")
    log.info("stripe.webhook.received", event_id=event["id"], type=event["type"], new=new)
    return new
