from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class CloudNumber(TimestampMixin, Base):
    """The Meta Cloud API number a ``cloud`` session sends from, and its credentials.

    The access token, app secret and verify token are sealed together (the engine and the
    inbound webhook must read them back, so they cannot be hashed) and never leave the
    gateway; the session's config shows hints only. Meta's webhook is routed here by
    ``phone_number_id`` (notifications) and by a digest of the verify token (the
    subscription handshake, which names nothing else)."""

    __tablename__ = "cloud_numbers"
    __table_args__ = (
        Index("ix_cloud_numbers_phone_number_id", "phone_number_id"),
        Index("ix_cloud_numbers_waba_id", "waba_id"),
        Index("ix_cloud_numbers_verify_token_digest", "verify_token_digest"),
    )

    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    phone_number_id: Mapped[str] = mapped_column(String(40))
    waba_id: Mapped[str] = mapped_column(String(40))
    verify_token_digest: Mapped[bytes] = mapped_column(LargeBinary)
    credentials: Mapped[bytes] = mapped_column(LargeBinary)


class CloudMedia(Base):
    """A stored file already uploaded to Meta for a number: sent again by its Meta media
    id instead of being uploaded again (Meta keeps uploads for 30 days)."""

    __tablename__ = "cloud_media"

    media_id: Mapped[str] = mapped_column(
        ForeignKey("media.id", ondelete="CASCADE"), primary_key=True
    )
    phone_number_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    graph_media_id: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]


class ConversationWindow(Base):
    """When a contact last wrote to a session: Meta lets a business send free-form
    messages only within 24 hours of that (the customer-service window)."""

    __tablename__ = "conversation_windows"

    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    contact: Mapped[str] = mapped_column(String(40), primary_key=True)  # digits of the number
    last_inbound_at: Mapped[datetime]
