"""Chats: the session's chat list as its engine keeps it (unread counts, archive), with
each last message linked to the gateway's record of it when there is one. A chat's
messages are the gateway's own records, so they can be read while the session is down."""

from __future__ import annotations

from typing import Any

from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit import service as audit
from gateway.auth.principal import Principal
from gateway.engines.base import Capability
from gateway.engines.records import Chat
from gateway.kit.pagination import Page, page_of_list
from gateway.kit.phone import normalise_chat_id
from gateway.messages import repository as messages_repository
from gateway.sessions.service import call_engine


async def _linked(db: AsyncSession, session_id: str, chats: list[Chat]) -> list[Chat]:
    """Each last message with the gateway's id (``msg_…``), in one query."""
    engine_ids = [c.last_message.engine_message_id for c in chats if c.last_message]
    ids = await messages_repository.ids_by_engine_ids(db, session_id, engine_ids)
    for chat in chats:
        if chat.last_message is not None:
            chat.last_message.id = ids.get(chat.last_message.engine_message_id)
    return chats


async def list_chats(
    db: AsyncSession,
    redis: ArqRedis,
    caller: Principal,
    session_id: str,
    page: Page,
    archived: bool | None,
) -> tuple[list[Chat], bool]:
    found = await call_engine(db, redis, caller, session_id, Capability.chats, "chats")
    chats = [Chat.model_validate(c) for c in found]
    if archived is not None:
        chats = [c for c in chats if c.archived == archived]
    items, has_more = page_of_list(chats, lambda c: c.id, page)
    return await _linked(db, session_id, items), has_more


async def chat_operation(
    db: AsyncSession,
    redis: ArqRedis,
    caller: Principal,
    session_id: str,
    chat_id: str,
    capability: Capability,
    operation: str,
    *,
    audited: str | None = None,
    **kwargs: Any,
) -> Chat:
    """``operation`` on one chat, answered with the chat as it is afterwards; a change
    names its audit action (``audited``), recorded once the engine made it."""
    chat = normalise_chat_id(chat_id)
    found = await call_engine(
        db, redis, caller, session_id, capability, operation, chat_id=chat, **kwargs
    )
    if audited is not None:
        audit.record(
            db, audited, "chat", audit.personal(db, chat), changes={"session_id": session_id}
        )
    return (await _linked(db, session_id, [Chat.model_validate(found)]))[0]


async def delete_chat(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, chat_id: str
) -> str:
    chat = normalise_chat_id(chat_id)
    await call_engine(
        db, redis, caller, session_id, Capability.chats_manage, "delete_chat", chat_id=chat
    )
    audit.record(
        db, "chat.deleted", "chat", audit.personal(db, chat), changes={"session_id": session_id}
    )
    return chat
