"""The event object and its payloads, one model per event type.

The payload models are the contract with webhook receivers and SDK users: the OpenAPI
document publishes each one in its ``webhooks`` section, inside the event envelope. A new
event type adds its payload model here and one line to ``EVENT_PAYLOADS``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, create_model

from gateway.engines.base import InboundMessage, Me, SessionStatus
from gateway.events.types import EventType


class EventSession(BaseModel):
    """The session the event is about, as it was when the event happened: events outlive
    renamed and deleted sessions."""

    id: str = Field(examples=["ses_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    name: str = Field(examples=["support"])
    metadata: dict[str, Any] = Field(
        default_factory=dict,
        description="The session's metadata, echoed in every event.",
        examples=[{"team": "support", "region": "eu"}],
    )


class EventBase(BaseModel):
    """The envelope every event shares; ``data`` is added per event type."""

    model_config = ConfigDict(from_attributes=True)

    id: str = Field(examples=["evt_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    object: Literal["event"] = "event"
    type: EventType
    created_at: datetime
    livemode: bool = Field(
        description="False for sandbox sessions' events, the only ones test-mode keys see."
    )
    session: EventSession | None = Field(description="Null for account-level events.")


class EventOut(EventBase):
    """Something that happened: a session changed status, a message arrived …"""

    data: dict[str, Any] = Field(
        description=(
            "The payload. Its shape depends on `type`; the `webhooks` section of this "
            "document describes each one."
        )
    )


class SessionStatusData(BaseModel):
    """The session's status changed. Sent on every transition, so the events of a session
    are its status history."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "WORKING",
                    "previous_status": "SCAN_QR_CODE",
                    "reason": None,
                    "me": {
                        "id": "12025550123@c.us",
                        "phone_number": "+12025550123",
                        "push_name": "Acme Support",
                    },
                }
            ]
        }
    )

    status: SessionStatus = Field(description="The status now.")
    previous_status: SessionStatus | None = Field(
        default=None, description="The status before; null for the session's first status."
    )
    reason: str | None = Field(
        default=None,
        description="Why it changed, when known (set for `FAILED`).",
        examples=["Logged out from the phone."],
    )
    me: Me | None = Field(
        default=None, description="The WhatsApp account the session is linked to, once known."
    )


class SessionQrData(BaseModel):
    """A new QR code to link the session: show it to the person holding the phone, who
    scans it in WhatsApp under *Linked devices*. Each code replaces the previous one."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "qr": "2@y8Jq5FQ3dXGmZ0J1pl+K7Z9rQ==,Xo4d0mA0vJ1c=,hM3QkRwTq9g=,ZCk0xw6Q0qE=",
                    "expires_at": "2025-01-15T09:30:20Z",
                }
            ]
        }
    )

    qr: str = Field(description="The raw value to encode as a QR code; render it as is.")
    expires_at: datetime = Field(description="When WhatsApp stops accepting this code.")


class ReceivedMessage(InboundMessage):
    """A message the session received."""

    id: str | None = Field(
        default=None,
        description="The gateway's id of the message (`msg_…`); null until messages are stored.",
    )


class MessageReceivedData(BaseModel):
    """The session received a message, in a direct chat or a group."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "message": {
                        "id": None,
                        "engine_message_id": "3EB0C767D26A1D3B5F8E",
                        "chat_id": "12025550188@c.us",
                        "from_id": "12025550188@c.us",
                        "from_phone_number": "+12025550188",
                        "from_name": "Ada",
                        "group_id": None,
                        "type": "text",
                        "text": "Hi, is my order on its way?",
                        "media": None,
                        "timestamp": "2025-01-15T09:31:02Z",
                    }
                }
            ]
        }
    )

    message: ReceivedMessage


class WebhookTestData(BaseModel):
    """Sent on request to check that a webhook endpoint receives and verifies events."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"message": "This is a test event from the gateway."}]}
    )

    message: str


# The event types whose payloads are documented; the others are not published yet.
EVENT_PAYLOADS: dict[EventType, type[BaseModel]] = {
    EventType.session_status: SessionStatusData,
    EventType.session_qr: SessionQrData,
    EventType.message_received: MessageReceivedData,
    EventType.webhook_test: WebhookTestData,
}


def _event_model(event_type: EventType, payload: type[BaseModel]) -> type[EventBase]:
    # "session.status" -> SessionStatusEvent: the name SDK generators give the class.
    name = "".join(part.capitalize() for part in event_type.value.split(".")) + "Event"
    # A Literal of a value known only here: typing has no spelling for it but the subscript.
    literal = cast(Any, Literal)[event_type]
    return create_model(
        name,
        __base__=EventBase,
        __doc__=payload.__doc__,
        __module__=__name__,
        type=(literal, ...),
        data=(payload, ...),
    )


# The full event, per type: what a webhook endpoint receives as the request body.
EVENT_MODELS: dict[EventType, type[EventBase]] = {
    event_type: _event_model(event_type, payload) for event_type, payload in EVENT_PAYLOADS.items()
}
