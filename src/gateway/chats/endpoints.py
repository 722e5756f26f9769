from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.chats import service
from gateway.chats.schemas import ChatDeleted
from gateway.engines.base import Capability
from gateway.engines.records import Chat
from gateway.kit.errors import ENGINE_RESPONSES, ERROR_RESPONSES
from gateway.kit.pagination import ListResponse, PageParams, page_of
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.kit.state import RedisDep
from gateway.messages import service as messages_service
from gateway.messages.schemas import CHAT_ID_DESCRIPTION, MessageOut, MessageStatus, message_out

router = APIRouter(
    prefix="/sessions/{session_id}/chats",
    tags=["Chats"],
    route_class=TransactionalRoute,
    responses={**ERROR_RESPONSES, **ENGINE_RESPONSES},
)

# Chats are conversations: keys reach them with the messages scope.
Reader = Annotated[Principal, scoped("messages", Access.read)]
Writer = Annotated[Principal, scoped("messages", Access.write)]
SessionId = Annotated[str, Path(description="The session's id (`ses_…`).", max_length=64)]
ChatId = Annotated[str, Path(description=CHAT_ID_DESCRIPTION, max_length=64)]


@router.get("", response_model=ListResponse[Chat])
async def list_chats(
    redis: RedisDep,
    session_id: SessionId,
    caller: Reader,
    db: DbSession,
    page: PageParams,
    archived: Annotated[
        bool | None, Query(description="Only archived chats (true) or only the others (false).")
    ] = None,
) -> ListResponse[Chat]:
    """The session's chats, most recently active first, with unread counts and each
    chat's last message."""
    items, has_more = await service.list_chats(db, redis, caller, session_id, page, archived)
    return ListResponse(data=items, has_more=has_more)


@router.get("/{chat_id}", response_model=Chat)
async def retrieve_chat(
    redis: RedisDep, session_id: SessionId, chat_id: ChatId, caller: Reader, db: DbSession
) -> Chat:
    return await service.chat_operation(
        db, redis, caller, session_id, chat_id, Capability.chats, "chat"
    )


@router.post("/{chat_id}/archive", response_model=Chat)
async def archive_chat(
    redis: RedisDep, session_id: SessionId, chat_id: ChatId, caller: Writer, db: DbSession
) -> Chat:
    return await service.chat_operation(
        db, redis, caller, session_id, chat_id, Capability.chats_manage, "archive_chat",
        archived=True, audited="chat.archived",
    )  # fmt: skip


@router.post("/{chat_id}/unarchive", response_model=Chat)
async def unarchive_chat(
    redis: RedisDep, session_id: SessionId, chat_id: ChatId, caller: Writer, db: DbSession
) -> Chat:
    return await service.chat_operation(
        db, redis, caller, session_id, chat_id, Capability.chats_manage, "archive_chat",
        archived=False, audited="chat.unarchived",
    )  # fmt: skip


@router.post("/{chat_id}/unread", response_model=Chat)
async def mark_chat_unread(
    redis: RedisDep, session_id: SessionId, chat_id: ChatId, caller: Writer, db: DbSession
) -> Chat:
    """Mark the chat unread (reading it, `POST …/read`, clears the mark)."""
    return await service.chat_operation(
        db, redis, caller, session_id, chat_id, Capability.chats_manage, "mark_chat_unread",
        audited="chat.marked_unread",
    )  # fmt: skip


@router.delete("/{chat_id}", response_model=ChatDeleted)
async def delete_chat(
    redis: RedisDep, session_id: SessionId, chat_id: ChatId, caller: Writer, db: DbSession
) -> ChatDeleted:
    """Delete the chat from the phone's chat list (the next message starts it again).
    The gateway keeps its records of the chat's messages."""
    return ChatDeleted(id=await service.delete_chat(db, redis, caller, session_id, chat_id))


@router.get("/{chat_id}/messages", response_model=ListResponse[MessageOut])
async def list_chat_messages(
    session_id: SessionId,
    chat_id: ChatId,
    caller: Reader,
    db: DbSession,
    page: PageParams,
    direction: Annotated[Literal["outbound", "inbound"] | None, Query()] = None,
    status: Annotated[MessageStatus | None, Query()] = None,
    created_gte: Annotated[datetime | None, Query(description="Created at or after.")] = None,
    created_lt: Annotated[datetime | None, Query(description="Created before.")] = None,
) -> ListResponse[MessageOut]:
    """The chat's messages, newest first: the same as `GET …/messages?chat_id=`. They are
    the gateway's records, so this works while the session is not connected."""
    rows = await messages_service.list_messages(
        db, caller, session_id, page, chat_id=chat_id, direction=direction, status=status,
        created_gte=created_gte, created_lt=created_lt,
    )  # fmt: skip
    items, has_more = page_of(rows, page)
    return ListResponse(data=[message_out(m) for m in items], has_more=has_more)
