from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class SandboxDevice(TimestampMixin, Base):
    """The simulated phone a sandbox session is linked to: the sandbox engine's
    "credentials". Linked when ``linked_at`` is set; the phone can log the device out."""

    __tablename__ = "sandbox_devices"

    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    phone_number: Mapped[str | None] = mapped_column(String(20))
    push_name: Mapped[str | None] = mapped_column(String(100))
    linked_at: Mapped[datetime | None]
    logged_out_at: Mapped[datetime | None]
    pairing_code: Mapped[str | None] = mapped_column(String(16))
    pairing_phone_number: Mapped[str | None] = mapped_column(String(20))
