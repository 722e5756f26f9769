from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response, status

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.billing.quota import send_quota
from gateway.kit.errors import ERROR_RESPONSES
from gateway.kit.pagination import ListResponse, PageParams, page_of
from gateway.kit.routing import DbSession, TransactionalRoute, request_db, single_statement
from gateway.kit.state import app_state
from gateway.messages import sending, service
from gateway.messages.schemas import (
    CHAT_ID_DESCRIPTION,
    ChatRead,
    ChatTyping,
    MessageEdit,
    MessageOut,
    MessageStatus,
    SendMessage,
    TypingRequest,
    message_out,
)
from gateway.messages.sending import SendContext

router = APIRouter(
    tags=["Messages"],
    route_class=TransactionalRoute,
    responses={
        **ERROR_RESPONSES,
        409: {
            "description": "The message is past the point where this can be done, or the "
            "session is not WORKING (`session_not_ready`)."
        },
        501: {"description": "The session's engine cannot do this (`engine_unsupported`)."},
    },
)

Reader = Annotated[Principal, scoped("messages", Access.read)]
Writer = Annotated[Principal, scoped("messages", Access.write)]
# Sending counts its rate limit with the account's usage (billing/quota.py).
Sender = Annotated[Principal, scoped("messages", Access.write, metered=True)]
SessionId = Annotated[str, Path(description="The session's id (`ses_…`).", max_length=64)]
MessageId = Annotated[str, Path(description="The message's id (`msg_…`).", max_length=64)]
ChatId = Annotated[str, Path(description=CHAT_ID_DESCRIPTION, max_length=64)]


@router.post(
    "/sessions/{session_id}/messages",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=MessageOut,
)
@single_statement
async def send_message(
    request: Request, session_id: SessionId, body: SendMessage, caller: Sender
) -> Response:
    """Queue a message. It is stored before this answers (status `queued`, or `scheduled`
    with a future `send_at`) and delivered in order, paced, while the session is WORKING;
    `message.status` events follow it to `sent`, `delivered`, `read` (or `failed`)."""
    state = app_state(request)
    context = SendContext(
        state.settings,
        state.session_routes,
        state.autocommit_sessionmaker,
        state.statements,
        db=lambda: request_db(request),
        committed=request.state.committed,
        graph_http=state.graph_http,
        quota=send_quota(state, request.scope, caller),
    )
    accepted = await sending.send_message(
        context, caller, session_id, body, request.state.idempotency
    )
    if accepted.recorded:
        request.state.idempotency = None  # stored with the message, in the same statement
    return Response(accepted.body, status_code=202, media_type="application/json")


@router.get("/sessions/{session_id}/messages", response_model=ListResponse[MessageOut])
async def list_messages(
    session_id: SessionId,
    caller: Reader,
    db: DbSession,
    page: PageParams,
    chat_id: Annotated[str | None, Query(max_length=64, description="Only this chat.")] = None,
    direction: Annotated[Literal["outbound", "inbound"] | None, Query()] = None,
    status: Annotated[MessageStatus | None, Query()] = None,
    created_gte: Annotated[datetime | None, Query(description="Created at or after.")] = None,
    created_lt: Annotated[datetime | None, Query(description="Created before.")] = None,
) -> ListResponse[MessageOut]:
    """The session's messages, newest first."""
    rows = await service.list_messages(
        db,
        caller,
        session_id,
        page,
        chat_id=chat_id,
        direction=direction,
        status=status,
        created_gte=created_gte,
        created_lt=created_lt,
    )
    items, has_more = page_of(rows, page)
    return ListResponse(data=[message_out(m) for m in items], has_more=has_more)


@router.get("/messages/{message_id}", response_model=MessageOut)
async def retrieve_message(message_id: MessageId, caller: Reader, db: DbSession) -> MessageOut:
    return message_out(await service.get_message(db, caller, message_id))


@router.post("/messages/{message_id}/cancel", response_model=MessageOut)
async def cancel_message(message_id: MessageId, caller: Writer, db: DbSession) -> MessageOut:
    """Cancel a `scheduled` or `queued` message (409 once it is being sent)."""
    return message_out(await service.cancel_message(db, caller, message_id))


@router.patch("/messages/{message_id}", response_model=MessageOut)
async def edit_message(
    request: Request, message_id: MessageId, body: MessageEdit, caller: Writer, db: DbSession
) -> MessageOut:
    """Change the text of a text message the session sent (a `message.edited` event
    follows). A `scheduled` or `queued` one goes out with the new text; a sent one is
    edited in the chat, while WhatsApp allows it (15 minutes)."""
    redis = app_state(request).redis
    return message_out(await service.edit_message(db, redis, caller, message_id, body.text))


@router.delete("/messages/{message_id}", response_model=MessageOut)
async def revoke_message(
    request: Request, message_id: MessageId, caller: Writer, db: DbSession
) -> MessageOut:
    """Delete a sent message for everyone (`revoked_at` is set, a `message.revoked` event
    follows). A `scheduled` or `queued` message is cancelled instead. Deleting again
    answers with the message as it is."""
    redis = app_state(request).redis
    return message_out(await service.revoke_message(db, redis, caller, message_id))


@router.post("/sessions/{session_id}/chats/{chat_id}/read", response_model=ChatRead)
async def mark_chat_read(
    request: Request, session_id: SessionId, chat_id: ChatId, caller: Writer, db: DbSession
) -> ChatRead:
    """Mark the chat's received messages read. The session must be WORKING."""
    redis = app_state(request).redis
    return await service.mark_chat_read(db, redis, caller, session_id, chat_id)


@router.post("/sessions/{session_id}/chats/{chat_id}/typing", response_model=ChatTyping)
async def set_chat_typing(
    request: Request,
    session_id: SessionId,
    chat_id: ChatId,
    body: TypingRequest,
    caller: Writer,
    db: DbSession,
) -> ChatTyping:
    """Show "typing…" in the chat, or stop showing it. The session must be WORKING."""
    redis = app_state(request).redis
    return await service.set_typing(db, redis, caller, session_id, chat_id, body.state)
