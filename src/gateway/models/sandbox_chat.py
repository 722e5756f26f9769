from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base


class SandboxChat(Base):
    """A chat in a sandbox session's chat list, as the simulated phone shows it. Deleting
    the chat deletes the row; the next message starts it again."""

    __tablename__ = "sandbox_chats"
    __table_args__ = (
        Index("ix_sandbox_chats_session_id_last_activity_at", "session_id", "last_activity_at"),
    )

    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(100))
    unread_count: Mapped[int] = mapped_column(Integer, server_default="0")
    marked_unread: Mapped[bool] = mapped_column(Boolean, server_default="false")
    archived: Mapped[bool] = mapped_column(Boolean, server_default="false")
    last_message: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    last_activity_at: Mapped[datetime | None]
