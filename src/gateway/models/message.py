from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class Message(TimestampMixin, Base):
    """A message sent or received by a session. Outbound ones are rows before they are
    jobs: the engine host holding the session's lease delivers what is due, in order."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_session_id_id", "session_id", "id"),
        Index("ix_messages_session_id_chat_id_id", "session_id", "chat_id", "id"),
        Index("ix_messages_account_id_id", "account_id", "id"),
        # An account's outbound messages of a period: usage and its reconciliation.
        Index(
            "ix_messages_outbound_account_id_created_at",
            "account_id",
            "created_at",
            postgresql_where=text("direction = 'outbound'"),
        ),
        # What hosts and sweeps look for: outbound work not finished.
        Index(
            "ix_messages_pending",
            "session_id",
            "next_attempt_at",
            "id",
            postgresql_where=text("status IN ('scheduled', 'queued', 'sending')"),
        ),
        Index(
            "uq_messages_session_id_engine_message_id",
            "session_id",
            "engine_message_id",
            unique=True,
            postgresql_where=text("engine_message_id IS NOT NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(8))  # outbound | inbound
    chat_id: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(16))
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)
    reply_to: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12))
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(String(500))
    # The engine's own code for the failure (a Graph API error code), beside ours.
    error_engine_code: Mapped[str | None] = mapped_column(String(40))
    engine_message_id: Mapped[str | None] = mapped_column(String(128))
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    send_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
