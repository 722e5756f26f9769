from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base


class SessionLease(Base):
    """Which engine host runs a session, until when. Renewed by heartbeat; a host only
    writes a session's state while its lease is unexpired, so two hosts never both do."""

    __tablename__ = "session_leases"
    __table_args__ = (Index("ix_session_leases_host_id", "host_id"),)

    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    host_id: Mapped[str] = mapped_column(String(64))
    acquired_at: Mapped[datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[datetime]
