from enum import StrEnum

class EventType(StrEnum):
    BILLING_QUOTA_WARNING = "billing.quota.warning"
    BILLING_SUBSCRIPTION_UPDATED = "billing.subscription.updated"
    CALL_RECEIVED = "call.received"
    GROUP_JOINED = "group.joined"
    GROUP_LEFT = "group.left"
    GROUP_PARTICIPANTS = "group.participants"
    GROUP_UPDATED = "group.updated"
    MESSAGE_EDITED = "message.edited"
    MESSAGE_REACTION = "message.reaction"
    MESSAGE_RECEIVED = "message.received"
    MESSAGE_REVOKED = "message.revoked"
    MESSAGE_STATUS = "message.status"
    PRESENCE_UPDATE = "presence.update"
    SESSION_QR = "session.qr"
    SESSION_STATUS = "session.status"
    TEMPLATE_STATUS = "template.status"
    WEBHOOK_TEST = "webhook.test"

    def __str__(self) -> str:
        return str(self.value)
