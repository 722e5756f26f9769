"""Typed events and webhook verification.

Deliveries are signed the Standard Webhooks way (``webhook-id``, ``webhook-timestamp``,
``webhook-signature``); the event types and their payloads come from the ``webhooks``
section of the OpenAPI document, one generated model per type (``WEBHOOK_EVENTS``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from ._generated.models.event_out import EventOut
from ._generated.webhook_events import WEBHOOK_EVENTS, WebhookEvent

__all__ = [
    "WEBHOOK_EVENTS",
    "UnknownEvent",
    "WebhookEvent",
    "WebhookVerificationError",
    "parse_event",
    "verify_webhook",
]


@dataclass(frozen=True)
class UnknownEvent:
    """An event of a type this version of the SDK does not know (a newer gateway's).

    Receivers subscribed to every type get these after the gateway gains one; answering
    them 2xx (and ignoring them) keeps the endpoint healthy until the SDK is upgraded.
    """

    id: str
    type: str
    created_at: str
    data: Mapping[str, Any]
    raw: Mapping[str, Any] = field(repr=False)


def parse_event(payload: bytes | str | Mapping[str, Any] | EventOut) -> WebhookEvent | UnknownEvent:
    """The typed event of a payload: a webhook body, or an event of ``GET /v1/events``.

    ``MessageReceivedEvent`` for ``message.received``, ``SessionStatusEvent`` for
    ``session.status`` …: match on the class, ``case MessageReceivedEvent(data=data):``.
    """
    if isinstance(payload, EventOut):
        document: Any = payload.to_dict()
    elif isinstance(payload, bytes | str):
        document = json.loads(payload)
    else:
        document = dict(payload)
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        raise ValueError("not an event: no type")
    model = WEBHOOK_EVENTS.get(document["type"])
    if model is None:
        return UnknownEvent(
            id=str(document.get("id")),
            type=document["type"],
            created_at=str(document.get("created_at")),
            data=document.get("data") or {},
            raw=document,
        )
    return model.from_dict(document)


def verify_webhook(
    payload: bytes | str, headers: Mapping[str, str], secret: str
) -> WebhookEvent | UnknownEvent:
    """Check a delivery's signature and return its typed event.

    ``payload`` must be the raw body exactly as received (not parsed and re-serialised);
    ``headers`` any mapping of the delivery's headers (a dict, Starlette's or httpx's
    ``Headers``); ``secret`` the endpoint's ``whsec_…``. Raises `WebhookVerificationError`
    when the signature does not match, a header is missing, or the timestamp is more than
    five minutes away (a replayed delivery). Deduplicate on ``event.id``: it is the
    ``webhook-id``, the same on every retry.
    """
    verifier = Webhook(secret)
    plain = {name.lower(): value for name, value in headers.items()}
    try:
        document = verifier.verify(payload, plain)
    except (WebhookVerificationError, json.JSONDecodeError):
        raise
    except ValueError as error:
        # A malformed signature header ("v1" without a comma, bad base64) is a bad
        # signature, not a crash of the receiver.
        raise WebhookVerificationError(f"malformed signature: {error}") from error
    if not isinstance(document, dict):
        raise WebhookVerificationError("the payload is not an event")
    return parse_event(document)
