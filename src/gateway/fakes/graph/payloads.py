"""Webhook bodies exactly as Meta's reference shows them: status, inbound and template events."""

from __future__ import annotations

import base64
import hashlib
import time
from typing import Any

from gateway.fakes.graph.errors import GraphError
from gateway.fakes.graph.state import FakeNumber, SentMessage, Template, unix_now

CONVERSATION_SECONDS = 24 * 3600


def envelope(waba_id: str, field: str, value: dict[str, Any], **entry: Any) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": waba_id, **entry, "changes": [{"value": value, "field": field}]}],
    }


def messages_change(number: FakeNumber, **value: Any) -> dict[str, Any]:
    """A ``messages`` field change: statuses, or contacts and messages."""
    return envelope(
        number.waba_id,
        "messages",
        {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": number.display_phone_number,
                "phone_number_id": number.phone_number_id,
            },
            **value,
        },
    )


def status_object(
    message: SentMessage,
    status: str,
    *,
    category: str,
    conversation_id: str,
    error: GraphError | None = None,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": message.wamid,
        "status": status,
        "timestamp": unix_now(),
        "recipient_id": "".join(c for c in message.to if c.isdigit()),
    }
    if message.callback_data is not None:
        item["biz_opaque_callback_data"] = message.callback_data
    # Meta prices sent and delivered statuses; read and failed ones carry no pricing.
    if status in ("sent", "delivered"):
        conversation: dict[str, Any] = {"id": conversation_id, "origin": {"type": category}}
        if status == "sent":
            conversation["expiration_timestamp"] = str(int(time.time()) + CONVERSATION_SECONDS)
        item["conversation"] = conversation
        free = category == "service"
        item["pricing"] = {
            "billable": not free,
            "pricing_model": "PMP",
            "category": category,
            "type": "free_customer_service" if free else "regular",
        }
    if error is not None:
        item["errors"] = [error.webhook_error()]
    return item


def inbound_media(
    media_id: str, mime_type: str, data: bytes, extra: dict[str, Any]
) -> dict[str, Any]:
    """The media object of an inbound message: Meta sends the id and a base64 SHA-256."""
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    return {**extra, "mime_type": mime_type, "sha256": digest, "id": media_id}


def inbound_message(
    sender: str, wamid: str, kind: str, content: Any, context: dict[str, Any] | None
) -> dict[str, Any]:
    message: dict[str, Any] = {"from": sender, "id": wamid, "timestamp": unix_now()}
    if context is not None:
        message["context"] = context
    message["type"] = kind
    message[kind] = content
    return message


def template_status(template: Template, event: str, reason: str | None) -> dict[str, Any]:
    return envelope(
        template.waba_id,
        "message_template_status_update",
        {
            "event": event,
            "message_template_id": int(template.id),
            "message_template_name": template.name,
            "message_template_language": template.language,
            "reason": reason or "NONE",
            "message_template_category": template.category,
        },
        time=int(time.time()),
    )
