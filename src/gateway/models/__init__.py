"""ORM models, one module per table; importing this package registers them all."""

from gateway.models.account import Account
from gateway.models.api_key import ApiKey
from gateway.models.audit_entry import AuditEntry
from gateway.models.base import Base
from gateway.models.billing import BillingCustomer, MeterReport, StripeEvent
from gateway.models.cloud_notification import CloudNotification
from gateway.models.cloud_number import CloudMedia, CloudNumber, ConversationWindow
from gateway.models.cloud_template import CloudTemplate, CloudTemplateSync
from gateway.models.event import Event
from gateway.models.export import Export
from gateway.models.idempotency_key import IdempotencyKey
from gateway.models.media import Media
from gateway.models.message import Message
from gateway.models.plan import Plan
from gateway.models.sandbox_chat import SandboxChat
from gateway.models.sandbox_contact import SandboxContact
from gateway.models.sandbox_device import SandboxDevice
from gateway.models.sandbox_group import SandboxGroup, SandboxGroupMember
from gateway.models.sandbox_inbound import SandboxInbound
from gateway.models.sandbox_send import SandboxSend
from gateway.models.session import Session
from gateway.models.session_lease import SessionLease
from gateway.models.web_chat import WebChat
from gateway.models.web_device import WebDevice
from gateway.models.webhook_delivery import WebhookAttempt, WebhookDelivery
from gateway.models.webhook_endpoint import WebhookEndpoint

__all__ = [
    "Account",
    "ApiKey",
    "AuditEntry",
    "Base",
    "BillingCustomer",
    "CloudMedia",
    "CloudNotification",
    "CloudNumber",
    "CloudTemplate",
    "CloudTemplateSync",
    "ConversationWindow",
    "Event",
    "Export",
    "IdempotencyKey",
    "Media",
    "Message",
    "MeterReport",
    "Plan",
    "SandboxChat",
    "SandboxContact",
    "SandboxDevice",
    "SandboxGroup",
    "SandboxGroupMember",
    "SandboxInbound",
    "SandboxSend",
    "Session",
    "SessionLease",
    "StripeEvent",
    "WebChat",
    "WebDevice",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
