from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base


class SandboxSend(Base):
    """What the simulated network received from a sandbox session, once per message id,
    however often a delivery is retried; and the acks it owes for it."""

    __tablename__ = "sandbox_sends"
    __table_args__ = (
        Index(
            "ix_sandbox_sends_acks_due",
            "session_id",
            "next_ack_at",
            postgresql_where=text("next_ack_at IS NOT NULL"),
        ),
    )

    message_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    engine_message_id: Mapped[str] = mapped_column(String(128))
    recipient: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    accepted_at: Mapped[datetime | None]
    next_ack: Mapped[str | None] = mapped_column(String(12))  # delivered | read | played
    read_as: Mapped[str] = mapped_column(String(8), server_default="read")  # voice: played
    next_ack_at: Mapped[datetime | None]
