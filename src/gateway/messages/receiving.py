"""Messages a session received: stored once as inbound rows and published as
``message.received``, whichever engine reported them (the sandbox through its host, the
cloud engine through Meta's webhook)."""

from __future__ import annotations

import base64

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.config import Settings
from gateway.engines.base import InboundMessage
from gateway.events.service import publish_about
from gateway.events.types import EventType
from gateway.kit.ids import new_id
from gateway.media.service import store_inbound_media
from gateway.messages import repository
from gateway.models import Message, Session

# Not in the stored content: they have columns of their own.
_COLUMNS = {"engine_message_id", "chat_id", "type"}


async def record_inbound_message(
    db: AsyncSession,
    settings: Settings,
    session: Session,
    message: InboundMessage,
    *,
    media_content: bytes | None = None,
    announce: bool = True,
) -> Message | None:
    """Store ``message`` (its file too: ``media_content``, or the engine's base64) and
    publish ``message.received`` about it (unless not ``announce``: the caller publishes
    another event), in ``db``'s transaction. None when the engine reported it before
    (same engine message id): it was published then."""
    if message.media is not None and media_content is None and message.media.data_base64:
        media_content = base64.b64decode(message.media.data_base64)
    if message.media is not None and media_content is not None:
        # Received files are stored and exposed like uploaded ones.
        stored_file = await store_inbound_media(
            db,
            settings=settings,
            account_id=session.account_id,
            session_id=session.id,
            content=media_content,
            mime_type=message.media.mime_type,
            filename=message.media.filename,
        )
        message.media.id = stored_file.id
        message.media.size = stored_file.size
        message.media.mime_type = stored_file.mime_type
    stored = await repository.add_inbound(
        db,
        {
            "id": new_id("msg"),
            "account_id": session.account_id,
            "session_id": session.id,
            "direction": "inbound",
            "chat_id": message.chat_id,
            "type": message.type,
            "content": message.model_dump(mode="json", exclude=_COLUMNS),
            "status": "delivered",
            "engine_message_id": message.engine_message_id,
            "attempts": 0,
        },
    )
    if stored is None:
        return None
    if announce:
        data = {"message": {"id": stored.id, **message.model_dump(mode="json")}}
        await publish_about(db, session, EventType.message_received, data)
    return stored
