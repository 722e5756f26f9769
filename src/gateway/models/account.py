from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class Account(TimestampMixin, Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    # `limits` notation (e.g. "100/second"); applies to keys without a limit of their own.
    default_rate_limit: Mapped[str | None] = mapped_column(String(64))
    # Every account is on exactly one plan; a plan with accounts on it cannot be deleted.
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="RESTRICT"), index=True)
    # Days each kind of record is kept, as the account chose; NULL: the operator's default.
    retention_messages_days: Mapped[int | None] = mapped_column(Integer)
    retention_events_days: Mapped[int | None] = mapped_column(Integer)
    retention_webhook_deliveries_days: Mapped[int | None] = mapped_column(Integer)
    # Set when the account erased itself (DELETE /v1/account): the row stays, its name and
    # email cleared, so usage, billing and the audit log keep pointing at it.
    deleted_at: Mapped[datetime | None]
