"""The event object and its payloads, one model per event type.

The payload models are the contract with webhook receivers and SDK users: the OpenAPI
document publishes each one in its ``webhooks`` section, inside the event envelope. A new
event type adds its payload model here and one line to ``EVENT_PAYLOADS``.
"""

from __future__ import annotations

import inspect
from datetime import datetime
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, create_model

from gateway.cloud.templates.schemas import TemplateOut
from gateway.engines.base import InboundMessage, Me, SessionStatus
from gateway.engines.records import (
    GroupJoined,
    GroupLeft,
    GroupParticipantsChanged,
    GroupUpdated,
    IncomingCall,
    PresenceUpdate,
)
from gateway.events.types import EventType
from gateway.messages.schemas import MessageOut, MessageStatus


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
        default=None, description="The status before (`STOPPED` for a new session's first)."
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

    id: str = Field(
        description="The gateway's id of the message (`msg_…`): `GET /v1/messages/{id}`.",
        examples=["msg_01JA2B3C4D5E6F7G8H9J0KMNPQ"],
    )


class MessageReceivedData(BaseModel):
    """The session received a message, in a direct chat or a group."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "message": {
                        "id": "msg_01JA2B3C4D5E6F7G8H9J0KMNPQ",
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


def _message_example(**changes: Any) -> dict[str, Any]:
    """An outbound message as the API shows it, for the examples below."""
    return {
        "id": "msg_01JA2B3C4D5E6F7G8H9J0KMNPQ",
        "object": "message",
        "session_id": "ses_01JA2B3C4D5E6F7G8H9J0KMNPQ",
        "direction": "outbound",
        "chat_id": "12025550188@c.us",
        "type": "text",
        "content": {"text": "Your order has shipped.", "link_preview": True, "mentions": []},
        "reply_to": None,
        "status": "delivered",
        "error": None,
        "engine_message_id": "3EB0C767D26A1D3B5F8E",
        "attempts": 1,
        "send_at": None,
        "expires_at": "2025-01-16T09:30:00Z",
        "sent_at": "2025-01-15T09:30:01Z",
        "delivered_at": "2025-01-15T09:30:02Z",
        "read_at": None,
        "edited_at": None,
        "revoked_at": None,
        "created_at": "2025-01-15T09:30:00Z",
        "updated_at": "2025-01-15T09:30:02Z",
        **changes,
    }


class MessageStatusData(BaseModel):
    """A message the session sends changed status: `queued`, `sending`, `sent`,
    `delivered`, `read` or `played`, or `failed` (with `error`), `scheduled`, `cancelled`.
    Sent on every transition."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"message": _message_example(), "previous_status": "sent"}]}
    )

    message: MessageOut = Field(description="The message, in its new status.")
    previous_status: MessageStatus


class MessageReactionData(BaseModel):
    """The session reacted to a message (the reaction was sent). An empty `emoji` removes
    the session's earlier reaction."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "message": _message_example(
                        id="msg_01JA2B3D0Q6R7S8T9V0W1X2Y3Z",
                        type="reaction",
                        content={
                            "message_id": "msg_01JA2B3C4D5E6F7G8H9J0KMNPQ",
                            "emoji": "👍",
                            "chat_id": "12025550188@c.us",
                        },
                        status="sent",
                        delivered_at=None,
                    ),
                    "target_message_id": "msg_01JA2B3C4D5E6F7G8H9J0KMNPQ",
                    "emoji": "👍",
                }
            ]
        }
    )

    message: MessageOut = Field(description="The reaction message.")
    target_message_id: str = Field(description="The message reacted to (`msg_…`).")
    emoji: str = Field(description="The reaction; empty when it was removed.")


class MessageEditedData(BaseModel):
    """The text of a message was changed: one the session sends, before it was sent (it
    goes out with the new text) or after, in the chat (`edited_at` is set); or one the
    session received, by its sender."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "message": _message_example(
                        content={
                            "text": "Your order has shipped and arrives tomorrow.",
                            "link_preview": True,
                            "mentions": [],
                        },
                        edited_at="2025-01-15T09:35:00Z",
                        updated_at="2025-01-15T09:35:00Z",
                    ),
                    "previous_text": "Your order has shipped.",
                }
            ]
        }
    )

    message: MessageOut = Field(description="The message, with its new text.")
    previous_text: str = Field(description="The text before the edit.")


class MessageRevokedData(BaseModel):
    """A message was deleted for everyone in the chat: one the session sent, or one it
    received (by its sender, or by a group admin)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "message": _message_example(
                        revoked_at="2025-01-15T09:40:00Z", updated_at="2025-01-15T09:40:00Z"
                    )
                }
            ]
        }
    )

    message: MessageOut = Field(description="The message; `revoked_at` says when.")


class WebhookTestData(BaseModel):
    """Sent on request to check that a webhook endpoint receives and verifies events."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"message": "This is a test event from the gateway."}]}
    )

    message: str


class TemplateStatusData(BaseModel):
    """Meta reviewed a template of a cloud session, or changed its status later
    (`APPROVED`, `REJECTED` with a reason, `PAUSED`, `DISABLED` …)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "template": {
                        **TemplateOut.model_json_schema()["examples"][0],
                        "status": "REJECTED",
                        "rejected_reason": "INVALID_FORMAT",
                    },
                    "previous_status": "PENDING",
                    "reason": "INVALID_FORMAT",
                }
            ]
        }
    )

    template: TemplateOut = Field(description="The template, in its new status.")
    previous_status: str | None = Field(
        description="The status before; null for a template this gateway had not seen."
    )
    reason: str | None = Field(
        default=None, description="Why, as Meta says (set for rejections, pauses …)."
    )


class BillingQuotaWarningData(BaseModel):
    """The account's live messages this billing period reached 80 % or 100 % of what its
    plan includes. Sent once per threshold and period (a calendar month in UTC); an
    account-level event, so `session` is null."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "period": "2026-12",
                    "threshold_percent": 80,
                    "messages": 8000,
                    "included_messages": 10000,
                    "overage_allowed": False,
                    "plan": {"id": "plan_01JA2B3C4D5E6F7G8H9J0KMNPQ", "name": "Starter"},
                    "resets_at": "2027-01-01T00:00:00Z",
                }
            ]
        }
    )

    period: str = Field(description="The billing period, `YYYY-MM` (UTC).")
    threshold_percent: Literal[80, 100] = Field(description="The threshold reached.")
    messages: int = Field(description="Live messages counted in the period when it was sent.")
    included_messages: int = Field(description="The messages the plan includes per period.")
    overage_allowed: bool = Field(
        description="Whether sends go on past the included messages (billed as overage); "
        "if not, they are refused with 402 `quota_exceeded` until `resets_at`."
    )
    plan: dict[str, str] = Field(description="The account's plan: `id` and `name`.")
    resets_at: datetime = Field(description="When the next period begins.")


SubscriptionStatus = Literal[
    "none",
    "incomplete",
    "incomplete_expired",
    "trialing",
    "active",
    "past_due",
    "unpaid",
    "canceled",
    "paused",
]


class BillingSubscriptionData(BaseModel):
    """The account's subscription changed: it started, changed plan, was set to cancel,
    renewed, fell past due, or ended (and the account is back on the default plan). An
    account-level event, so `session` is null."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "active",
                    "plan": {"id": "plan_01JA2B3C4D5E6F7G8H9J0KMNPQ", "name": "Starter"},
                    "subscribed_plan": {"id": "plan_01JA2B3C4D5E6F7G8H9J0KMNPQ", "name": "Starter"},
                    "cancel_at_period_end": False,
                    "current_period_end": "2027-01-02T09:30:00Z",
                    "grace_ends_at": None,
                    "stripe_customer_id": "cus_QxY7d3fJk2LmNo",
                    "stripe_subscription_id": "sub_1QxY7d3fJk2LmNoPq",
                }
            ]
        }
    )

    status: SubscriptionStatus = Field(
        description="Stripe's status of the subscription; `none` before the first one."
    )
    plan: dict[str, str] = Field(
        description="The plan in force (`id`, `name`): the subscribed plan while the "
        "subscription is live or within its grace period, the default plan otherwise."
    )
    subscribed_plan: dict[str, str] | None = Field(
        description="The plan the subscription pays for; null without one."
    )
    cancel_at_period_end: bool = Field(
        description="The subscription ends at `current_period_end` (the account then moves "
        "to the default plan)."
    )
    current_period_end: datetime | None = Field(description="When the paid period ends.")
    grace_ends_at: datetime | None = Field(
        description="While `past_due` or `unpaid`: when the account falls back to the default "
        "plan's limits unless the invoice is paid."
    )
    stripe_customer_id: str | None
    stripe_subscription_id: str | None


_ME = "12025550123@c.us"
_GROUP_ID = "120363012345678901@g.us"
_ADA = {
    "id": "12025550111@c.us",
    "phone_number": "+12025550111",
    "lid": "184467440737095@lid",
    "role": "admin",
}
_GROUP = {
    "object": "group",
    "id": _GROUP_ID,
    "subject": "Order 1042",
    "description": None,
    "picture_url": None,
    "owner": _ME,
    "created_at": "2025-01-15T09:30:00Z",
    "settings": {"only_admins_send": False, "only_admins_edit_info": False},
    "participants": [
        {"id": _ME, "phone_number": "+12025550123", "lid": None, "role": "superadmin"},
        _ADA,
    ],
}


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class GroupJoinedData(GroupJoined):
    model_config = _examples({"by": _ME, "via": "created", "group": _GROUP})


class GroupLeftData(GroupLeft):
    model_config = _examples(
        {"by": _ME, "reason": "left", "group_id": _GROUP_ID, "subject": "Order 1042"}
    )


class GroupUpdatedData(GroupUpdated):
    model_config = _examples({"by": _ME, "changes": ["subject"], "group": _GROUP})


class GroupParticipantsData(GroupParticipantsChanged):
    model_config = _examples(
        {"by": _ME, "group_id": _GROUP_ID, "action": "promote", "participants": [_ADA]}
    )


class PresenceUpdateData(PresenceUpdate):
    model_config = _examples(
        {
            "chat_id": "12025550111@c.us",
            "participant_id": "12025550111@c.us",
            "presence": "composing",
            "last_seen_at": None,
        }
    )


class CallReceivedData(IncomingCall):
    model_config = _examples(
        {
            "call_id": "7C3F1A2B9E0D4C5B",
            "chat_id": "12025550111@c.us",
            "from_id": "12025550111@c.us",
            "from_phone_number": "+12025550111",
            "from_lid": "184467440737095@lid",
            "group_id": None,
            "video": False,
            "offered_at": "2025-01-15T09:31:02Z",
        }
    )


# The event types whose payloads are documented; the others are not published yet.
EVENT_PAYLOADS: dict[EventType, type[BaseModel]] = {
    EventType.session_status: SessionStatusData,
    EventType.session_qr: SessionQrData,
    EventType.message_received: MessageReceivedData,
    EventType.message_status: MessageStatusData,
    EventType.message_reaction: MessageReactionData,
    EventType.message_edited: MessageEditedData,
    EventType.message_revoked: MessageRevokedData,
    EventType.group_joined: GroupJoinedData,
    EventType.group_left: GroupLeftData,
    EventType.group_updated: GroupUpdatedData,
    EventType.group_participants: GroupParticipantsData,
    EventType.presence_update: PresenceUpdateData,
    EventType.call_received: CallReceivedData,
    EventType.webhook_test: WebhookTestData,
    EventType.template_status: TemplateStatusData,
    EventType.billing_quota_warning: BillingQuotaWarningData,
    EventType.billing_subscription_updated: BillingSubscriptionData,
}


def _event_model(event_type: EventType, payload: type[BaseModel]) -> type[EventBase]:
    # "session.status" -> SessionStatusEvent: the name SDK generators give the class.
    name = "".join(part.capitalize() for part in event_type.value.split(".")) + "Event"
    # A Literal of a value known only here: typing has no spelling for it but the subscript.
    literal = cast(Any, Literal)[event_type]
    return create_model(
        name,
        __base__=EventBase,
        __doc__=inspect.getdoc(payload),
        __module__=__name__,
        type=(literal, ...),
        data=(payload, ...),
    )


# The full event, per type: what a webhook endpoint receives as the request body.
EVENT_MODELS: dict[EventType, type[EventBase]] = {
    event_type: _event_model(event_type, payload) for event_type, payload in EVENT_PAYLOADS.items()
}
