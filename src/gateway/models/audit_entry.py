from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base


class AuditEntry(Base):
    """One change, append-only: a trigger refuses updates, and deletes unless the purge
    that may make them says so (``gateway.audit_purge``)."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_account_id_id", "account_id", "id"),
        Index("ix_audit_entries_resource_id", "resource_id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    # No foreign key: the log outlives what it describes, the account included.
    # ``None``: a deployment-wide change (a plan), seen by the operator only.
    account_id: Mapped[str | None] = mapped_column(String(40))
    actor_type: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_via: Mapped[str | None] = mapped_column(String(16))
    # Whether a live-mode key (or the operator, or the gateway) made the change.
    livemode: Mapped[bool]
    action: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(32))
    resource_id: Mapped[str] = mapped_column(String(80))
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    request_id: Mapped[str | None] = mapped_column(String(40))
    ip_address: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
