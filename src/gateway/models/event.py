from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base


class Event(Base):
    """Something that happened, as delivered to webhooks, the stream and ``/v1/events``.
    The session is a snapshot (id, name, metadata): events outlive deleted sessions."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_account_id_id", "account_id", "id"),
        Index("ix_events_account_id_type_id", "account_id", "type", "id"),
        Index("ix_events_account_id_session_id_id", "account_id", "session_id", "id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(40))
    # False for events of sandbox sessions (and account-level test events): test-mode keys
    # see only those.
    livemode: Mapped[bool] = mapped_column(Boolean, server_default="false")
    session_id: Mapped[str | None] = mapped_column(String(40))
    session: Mapped[dict[str, Any] | None] = mapped_column(JSONB(none_as_null=True))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
