from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base


class SandboxInbound(Base):
    """A message the simulated network holds for a sandbox session until its engine
    receives it (``received_at``), as a phone's messages wait for a device to connect."""

    __tablename__ = "sandbox_inbound"
    __table_args__ = (
        Index(
            "ix_sandbox_inbound_pending",
            "session_id",
            "id",
            postgresql_where=text("received_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    received_at: Mapped[datetime | None]
