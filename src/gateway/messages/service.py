"""Messages, the API side after acceptance (``sending.py`` accepts them): reading,
cancelling, and the status changes the hosts report.

Edits, revokes and chat controls of a connected session are calls to the engine, made
through the host holding the session's lease while the request waits for the answer, its
database session released meanwhile (``kit/routing.release``): what changes once the
engine answered is read again and written in a new transaction. Each change is recorded
in the audit log once the engine made it; the message's text is not (it is the chat's,
not the account's configuration)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit import service as audit
from gateway.auth.principal import Principal
from gateway.engines.base import Capability
from gateway.engines.control import call_host
from gateway.events.service import publish_about
from gateway.events.types import EventType
from gateway.kit.errors import Conflict, InvalidRequest, NotFound
from gateway.kit.pagination import Page
from gateway.kit.phone import normalise_chat_id
from gateway.kit.routing import release
from gateway.kit.time import utcnow
from gateway.messages import repository
from gateway.messages.schemas import (
    ChatRead,
    ChatTyping,
    message_out,
)
from gateway.models import Message, Session
from gateway.sessions.service import get_session, host_running, reach_of

NOT_SENT_YET = ("scheduled", "queued")
SENT = ("sent", "delivered", "read", "played")


class MessageNotCancellable(Conflict):
    code = "message_not_cancellable"


class MessageNotEditable(InvalidRequest):
    """422 for what the message is (received, not text); 409 for the state it is in."""

    code = "message_not_editable"


class MessageNotRevocable(InvalidRequest):
    """422 for what the message is (received, a reaction); 409 for the state it is in."""

    code = "message_not_revocable"


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
    await set_status(db, await _session_of(db, message), message, "cancelled")
    _audit(db, "message.cancelled", message)
    return message


def _audit(db: AsyncSession, action: str, message: Message) -> None:
    audit.record(
        db, action, "message", message.id,
        changes={"session_id": message.session_id,
                 "chat_id": audit.personal(db, message.chat_id)},
    )  # fmt: skip


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
    await _publish(db, session, EventType.message_status, message, previous_status=previous)


async def publish_reaction_sent(db: AsyncSession, session: Session, message: Message) -> None:
    """``message.reaction`` for a reaction the session has sent."""
    await _publish(
        db,
        session,
        EventType.message_reaction,
        message,
        target_message_id=message.content["message_id"],
        emoji=message.content["emoji"],
    )


async def _publish(
    db: AsyncSession, session: Session, type: EventType, message: Message, **data: Any
) -> None:
    """A message event: the message as the API shows it, and what else ``type`` carries."""
    await publish_about(
        db, session, type, {"message": message_out(message).model_dump(mode="json"), **data}
    )


# -- changing what was sent, and chat controls --------------------------------------------


async def edit_message(
    db: AsyncSession, redis: ArqRedis, caller: Principal, message_id: str, text: str
) -> Message:
    """Change the text of an outbound text message. One not handed to WhatsApp yet just
    goes out with the new text; a sent one is edited in the chat (and gets ``edited_at``)."""
    # Locked while it changes, so that the outbox cannot claim a queued message mid-edit.
    # A sent one is let go while the engine edits it in the chat (no connection is held
    # meanwhile), then read and locked again to record the edit: of two edits of one
    # message at once, the one recorded last stands.
    message = await get_message(db, caller, message_id, lock=True)
    if message.direction != "outbound":
        raise MessageNotEditable("Only messages the session sent can be edited.", param="id")
    if message.type != "text":
        raise MessageNotEditable(
            f"Only text messages can be edited; this one is {message.type}.", param="id"
        )
    sent = message.status in SENT and message.revoked_at is None
    if message.status not in NOT_SENT_YET and not sent:
        raise MessageNotEditable(
            f"The message is {_state(message)}; text messages can be edited while scheduled "
            "or queued, and once sent.",
            param="id",
            status_code=409,
        )
    session = await _session_of(db, message)
    now = utcnow()
    if sent:
        host_id = await host_running(db, session, Capability.edit)
        await release(db)
        await call_host(
            redis, host_id, "engine_edit_message",
            session.id, message.engine_message_id, message.chat_id, text,
        )  # fmt: skip
        message = await get_message(db, caller, message_id, lock=True)
        session = await _session_of(db, message)
        message.edited_at = now
    previous_text = message.content["text"]
    # A new dict, so the JSONB column is seen as changed.
    message.content = {**message.content, "text": text}
    message.updated_at = now
    await db.flush()
    await _publish(db, session, EventType.message_edited, message, previous_text=previous_text)
    _audit(db, "message.edited", message)
    return message


async def revoke_message(
    db: AsyncSession, redis: ArqRedis, caller: Principal, message_id: str
) -> Message:
    """Delete an outbound message for everyone; one not handed to WhatsApp yet is
    cancelled instead. Revoking again answers with the message as it is."""
    message = await get_message(db, caller, message_id, lock=True)
    if message.direction != "outbound":
        raise MessageNotRevocable(
            "Only messages the session sent can be deleted for everyone.", param="id"
        )
    if message.revoked_at is not None or message.status == "cancelled":
        return message
    session = await _session_of(db, message)
    if message.status in NOT_SENT_YET:
        await set_status(db, session, message, "cancelled")
        _audit(db, "message.cancelled", message)
        return message
    if message.type == "reaction":
        raise MessageNotRevocable(
            "A sent reaction is removed by reacting again with an empty emoji.", param="id"
        )
    if message.status not in SENT:
        raise MessageNotRevocable(
            f"The message is {message.status}; only sent messages can be deleted for everyone.",
            param="id",
            status_code=409,
        )
    host_id = await host_running(db, session, Capability.revoke)
    await release(db)
    await call_host(
        redis, host_id, "engine_revoke_message",
        session.id, message.engine_message_id, message.chat_id,
    )  # fmt: skip
    message = await get_message(db, caller, message_id, lock=True)
    if message.revoked_at is not None:  # a revoke at the same time recorded it first
        return message
    session = await _session_of(db, message)
    message.revoked_at = message.updated_at = utcnow()
    await db.flush()
    await _publish(db, session, EventType.message_revoked, message)
    _audit(db, "message.revoked", message)
    return message


async def mark_chat_read(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, chat_id: str
) -> ChatRead:
    session = await get_session(db, caller, session_id)
    chat = normalise_chat_id(chat_id)
    host_id = await host_running(db, session, Capability.mark_read)
    await release(db)
    await call_host(redis, host_id, "engine_mark_read", session.id, chat)
    audit.record(
        db, "chat.read", "chat", audit.personal(db, chat), changes={"session_id": session.id}
    )
    return ChatRead(session_id=session.id, chat_id=chat, read_at=utcnow())


async def set_typing(
    db: AsyncSession,
    redis: ArqRedis,
    caller: Principal,
    session_id: str,
    chat_id: str,
    state: Literal["start", "stop"],
) -> ChatTyping:
    session = await get_session(db, caller, session_id)
    chat = normalise_chat_id(chat_id)
    host_id = await host_running(db, session, Capability.typing)
    await release(db)  # a typing state changes nothing stored: no audit entry
    await call_host(redis, host_id, "engine_typing", session.id, chat, state == "start")
    return ChatTyping(session_id=session.id, chat_id=chat, state=state)


async def _session_of(db: AsyncSession, message: Message) -> Session:
    session = await db.get(Session, message.session_id)
    assert session is not None  # messages are deleted with their session
    return session


def _state(message: Message) -> str:
    return "deleted for everyone" if message.revoked_at is not None else message.status
