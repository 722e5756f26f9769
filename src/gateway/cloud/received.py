"""Meta's inbound message objects (``value.messages[]`` of a ``messages`` change) as the
gateway's received messages: the same row and ``message.received`` payload as every
engine's, with the cloud's extra fields.

Types, Meta's → ours (the message's ``type``):

- ``text`` → ``text`` (``text`` is the body).
- ``image``, ``video``, ``audio``, ``document``, ``sticker`` → the same type, the file
  downloaded from Graph into the media store (``media.id``: ``med_…``), the caption in
  ``media.caption``; a voice note is ``audio`` with ``voice: true`` (as sent ones are).
- ``location`` → ``location`` with ``location: {latitude, longitude, name, address, url}``.
- ``contacts`` → ``contact`` with ``contacts``: Meta's contact cards as they came.
- ``reaction`` → ``reaction`` with ``reaction: {engine_message_id, message_id, emoji}``
  (the reacted message, ours when the gateway knows it; an empty emoji removes it). It is
  published as ``message.reaction`` when the reacted message is known, as
  ``message.received`` otherwise (there is no ``target_message_id`` to give).
- ``interactive`` (``button_reply``, ``list_reply``, ``nfm_reply``) and ``button`` (a
  template's quick reply) → ``interactive`` with ``interactive: {kind, id, title,
  description}`` (``kind``: ``button_reply``, ``list_reply``, ``nfm_reply`` or
  ``quick_reply``; ``id`` is the id or payload the business gave the option) and
  ``text`` = the title the customer tapped, so a client that reads only text still
  sees the answer. (``interactive``, not ``interactive_reply``: a message's type has 16
  characters at most.)
- anything else (``order``, ``system``, ``unsupported`` …) → Meta's type, nothing mapped.

Each message is recorded once (its wamid is the engine message id) and notes when its
sender last wrote, for the 24-hour customer-service window.

Every received message carries Meta's object in ``raw``: what is not mapped (a quoted
message's ``context``, a referral, an order's items) is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.cloud import repository as cloud_repository
from gateway.config import Settings
from gateway.engines.base import InboundMedia, InboundMessage
from gateway.kit.phone import whatsapp_id
from gateway.kit.time import utcnow
from gateway.messages import repository as messages_repository
from gateway.messages.inbound_changes import record_reaction
from gateway.messages.receiving import record_inbound_message
from gateway.models import Session

log = structlog.get_logger(__name__)

MEDIA_TYPES = frozenset({"image", "video", "audio", "document", "sticker"})
_INTERACTIVE_KINDS = ("button_reply", "list_reply", "nfm_reply")


def digits_of(sender: Any) -> str:
    return "".join(c for c in str(sender or "") if c.isdigit())


def timestamp_of(value: Any) -> datetime:
    """Meta's timestamps are Unix seconds, as strings."""
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return utcnow()


def graph_media_id(message: dict[str, Any]) -> str | None:
    """The Graph id of the message's file, for the types that carry one."""
    kind = message.get("type")
    body = message.get(kind) if isinstance(kind, str) and kind in MEDIA_TYPES else None
    media_id = body.get("id") if isinstance(body, dict) else None
    return str(media_id) if media_id else None


def inbound_message(message: dict[str, Any], contacts: list[dict[str, Any]]) -> InboundMessage:
    """``message`` as the gateway reports it; ``contacts`` (``value.contacts[]``) name the
    senders."""
    digits = digits_of(message.get("from"))
    sender = whatsapp_id("+" + digits)
    kind = str(message.get("type") or "unknown")
    body = message.get(kind)
    body = body if isinstance(body, dict) else {}
    fields: dict[str, Any] = {}
    if kind == "text":
        fields["text"] = body.get("body")
    elif kind in MEDIA_TYPES:
        fields["media"] = InboundMedia(
            mime_type=str(body.get("mime_type") or "application/octet-stream"),
            filename=body.get("filename"),
            caption=body.get("caption"),
        )
        if kind == "audio":
            fields["voice"] = bool(body.get("voice"))
    elif kind == "location":
        fields["location"] = {
            name: body.get(name) for name in ("latitude", "longitude", "name", "address", "url")
        }
    elif kind == "contacts":
        kind = "contact"
        cards = message.get("contacts")
        fields["contacts"] = (
            [c for c in cards if isinstance(c, dict)] if isinstance(cards, list) else []
        )
    elif kind == "reaction":
        fields["reaction"] = {
            "engine_message_id": body.get("message_id"),
            "message_id": None,
            "emoji": body.get("emoji") or "",
        }
    elif kind in ("interactive", "button"):
        kind, fields["interactive"] = "interactive", _reply(kind, body)
        fields["text"] = fields["interactive"]["title"]
    return InboundMessage(
        engine_message_id=str(message.get("id") or ""),
        chat_id=sender,
        from_id=sender,
        from_phone_number="+" + digits,
        from_name=_name_of(message.get("from"), contacts),
        type=kind[:16],
        timestamp=timestamp_of(message.get("timestamp")),
        raw=message,
        **fields,
    )


def _reply(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    if kind == "button":  # a template's quick reply button
        return {"kind": "quick_reply", "id": body.get("payload"), "title": body.get("text"),
                "description": None}  # fmt: skip
    reply_kind = str(body.get("type") or "")
    reply = body.get(reply_kind) if reply_kind in _INTERACTIVE_KINDS else None
    reply = reply if isinstance(reply, dict) else {}
    return {
        "kind": reply_kind or None,
        "id": reply.get("id"),
        "title": reply.get("title") or reply.get("body") or reply.get("name"),
        "description": reply.get("description"),
    }


def _name_of(sender: Any, contacts: list[dict[str, Any]]) -> str | None:
    for contact in contacts:
        if contact.get("wa_id") == sender:
            profile = contact.get("profile")
            name = profile.get("name") if isinstance(profile, dict) else None
            return str(name) if name else None
    return None


@dataclass(frozen=True)
class Fetched:
    """A received file downloaded from Graph, or why not."""

    content: bytes | None = None
    mime_type: str | None = None
    error: str | None = None
    transient: bool = False


Files = dict[tuple[str, str], Fetched]  # (session id, wamid) → its file


async def record_messages(
    db: AsyncSession,
    settings: Settings,
    session: Session,
    value: dict[str, Any],
    files: Files,
    *,
    keep_waiting: bool,
) -> bool:
    """Record the received messages of a ``messages`` change (each once) and when their
    senders last wrote. A message whose file Graph could not serve yet waits while
    ``keep_waiting`` (returns True), and is then recorded without it."""
    contacts = _list(value.get("contacts"))
    windows: list[tuple[str, datetime]] = []
    waiting = False
    for raw in _list(value.get("messages")):
        message = inbound_message(raw, contacts)
        if not message.engine_message_id:
            continue
        content = None
        if message.media is not None:
            fetched = files.get((session.id, message.engine_message_id))
            if fetched is None:
                stored = await messages_repository.ids_by_engine_ids(
                    db, session.id, [message.engine_message_id]
                )
                if not stored:  # not downloaded by this batch: the next one will
                    waiting = True
                    continue
            elif fetched.content is not None:
                content = fetched.content
                if message.media.mime_type == "application/octet-stream" and fetched.mime_type:
                    message.media.mime_type = fetched.mime_type
            elif fetched.transient and keep_waiting:
                waiting = True
                continue
            else:
                # Given up on (or refused by Graph): the message without its file.
                log.warning(
                    "cloud.media.download_failed",
                    session_id=session.id,
                    engine_message_id=message.engine_message_id,
                    error=fetched.error,
                )
        windows.append((digits_of(raw.get("from")), message.timestamp))
        if message.type == "reaction" and message.reaction is not None:
            await record_reaction(db, settings, session, message)
        else:
            await record_inbound_message(db, settings, session, message, media_content=content)
    await cloud_repository.record_inbound(db, session.id, windows)
    return waiting


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
