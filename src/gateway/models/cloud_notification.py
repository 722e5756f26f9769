from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base


class CloudNotification(Base):
    """One change of a Meta webhook notification, for one cloud session: stored before
    Meta gets its 200, processed by a job afterwards (Meta does not resend what it was
    answered 200 for, so the row is the only copy).

    ``digest`` is a SHA-256 of the change's canonical JSON: Meta retries a notification
    it got no answer for, and a retry stores nothing new. ``next_attempt_at`` is when the
    row may be processed (again): a status about a message whose send is not recorded
    yet waits a little."""

    __tablename__ = "cloud_notifications"
    __table_args__ = (
        Index("uq_cloud_notifications_session_id_digest", "session_id", "digest", unique=True),
        # What the sweep looks for: rows not processed yet.
        Index(
            "ix_cloud_notifications_pending",
            "next_attempt_at",
            postgresql_where=text("processed_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(64))
    # {"entry_id", "entry_time", "field", "value"}: the change with its entry's id (the
    # WABA) and time, as Meta sent them.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    digest: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(server_default=func.now())
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(server_default=func.now())
    processed_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(20))  # processed | gave_up | failed
    last_error: Mapped[str | None] = mapped_column(String(500))
