"""What happens to messages a session received, after they arrived: reactions to a
message, edits and deletions by their sender, as engines report them.

- A reaction to a message the gateway knows is stored as a received message of type
  ``reaction`` and published as ``message.reaction`` (naming the message reacted to);
  one to a message it does not know is a plain ``message.received``.
- An edit changes the stored text (or a file's caption), sets ``edited_at`` and publishes
  ``message.edited`` with the text before; the same edit reported again changes nothing.
- A deletion for everyone sets ``revoked_at`` and publishes ``message.revoked``, once. The
  content is kept, as it is for the session's own deleted messages.

Edits and deletions of messages the gateway never stored (they came before the session
was linked here, or were not reported) change nothing: there is no message to show.
"""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.config import Settings
from gateway.engines.base import InboundEdit, InboundMessage, InboundRevoke
from gateway.events.service import publish_about
from gateway.events.types import EventType
from gateway.kit.time import utcnow
from gateway.messages import repository
from gateway.messages.delivery import message_payload
from gateway.messages.receiving import record_inbound_message
from gateway.models import Message, Session

log = structlog.get_logger(__name__)

MEDIA_TYPES = frozenset({"image", "video", "audio", "document", "sticker"})


async def record_reaction(
    db: AsyncSession, settings: Settings, session: Session, message: InboundMessage
) -> Message | None:
    """Store a received reaction (``message.reaction``: ``engine_message_id`` of the
    message reacted to, ``emoji``) once; None when it was reported before."""
    assert message.reaction is not None
    target_engine_id = message.reaction.get("engine_message_id")
    known = (
        await repository.ids_by_engine_ids(db, session.id, [str(target_engine_id)])
        if target_engine_id
        else {}
    )
    target = known.get(str(target_engine_id))
    message.reaction["message_id"] = target
    stored = await record_inbound_message(db, settings, session, message, announce=target is None)
    if stored is not None and target is not None:
        data = message_payload(
            stored, target_message_id=target, emoji=message.reaction.get("emoji") or "",
            from_id=message.from_id,
        )  # fmt: skip
        await publish_about(db, session, EventType.message_reaction, data)
    return stored


async def _received(
    db: AsyncSession, session: Session, engine_message_id: str, chat_id: str
) -> Message | None:
    """The received message with this engine id in ``chat_id``, locked for the change."""
    ids = await repository.ids_by_engine_ids(db, session.id, [engine_message_id])
    message_id = ids.get(engine_message_id)
    message = (
        await db.get(Message, message_id, with_for_update=True) if message_id is not None else None
    )
    if message is None or message.direction != "inbound" or message.chat_id != chat_id:
        log.info("messages.inbound_change_unknown", session_id=session.id,
                 engine_message_id=engine_message_id)  # fmt: skip
        return None
    return message


def _text_of(message: Message) -> str:
    content: dict[str, Any] = message.content
    if message.type in MEDIA_TYPES:
        return str((content.get("media") or {}).get("caption") or "")
    return str(content.get("text") or "")


def _with_text(message: Message, text: str) -> dict[str, Any]:
    """The message's content with ``text`` in place of its text or caption (a new dict,
    so the JSONB column is seen as changed)."""
    content = dict(message.content)
    if message.type in MEDIA_TYPES:
        content["media"] = {**(content.get("media") or {}), "caption": text}
    else:
        content["text"] = text
    return content


async def record_inbound_edit(db: AsyncSession, session: Session, edit: InboundEdit) -> bool:
    """Apply an edit to a received message and publish ``message.edited``; False when
    there is nothing to change (unknown message, deleted, or the same text again)."""
    message = await _received(db, session, edit.engine_message_id, edit.chat_id)
    if message is None or message.revoked_at is not None:
        return False
    previous_text = _text_of(message)
    if previous_text == edit.text and message.edited_at is not None:
        return False  # reported again
    message.content = _with_text(message, edit.text)
    message.edited_at = edit.edited_at
    message.updated_at = utcnow()
    await db.flush()
    data = message_payload(message, previous_text=previous_text)
    await publish_about(db, session, EventType.message_edited, data)
    return True


async def record_inbound_revoke(db: AsyncSession, session: Session, revoke: InboundRevoke) -> bool:
    """Mark a received message deleted for everyone and publish ``message.revoked``;
    False when unknown or deleted already."""
    message = await _received(db, session, revoke.engine_message_id, revoke.chat_id)
    if message is None or message.revoked_at is not None:
        return False
    message.revoked_at = revoke.revoked_at
    message.updated_at = utcnow()
    await db.flush()
    await publish_about(db, session, EventType.message_revoked, message_payload(message))
    return True
