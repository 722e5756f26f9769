from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class WebDevice(TimestampMixin, Base):
    """The WhatsApp Web device a ``web`` session is linked as (``user:device@server``).

    The device's keys are whatsmeow's, in its own tables (schema ``whatsmeow``); this row
    says which of them is the session's, so that any worker resumes it. Deleted with the
    device state on logout and deletion."""

    __tablename__ = "web_devices"

    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    jid: Mapped[str] = mapped_column(String(100))
    client: Mapped[str] = mapped_column(String(40))
