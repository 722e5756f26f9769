"""Event types (DESIGN §7). Payload schemas live in ``events/schemas.py``."""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    session_status = "session.status"
    session_qr = "session.qr"
    message_received = "message.received"
    message_status = "message.status"
    message_reaction = "message.reaction"
    message_edited = "message.edited"
    message_revoked = "message.revoked"
    group_joined = "group.joined"
    group_left = "group.left"
    group_updated = "group.updated"
    group_participants = "group.participants"
    presence_update = "presence.update"
    call_received = "call.received"
    template_status = "template.status"
    billing_quota_warning = "billing.quota.warning"
    billing_subscription_updated = "billing.subscription.updated"
    webhook_test = "webhook.test"
