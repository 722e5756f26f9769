from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base


class SandboxContact(Base):
    """What a sandbox session's phone knows of one number beyond the virtual directory:
    whether it blocked it, and whether it has learnt the number behind its LID."""

    __tablename__ = "sandbox_contacts"
    __table_args__ = (Index("ix_sandbox_contacts_session_id_lid", "session_id", "lid"),)

    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    phone_number: Mapped[str] = mapped_column(String(20), primary_key=True)
    lid: Mapped[str] = mapped_column(String(64))
    push_name: Mapped[str | None] = mapped_column(String(100))
    phone_known: Mapped[bool] = mapped_column(Boolean, server_default="false")
    blocked: Mapped[bool] = mapped_column(Boolean, server_default="false")
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
