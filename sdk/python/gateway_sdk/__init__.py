"""Python client for the WhatsApp gateway API.

    from gateway_sdk import Gateway
    from gateway_sdk.models import SessionCreate, TextSend

    gw = Gateway(api_key="gw_test_…")  # or GATEWAY_API_KEY / GATEWAY_BASE_URL
    session = gw.sessions.create_session(body=SessionCreate(name="support"))

Every operation of ``openapi/openapi.json`` is a method of its tag (generated); the models
are in `gateway_sdk.models`, the generated functions in `gateway_sdk.api`.
"""

from . import api, models
from ._client import DEFAULT_BASE_URL, AsyncGateway, Gateway, Page
from ._errors import (
    APIError,
    AuthenticationError,
    ConflictError,
    EngineError,
    GatewayConnectionError,
    GatewayError,
    IdempotencyError,
    InvalidRequestError,
    NotFoundError,
    PermissionError,
    RateLimitError,
)
from ._generated.errors import UnexpectedStatus
from ._generated.types import UNSET, File, Unset
from ._transport import RetryPolicy
from ._webhooks import (
    WEBHOOK_EVENTS,
    UnknownEvent,
    WebhookEvent,
    WebhookVerificationError,
    parse_event,
    verify_webhook,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "UNSET",
    "WEBHOOK_EVENTS",
    "APIError",
    "AsyncGateway",
    "AuthenticationError",
    "ConflictError",
    "EngineError",
    "File",
    "Gateway",
    "GatewayConnectionError",
    "GatewayError",
    "IdempotencyError",
    "InvalidRequestError",
    "NotFoundError",
    "Page",
    "PermissionError",
    "RateLimitError",
    "RetryPolicy",
    "UnexpectedStatus",
    "UnknownEvent",
    "Unset",
    "WebhookEvent",
    "WebhookVerificationError",
    "api",
    "models",
    "parse_event",
    "verify_webhook",
]
