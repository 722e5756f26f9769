from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class Export(TimestampMixin, Base):
    """An archive of an account's data: a row before it is a job, then a zip in the
    media storage until ``expires_at``."""

    __tablename__ = "exports"
    __table_args__ = (
        Index("ix_exports_account_id_id", "account_id", "id"),
        # One export in the making per account: the 409 holds even when two requests race.
        Index(
            "uq_exports_account_id_active",
            "account_id",
            unique=True,
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
        # What the sweep looks for: work not finished, and archives to purge.
        Index(
            "ix_exports_unfinished",
            "status",
            "leased_until",
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
        Index(
            "ix_exports_expires_at",
            "expires_at",
            postgresql_where=text("status = 'succeeded'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(
        String(10)
    )  # queued | running | succeeded | failed | expired
    progress: Mapped[float] = mapped_column(Float, server_default="0")
    counts: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    # Each run claims the row with the next number: a run whose number is no longer the
    # row's was taken over (its worker presumed dead) and must not write.
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    leased_until: Mapped[datetime | None]
    file_key: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(500))
    completed_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
