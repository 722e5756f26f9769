from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class Session(TimestampMixin, Base):
    """A WhatsApp session (one number). The API writes what is wanted (``desired_state``,
    ``generation``, ``logout_generation``); the engine host holding the lease writes what
    is (``status``, ``me``, the QR code, the ``observed_*`` counters)."""

    __tablename__ = "sessions"
    __table_args__ = (
        Index(
            "uq_sessions_account_id_name",
            "account_id",
            "name",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index("ix_sessions_account_id_id", "account_id", "id"),
        Index("ix_sessions_account_id_status_id", "account_id", "status", "id"),
        # The sessions an engine host must act on; most sessions at rest are not.
        Index(
            "ix_sessions_needing_host",
            "id",
            postgresql_where=text(
                "desired_state <> 'stopped' OR status <> 'STOPPED' "
                "OR logout_generation > observed_logout_generation"
            ),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    engine: Mapped[str] = mapped_column(String(20))
    # "metadata" is reserved on declarative classes.
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSONB, server_default="{}")
    config: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")

    desired_state: Mapped[str] = mapped_column(String(10))  # running | stopped | deleted
    generation: Mapped[int] = mapped_column(Integer, server_default="1")
    logout_generation: Mapped[int] = mapped_column(Integer, server_default="0")

    status: Mapped[str] = mapped_column(String(20), server_default="STOPPED")
    status_reason: Mapped[str | None] = mapped_column(String(200))
    status_history: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    observed_generation: Mapped[int] = mapped_column(Integer, server_default="0")
    observed_logout_generation: Mapped[int] = mapped_column(Integer, server_default="0")
    me: Mapped[dict[str, Any] | None] = mapped_column(JSONB(none_as_null=True))
    qr_value: Mapped[str | None] = mapped_column(String(512))
    qr_expires_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
