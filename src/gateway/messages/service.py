"""Messages, the API side: validate, store the row, and hand it to the host that runs the
session (an arq job on its queue, pushed after commit). The host delivers; the row is
the truth, so a lost job only delays a message until the next sweep."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.principal import Principal
from gateway.config import Settings
from gateway.engines import registry
from gateway.engines.base import Capability, EngineUnsupported
from gateway.engines.control import host_queue
from gateway.events.service import SessionRef, publish
from gateway.events.types import EventType
from gateway.kit.aftercommit import enqueue_after_commit
from gateway.kit.errors import Conflict, InvalidRequest, NotFound
from gateway.kit.ids import new_id
from gateway.kit.pagination import Page
from gateway.kit.phone import normalise_phone, whatsapp_id
from gateway.kit.time import utcnow
from gateway.media.service import resolve_message_media
from gateway.messages import repository
from gateway.messages.schemas import MEDIA_TYPES, SendMessage, message_out
from gateway.models import Message, Session
from gateway.sessions import repository as sessions_repository
from gateway.sessions.service import get_session, reach_of

DEFAULT_EXPIRY = timedelta(hours=24)
_CHAT_ID = re.compile(r"^(\d{5,20}@(c\.us|lid)|\d{5,40}(-\d+)?@g\.us)$")
_ENVELOPE_FIELDS = {"type", "chat_id", "reply_to", "send_at", "expires_at", "media"}


class MessageNotCancellable(Conflict):
    code = "message_not_cancellable"


def normalise_chat_id(value: str, param: str = "chat_id") -> str:
    """A chat id from a phone number or an id; 422 naming ``param`` otherwise."""
    value = value.strip()
    if "@" in value:
        if not _CHAT_ID.match(value):
            raise InvalidRequest(
                f"Invalid {param} '{value}': use +<number>, <number>@c.us or <id>@g.us.",
                param=param,
            )
        return value
    return whatsapp_id(normalise_phone(value, param=param))


async def send_message(
    db: AsyncSession, caller: Principal, session_id: str, body: SendMessage, settings: Settings
) -> Message:
    session = await get_session(db, caller, session_id)
    capability = Capability(f"send_{body.type}")
    if not registry.ENGINES[session.engine].supports(capability, session.config):
        raise EngineUnsupported(session.engine, capability)
    chat_id = normalise_chat_id(body.chat_id)
    now = utcnow()
    if body.send_at is not None and body.send_at.tzinfo is None:
        raise InvalidRequest("send_at needs a timezone (e.g. a trailing Z).", param="send_at")
    scheduled = body.send_at is not None and body.send_at > now
    start = body.send_at if scheduled and body.send_at else now
    expires_at = body.expires_at or start + DEFAULT_EXPIRY
    if expires_at <= start:
        raise InvalidRequest("expires_at must be after the time of sending.", param="expires_at")

    content: dict[str, Any] = body.model_dump(mode="json", exclude=_ENVELOPE_FIELDS)
    if body.reply_to is not None:
        await _message_of_session(db, session, body.reply_to, "reply_to")
    if body.type == "reaction":
        target = await _message_of_session(db, session, content["message_id"], "message_id")
        content["chat_id"] = target.chat_id
    if body.type in MEDIA_TYPES:
        media = await resolve_message_media(
            db,
            account_id=session.account_id,
            session_id=session.id,
            source=body.media,  # type: ignore[union-attr]
            kind=body.type,
            settings=settings,
        )
        content["media"] = {
            "id": media.id,
            "mime_type": media.mime_type,
            "size": media.size,
            "filename": content.get("filename") or media.filename,
        }

    message = await repository.add(
        db,
        Message(
            id=new_id("msg"),
            account_id=session.account_id,
            session_id=session.id,
            direction="outbound",
            chat_id=chat_id,
            type=body.type,
            content=content,
            reply_to=body.reply_to,
            status="scheduled" if scheduled else "queued",
            send_at=body.send_at,
            next_attempt_at=start,
            expires_at=expires_at,
            attempts=0,
        ),
    )
    await hand_to_host(db, message)
    return message


async def hand_to_host(db: AsyncSession, message: Message) -> None:
    """Push the delivery job, after commit, to the queue of the host running the session.
    No host (the session is not running): the host that starts it will find the row."""
    host_id = await sessions_repository.lease_holder(db, message.session_id)
    if host_id is None:
        return
    enqueue_after_commit(
        db,
        "deliver_message",
        message.session_id,
        message.id,
        job_id=f"deliver:{message.id}:{message.attempts}",
        queue_name=host_queue(host_id),
        defer_until=message.next_attempt_at if message.status == "scheduled" else None,
    )


async def _message_of_session(
    db: AsyncSession, session: Session, message_id: str, param: str
) -> Message:
    target = await repository.in_session(db, session.id, message_id)
    if target is None:
        raise InvalidRequest(
            f"No message '{message_id}' in this session.", code="message_not_found", param=param
        )
    return target


async def get_message(
    db: AsyncSession, caller: Principal, message_id: str, *, lock: bool = False
) -> Message:
    message = await repository.get(db, reach_of(caller), message_id, lock=lock)
    if message is None:
        raise NotFound("message", message_id)
    return message


async def list_messages(
    db: AsyncSession, caller: Principal, session_id: str, page: Page, **filters: Any
) -> Sequence[Message]:
    await get_session(db, caller, session_id)
    if filters.get("chat_id") is not None:
        filters["chat_id"] = normalise_chat_id(filters["chat_id"])
    return await repository.list_page(db, reach_of(caller), session_id, page, **filters)


async def cancel_message(db: AsyncSession, caller: Principal, message_id: str) -> Message:
    """Cancel a message not yet handed to WhatsApp."""
    message = await get_message(db, caller, message_id, lock=True)
    if message.direction != "outbound" or message.status not in ("scheduled", "queued"):
        raise MessageNotCancellable(
            f"The message is {message.status}; only scheduled or queued messages can be cancelled.",
            param="id",
        )
    session = await db.get(Session, message.session_id)
    assert session is not None
    await set_status(db, session, message, "cancelled")
    return message


async def set_status(
    db: AsyncSession,
    session: Session,
    message: Message,
    status: str,
    *,
    error_code: str | None = None,
    error_message: str | None = None,
    at: datetime | None = None,
) -> None:
    """Move ``message`` to ``status`` and publish ``message.status``."""
    previous = message.status
    now = at or utcnow()
    message.status = status
    if status == "sent":
        message.sent_at = message.sent_at or now
    elif status == "delivered":
        message.delivered_at = message.delivered_at or now
    elif status in ("read", "played"):
        message.delivered_at = message.delivered_at or now
        message.read_at = message.read_at or now
    if error_code is not None or status == "failed":
        message.error_code = error_code
        message.error_message = error_message
    message.updated_at = now
    await db.flush()
    await publish(
        db,
        account_id=session.account_id,
        type=EventType.message_status,
        session=SessionRef(session.id, session.name, dict(session.meta)),
        livemode=session.engine != "sandbox",
        data={
            "message": message_out(message).model_dump(mode="json"),
            "previous_status": previous,
        },
    )
