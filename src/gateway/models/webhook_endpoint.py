from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, LargeBinary, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class WebhookEndpoint(TimestampMixin, Base):
    """Where an account wants its events delivered. Signing secrets are stored encrypted
    (the gateway must sign with them, so they cannot be hashed)."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index("ix_webhook_endpoints_account_id_id", "account_id", "id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str | None] = mapped_column(String(500))
    event_types: Mapped[list[str]] = mapped_column(JSONB)  # ["*"] for every type
    session_ids: Mapped[list[str] | None] = mapped_column(JSONB(none_as_null=True))  # null: all
    headers: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    waha_hmac: Mapped[bool] = mapped_column(Boolean, server_default="false")
    enabled: Mapped[bool] = mapped_column(Boolean, server_default="true")
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    # Since when every attempt has failed; a success clears it. Too long: disabled.
    failing_since: Mapped[datetime | None]
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    previous_secret: Mapped[bytes | None] = mapped_column(LargeBinary)
    previous_secret_expires_at: Mapped[datetime | None]
