"""The event a child reports when WhatsApp sends the linked device its chat list
(``neonize_chats`` makes it from a history sync, ``chats`` stores it).

The child imports this module: it must stay light (pydantic and the engine records only).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from gateway.engines.records import LastMessage
from gateway.engines.web.event_data import EventData


class SyncedChat(BaseModel):
    """One conversation as the phone had it when it sent the history."""

    chat_id: str  # ours: ``…@c.us`` when the number is known, ``…@g.us``, ``…@lid``
    whatsapp_jid: str  # WhatsApp's id of the chat, which app-state patches name
    name: str | None = None
    unread_count: int = 0
    marked_unread: bool = False
    archived: bool = False
    pinned: bool = False
    last_activity_at: datetime | None = None
    last_message: LastMessage | None = None


class ChatsSyncedData(EventData):
    """A history sync's conversations (a sync can bring thousands: one event per
    ``neonize_chats.CHATS_PER_EVENT``)."""

    type: Literal["chats_synced"] = "chats_synced"
    sync_type: str
    chats: list[SyncedChat]
