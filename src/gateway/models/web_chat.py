from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class WebChat(TimestampMixin, Base):
    """A chat of a ``web`` session as WhatsApp last told the linked device (history sync)
    or as the session changed it (archive, mark unread, delete).

    What messages do to the chat is not kept here but read from ``messages`` (the
    gateway stores every message the session sends or receives): the unread count is
    ``unread_base`` plus the received messages after ``read_after``, the last message
    the newer of ``synced_last_message`` and the newest stored after ``cleared_after``.
    Both markers are message ids (``msg_…``, time-ordered) minted when the mark is set.
    A deleted chat keeps its row (``listed`` false, ``cleared_after`` set) so the next
    message starts it afresh."""

    __tablename__ = "web_chats"

    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # The chat's JID as WhatsApp named it (a 1:1 chat may be kept under the LID): what
    # app-state patches index.
    whatsapp_jid: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(String(200))
    listed: Mapped[bool] = mapped_column(Boolean, server_default="true")
    archived: Mapped[bool] = mapped_column(Boolean, server_default="false")
    pinned: Mapped[bool] = mapped_column(Boolean, server_default="false")
    marked_unread: Mapped[bool] = mapped_column(Boolean, server_default="false")
    unread_base: Mapped[int] = mapped_column(Integer, server_default="0")
    read_after: Mapped[str | None] = mapped_column(String(40))
    cleared_after: Mapped[str | None] = mapped_column(String(40))
    synced_last_message: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    synced_activity_at: Mapped[datetime | None]
