from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gateway.events.types import EventType

ALL_EVENTS = "*"
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$")
# Headers the gateway sets itself; a custom one must not override them.
RESERVED_HEADERS = frozenset(
    {"content-type", "content-length", "host", "user-agent", "connection", "transfer-encoding"}
)
MAX_HEADERS = 20


def _check_event_types(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    if not value:
        raise ValueError("give at least one event type, or '*' for all")
    known = {t.value for t in EventType}
    for item in value:
        if item != ALL_EVENTS and item not in known:
            raise ValueError(f"unknown event type {item!r}")
    if ALL_EVENTS in value and len(value) > 1:
        raise ValueError("'*' already means every type")
    return sorted(set(value))


def _check_session_ids(value: list[str] | None) -> list[str] | None:
    if value is not None:
        for item in value:
            if not re.fullmatch(r"ses_[0-9A-HJKMNP-TV-Z]{26}", item):
                raise ValueError(f"not a session id: {item!r}")
        return sorted(set(value))
    return None


def _check_headers(value: dict[str, str] | None) -> dict[str, str] | None:
    if value is not None:
        if len(value) > MAX_HEADERS:
            raise ValueError(f"at most {MAX_HEADERS} headers")
        for name, item in value.items():
            lowered = name.lower()
            if not _HEADER_NAME.match(name) or "\n" in item or "\r" in item or len(item) > 1024:
                raise ValueError(f"invalid header {name!r}")
            if lowered in RESERVED_HEADERS or lowered.startswith("webhook-"):
                raise ValueError(f"the gateway sets {name!r} itself")
    return value


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2048, examples=["https://example.com/hooks/whatsapp"])
    event_types: list[str] = Field(
        default_factory=lambda: [ALL_EVENTS],
        max_length=32,
        description="Event types to deliver, or `['*']` for every type.",
    )
    session_ids: list[str] | None = Field(
        default=None, max_length=100, description="Only these sessions' events; null: all."
    )
    headers: dict[str, str] = Field(
        default_factory=dict, description="Extra headers sent with every delivery."
    )
    description: str | None = Field(default=None, max_length=500)
    waha_hmac: bool = Field(
        default=False,
        description="Also send `X-Webhook-Hmac` (SHA-512 hex of the body), as WAHA does.",
    )

    _types = field_validator("event_types")(_check_event_types)
    _sessions = field_validator("session_ids")(_check_session_ids)
    _headers = field_validator("headers")(_check_headers)


class WebhookUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=2048)
    event_types: list[str] | None = Field(default=None, max_length=32)
    session_ids: list[str] | None = Field(default=None, max_length=100)
    headers: dict[str, str] | None = None
    description: str | None = Field(default=None, max_length=500)
    waha_hmac: bool | None = None
    enabled: bool | None = Field(
        default=None, description="`true` re-enables an endpoint the gateway disabled."
    )

    _types = field_validator("event_types")(_check_event_types)
    _sessions = field_validator("session_ids")(_check_session_ids)
    _headers = field_validator("headers")(_check_headers)


class RotateSecret(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grace_seconds: int = Field(
        default=86_400,
        ge=0,
        le=7 * 86_400,
        description="How long the old secret keeps signing alongside the new one.",
    )


class WebhookOut(BaseModel):
    id: str = Field(examples=["whk_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    object: Literal["webhook_endpoint"] = "webhook_endpoint"
    url: str
    event_types: list[str]
    session_ids: list[str] | None
    headers: dict[str, str]
    description: str | None
    waha_hmac: bool
    enabled: bool
    disabled_reason: str | None
    previous_secret_expires_at: datetime | None = Field(
        description="Until then deliveries carry two signatures: new and old secret."
    )
    created_at: datetime
    updated_at: datetime


class WebhookWithSecret(WebhookOut):
    secret: str = Field(
        description="The signing secret (`whsec_…`), shown on create and rotate only.",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )


class WebhookDeleted(BaseModel):
    id: str
    object: Literal["webhook_endpoint"] = "webhook_endpoint"
    deleted: Literal[True] = True


class AttemptOut(BaseModel):
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    response_excerpt: str | None = Field(description="The start of the answer (1 KiB).")
    error: str | None = Field(description="Why no answer came (connection, timeout, guard).")


class DeliveryOut(BaseModel):
    id: str = Field(examples=["dlv_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    object: Literal["webhook_delivery"] = "webhook_delivery"
    endpoint_id: str
    event_id: str
    event_type: str
    status: Literal["pending", "succeeded", "failed"]
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    succeeded_at: datetime | None
    created_at: datetime


class DeliveryWithAttempts(DeliveryOut):
    attempt_log: list[AttemptOut]


class RecoverRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: datetime = Field(description="Re-send every failed delivery created since then.")


class Recovered(BaseModel):
    object: Literal["webhook_recovery"] = "webhook_recovery"
    endpoint_id: str
    retried: int
