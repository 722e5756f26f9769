from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class CloudTemplate(TimestampMixin, Base):
    """A message template of a cloud session's WhatsApp Business Account, as last seen
    from Meta (a sync, our own creation, or a status notification). Meta is the truth:
    a template is unique there by name and language within the WABA, so it is here
    within the session."""

    __tablename__ = "cloud_templates"
    __table_args__ = (
        UniqueConstraint(
            "session_id", "name", "language", name="uq_cloud_templates_session_id_name_language"
        ),
        Index("ix_cloud_templates_session_id_id", "session_id", "id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    waba_id: Mapped[str] = mapped_column(String(40))
    graph_id: Mapped[str] = mapped_column(String(40))  # Meta's template id (hsm_id)
    name: Mapped[str] = mapped_column(String(512))
    language: Mapped[str] = mapped_column(String(15))
    category: Mapped[str] = mapped_column(String(30))
    parameter_format: Mapped[str] = mapped_column(String(10), server_default="POSITIONAL")
    # APPROVED, PENDING, REJECTED, PAUSED, DISABLED … as Meta names them.
    status: Mapped[str] = mapped_column(String(30))
    rejected_reason: Mapped[str | None] = mapped_column(String(200))
    components: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    synced_at: Mapped[datetime]


class CloudTemplateSync(Base):
    """When a session's templates were last pulled from Meta: a session that has none
    there still counts as synced, so its lists do not ask Meta every time."""

    __tablename__ = "cloud_template_syncs"

    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    synced_at: Mapped[datetime]
