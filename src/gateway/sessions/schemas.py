from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gateway.engines.base import Capability, Me, SessionStatus
from gateway.engines.web.watchdog import WatchdogConfig

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
MAX_METADATA_KEYS = 50


class PacingConfig(BaseModel):
    """Server-side pacing of outbound messages, so bulk sends look human."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool | None = Field(
        default=None,
        description="Unset: on for engines that risk bans by sending like a machine "
        "(WhatsApp Web), off for the sandbox and the Cloud API (Meta meters throughput).",
    )
    min_gap_ms: int = Field(default=1500, ge=0, le=600_000)
    jitter_ms: int = Field(default=1500, ge=0, le=600_000)
    typing: bool = Field(default=True, description="Show 'typing…' before text messages.")
    typing_ms_per_char: int = Field(default=40, ge=0, le=1000)


class SandboxConfig(BaseModel):
    """Behaviour of the simulated network (sandbox engine only)."""

    model_config = ConfigDict(extra="forbid")

    auto_link: bool = Field(
        default=False, description="Link as if the QR code were scanned, right after it shows."
    )
    qr_ttl_seconds: float = Field(default=20.0, ge=0.2, le=300)
    qr_max_renewals: int = Field(
        default=5, ge=0, le=50, description="New QR codes before the session FAILs."
    )
    ack_delivered_ms: int = Field(
        default=200, ge=0, le=600_000, description="A sent message is delivered after this."
    )
    ack_read_ms: int = Field(
        default=800, ge=0, le=600_000, description="…and read (or played) this long after."
    )
    unsupported: list[Capability] = Field(
        default_factory=list,
        description="Operations to refuse with 501, to test how a client copes with engines "
        "that lack them.",
    )


GRAPH_ID_PATTERN = r"^[0-9]{1,30}$"
# Secrets are printable and without spaces: what Meta issues, and nothing that could
# smuggle a header line or a NUL byte into a request.
SECRET_PATTERN = r"^[\x21-\x7e]+$"  # noqa: S105 - a pattern, not a secret


class _CloudNumber(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone_number_id: str = Field(
        pattern=GRAPH_ID_PATTERN, examples=["106540352242922"],
        description="The business phone number's id in Meta's WhatsApp Manager.",
    )  # fmt: skip
    waba_id: str = Field(
        pattern=GRAPH_ID_PATTERN, examples=["102290129340398"],
        description="The WhatsApp Business Account the number belongs to (its templates).",
    )  # fmt: skip
    graph_base_url: str = Field(
        default="https://graph.facebook.com", max_length=200,
        description="Meta's Graph API, or a fake of it for local trials (`gateway fake-graph`).",
    )  # fmt: skip
    graph_version: str = Field(default="v21.0", pattern=r"^v[0-9]{1,2}\.[0-9]{1,2}$")
    messages_per_second: int = Field(
        default=80, ge=1, le=1000,
        description="The number's send rate across every worker; Meta's default is 80/s.",
    )  # fmt: skip


class CloudConfig(_CloudNumber):
    """A Meta WhatsApp Cloud API number (``cloud`` engine only). The secrets are stored
    encrypted and never returned; leave them out of an update to keep them."""

    access_token: str | None = Field(
        default=None, min_length=8, max_length=1024, pattern=SECRET_PATTERN,
        json_schema_extra={"writeOnly": True},
        description="A system-user access token with whatsapp_business_messaging and "
        "whatsapp_business_management. Required when the session is created.",
    )  # fmt: skip
    app_secret: str | None = Field(
        default=None, min_length=8, max_length=256, pattern=SECRET_PATTERN,
        json_schema_extra={"writeOnly": True},
        description="The Meta app's secret: Meta signs its webhooks with it.",
    )  # fmt: skip
    verify_token: str | None = Field(
        default=None, min_length=8, max_length=256, pattern=SECRET_PATTERN,
        json_schema_extra={"writeOnly": True},
        description="Any string you choose; Meta sends it back when you subscribe the "
        "webhook URL `/v1/cloud/webhook`.",
    )  # fmt: skip
    # What a session's config shows instead of the secrets: accepted and ignored, so a
    # config read from the API can be sent back as it is with one field changed.
    access_token_hint: str | None = Field(
        default=None, exclude=True, json_schema_extra={"readOnly": True}
    )
    app_secret_hint: str | None = Field(
        default=None, exclude=True, json_schema_extra={"readOnly": True}
    )
    verify_token_hint: str | None = Field(
        default=None, exclude=True, json_schema_extra={"readOnly": True}
    )


class CloudConfigOut(_CloudNumber):
    """The number as stored: the secrets show as hints only."""

    model_config = ConfigDict(extra="forbid")

    access_token_hint: str = Field(examples=["EAAG…9xQk"])
    app_secret_hint: str = Field(examples=["3f1a…77c0"])
    verify_token_hint: str = Field(examples=["my-v…oken"])


class WebConfig(BaseModel):
    """A linked device on WhatsApp Web (``web`` engine only)."""

    model_config = ConfigDict(extra="forbid")

    qr_timeout_seconds: float = Field(
        default=180.0, ge=10, le=3600,
        description="Not linked by then (QR code not scanned, pairing code not typed): the "
        "session FAILs with `qr_timeout`; starting it again shows new codes.",
    )  # fmt: skip
    watchdog: WatchdogConfig = Field(
        default_factory=WatchdogConfig,
        description="When a WORKING session gone silent is probed, and reconnected if dead "
        "(`reason: watchdog_reconnect`).",
    )


class SessionConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pacing: PacingConfig = Field(default_factory=PacingConfig)
    proxy: str | None = Field(default=None, max_length=500, description="Engine proxy URL.")
    sandbox: SandboxConfig = Field(default_factory=SandboxConfig)
    cloud: CloudConfig | None = Field(
        default=None, description="The Meta Cloud API number: required for `engine: cloud`."
    )
    web: WebConfig = Field(default_factory=WebConfig)


class SessionConfigOut(SessionConfig):
    cloud: CloudConfigOut | None = None  # type: ignore[assignment]


def _check_metadata(value: dict[str, str] | None) -> dict[str, str] | None:
    if value is not None:
        if len(value) > MAX_METADATA_KEYS:
            raise ValueError(f"at most {MAX_METADATA_KEYS} keys")
        for key, item in value.items():
            if not 1 <= len(key) <= 40 or len(item) > 500:
                raise ValueError("keys are 1 to 40 characters, values at most 500")
    return value


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN, examples=["support"], description="Unique per account.")
    engine: str = Field(default="sandbox", max_length=20, examples=["sandbox"])
    metadata: dict[str, str] = Field(
        default_factory=dict, description="Your key-value pairs, echoed in every event."
    )
    config: SessionConfig = Field(default_factory=SessionConfig)
    start: bool = Field(default=True, description="Start connecting right away.")

    _metadata = field_validator("metadata")(_check_metadata)


class SessionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, pattern=NAME_PATTERN)
    metadata: dict[str, str] | None = Field(default=None, description="Replaces the metadata.")
    config: SessionConfig | None = Field(
        default=None, description="Replaces the config; a running session restarts with it."
    )

    _metadata = field_validator("metadata")(_check_metadata)


class StatusChange(BaseModel):
    status: SessionStatus
    reason: str | None = None
    at: datetime


class SessionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(examples=["ses_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    object: Literal["session"] = "session"
    name: str
    engine: str
    status: SessionStatus
    status_reason: str | None
    status_history: list[StatusChange] = Field(description="The latest changes, oldest first.")
    desired_state: Literal["running", "stopped"] = Field(
        description="What was asked for: `running` after create/start/restart, else `stopped`."
    )
    metadata: dict[str, str]
    config: SessionConfigOut
    capabilities: list[Capability] = Field(
        description="What the session's engine, as configured, can do; the rest answers 501."
    )
    me: Me | None = Field(description="The linked account, once WORKING.")
    created_at: datetime
    updated_at: datetime


class SessionDeleted(BaseModel):
    id: str
    object: Literal["session"] = "session"
    deleted: Literal[True] = True


class QrCode(BaseModel):
    value: str = Field(description="The raw QR value; render it or use `data_uri`.")
    data_uri: str = Field(description="A PNG of the QR code as a data URI.")
    expires_at: datetime


class PairingCodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone_number: str = Field(
        max_length=32, examples=["+12025550123"], description="The number to link, E.164."
    )


class PairingCode(BaseModel):
    code: str = Field(examples=["ABCD-EFGH"], description="Type it on the phone to link.")
    phone_number: str
