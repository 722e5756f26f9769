"""The sessions pages: the list, creating one, a session's page (status, QR code, pairing
code, the linked account, its messages and chats), and its actions. Each calls the
sessions' and messages' services as the API does, with the signed-in key as the caller."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
import structlog
from fastapi import APIRouter, Path, Query, Request
from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from gateway.auth.scopes import Access
from gateway.billing.quota import send_quota
from gateway.chats import service as chats_service
from gateway.dashboard.auth import (
    PATH,
    MessageSender,
    SessionsReader,
    SessionsWriter,
    Submitted,
    Visitor,
)
from gateway.dashboard.forms import abandon, page_after, parse, parse_as
from gateway.dashboard.pages import DashboardRoute, redirect, render
from gateway.engines import registry
from gateway.engines.base import Capability, SessionStatus
from gateway.kit.errors import GatewayError, InvalidRequest
from gateway.kit.pagination import Page, page_of
from gateway.kit.routing import DbSession, request_db
from gateway.kit.state import app_state
from gateway.messages import sending
from gateway.messages import service as messages_service
from gateway.messages.schemas import SendMessage, message_out
from gateway.models import Session
from gateway.sessions import service
from gateway.sessions.qr import qr_png
from gateway.sessions.schemas import SessionCreate

log = structlog.get_logger(__name__)

router = APIRouter(route_class=DashboardRoute)

SessionId = Annotated[str, Path(max_length=64)]
_SEND = TypeAdapter(SendMessage)
DEFAULT_CONFIG = '{"sandbox": {}}'
# What a finished action says on the page it leads to: fixed words, never request text.
NOTICES = {
    "created": "Session created.",
    "start": "Starting the session.",
    "stop": "Stopping the session.",
    "logout": "Logging the session out: a new QR code follows while it runs.",
    "deleted": "Session deleted.",
    "sent": "Message queued.",
}
ACTIONS = {
    "start": service.start_session,
    "stop": service.stop_session,
    "logout": service.logout_session,
}


def engines_for(visitor: Visitor) -> list[str]:
    """The engines this deployment offers that the key may use (test keys: the sandbox)."""
    names = sorted(registry.ENGINES, key=lambda name: (name != "sandbox", name))
    return ["sandbox"] if visitor.principal.is_test else names


def _session_view(session: Session) -> dict[str, Any]:
    capabilities = service.capabilities(session)
    return {
        "id": session.id,
        "name": session.name,
        "engine": session.engine,
        "status": session.status,
        "status_reason": session.status_reason,
        "desired_state": session.desired_state,
        "me": session.me,
        "created_at": session.created_at,
        "scanning": session.status == SessionStatus.SCAN_QR_CODE.value,
        "has_qr": Capability.qr in capabilities,
        "has_pairing_code": Capability.pairing_code in capabilities,
        "has_logout": Capability.logout in capabilities,
    }


async def _list_page(
    request: Request,
    db: AsyncSession,
    visitor: Visitor,
    *,
    after: str | None = None,
    status_code: int = 200,
    error: GatewayError | None = None,
    form: dict[str, str] | None = None,
    notice: str | None = None,
) -> Response:
    page = page_after(after, "ses")
    rows, has_more = page_of(await service.list_sessions(db, visitor.principal, page, None), page)
    return render(
        request,
        "sessions.html",
        status_code=status_code,
        sessions=[_session_view(s) for s in rows],
        next_cursor=rows[-1].id if has_more and rows else None,
        engines=engines_for(visitor),
        can_write=visitor.can("sessions", Access.write),
        can_create=visitor.principal.session_id is None,
        error=error,
        form=form or {"engine": "sandbox", "config": DEFAULT_CONFIG, "start": "on"},
        notice=notice,
        live="sessions",
    )


@router.get("/sessions")
async def sessions_page(
    request: Request,
    visitor: SessionsReader,
    db: DbSession,
    after: Annotated[str | None, Query(max_length=64)] = None,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return await _list_page(request, db, visitor, after=after, notice=NOTICES.get(done or ""))


@router.get("/sessions/state")
async def sessions_state(
    visitor: SessionsReader,
    db: DbSession,
    after: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The statuses of a page of the list as they are now, for the page's script to catch
    up on what changed before its event socket was open."""
    page = page_after(after, "ses")
    rows, _ = page_of(await service.list_sessions(db, visitor.principal, page, None), page)
    body = {"sessions": [{"id": s.id, "status": s.status, "me": s.me} for s in rows]}
    return _json(body)


def _json(body: dict[str, Any]) -> Response:
    return Response(
        orjson.dumps(body), media_type="application/json", headers={"Cache-Control": "no-store"}
    )


def _create_body(submitted: Submitted) -> SessionCreate:
    raw = submitted.text("config") or "{}"
    try:
        config = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidRequest(
            f"The config is not valid JSON: {exc.args[0] if exc.args else 'unreadable'}.",
            param="config",
        ) from None
    if not isinstance(config, dict):
        raise InvalidRequest("The config must be a JSON object ({…}).", param="config")
    return parse(
        SessionCreate,
        {
            "name": submitted.text("name"),
            "engine": submitted.text("engine") or "sandbox",
            "config": config,
            "start": submitted.text("start") == "on",
        },
    )


@router.post("/sessions")
async def create_session(request: Request, submitted: SessionsWriter, db: DbSession) -> Response:
    form = {name: submitted.text(name) for name in ("name", "engine", "config", "start")}
    try:
        body = _create_body(submitted)
        settings = app_state(request).settings
        session = await service.create_session(db, settings, submitted.principal, body)
    except GatewayError as exc:
        await abandon(db)
        return await _list_page(
            request, db, submitted.visitor, status_code=exc.status_code, error=exc, form=form
        )
    return redirect(f"{PATH}/sessions/{session.id}?done=created")


async def _session_page(
    request: Request,
    db: AsyncSession,
    visitor: Visitor,
    session_id: str,
    *,
    status_code: int = 200,
    after: str | None = None,
    notice: str | None = None,
    error: GatewayError | None = None,
    send_form: dict[str, str] | None = None,
    pairing: dict[str, str] | None = None,
) -> Response:
    principal = visitor.principal
    session = await service.get_session(db, principal, session_id)
    view = _session_view(session)
    messages: list[Any] = []
    next_cursor = None
    chats: list[Any] = []
    chats_error = None
    can_read_messages = visitor.can("messages", Access.read)
    if can_read_messages:
        page = page_after(after, "msg")
        rows, has_more = page_of(
            await messages_service.list_messages(db, principal, session_id, page), page
        )
        messages = [message_out(m) for m in rows]
        next_cursor = rows[-1].id if has_more and rows else None
        if session.status == SessionStatus.WORKING.value:
            try:
                chats, _ = await chats_service.list_chats(
                    db, app_state(request).redis, principal, session_id, Page(limit=20), None
                )
            except GatewayError as exc:
                chats_error = exc.message
            except Exception:
                # The chats are an extra of the page, asked of the engine host: whatever
                # goes wrong there, the session's own page still shows.
                log.exception("dashboard.chats_unavailable", session_id=session_id)
                chats_error = "The chats could not be read from the engine just now."
    return render(
        request,
        "session.html",
        status_code=status_code,
        session=view,
        messages=messages,
        next_cursor=next_cursor,
        chats=chats,
        chats_error=chats_error,
        can_write=visitor.can("sessions", Access.write),
        can_read_messages=can_read_messages,
        can_send=visitor.can("messages", Access.write),
        notice=notice,
        error=error,
        send_form=send_form or {"chat_id": "+12025550123", "text": "Hello from the dashboard"},
        after=after,
        pairing=pairing,
        live=session.id,
    )


@router.get("/sessions/{session_id}")
async def session_page(
    request: Request,
    session_id: SessionId,
    visitor: SessionsReader,
    db: DbSession,
    after: Annotated[str | None, Query(max_length=64)] = None,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return await _session_page(
        request, db, visitor, session_id, after=after, notice=NOTICES.get(done or "")
    )


@router.get("/sessions/{session_id}/qr.png")
async def session_qr(session_id: SessionId, visitor: SessionsReader, db: DbSession) -> Response:
    qr = await service.current_qr(db, visitor.principal, session_id)
    return Response(qr_png(qr.value), media_type="image/png", headers={"Cache-Control": "no-store"})


@router.get("/sessions/{session_id}/state")
async def session_state(
    request: Request,
    session_id: SessionId,
    visitor: SessionsReader,
    db: DbSession,
) -> Response:
    """The session's status as it is now, for the page's script to catch up on what
    happened before its event socket was open."""
    session = await service.get_session(db, visitor.principal, session_id)
    body = {"id": session.id, "status": session.status, "me": session.me}
    if visitor.can("messages", Access.read):
        page = Page(limit=50)
        rows = await messages_service.list_messages(db, visitor.principal, session_id, page)
        shown = [message_out(m) for m in rows]
        body["messages"] = {
            m.id: {"status": m.status, "error": m.error.model_dump() if m.error else None}
            for m in shown
        }
    return _json(body)


@router.post("/sessions/{session_id}/delete")
async def delete_session(
    session_id: SessionId, submitted: SessionsWriter, db: DbSession
) -> Response:
    await service.delete_session(db, submitted.principal, session_id)
    return redirect(f"{PATH}/sessions?done=deleted")


@router.post("/sessions/{session_id}/pairing-code")
async def request_pairing_code(
    request: Request, session_id: SessionId, submitted: SessionsWriter, db: DbSession
) -> Response:
    phone = submitted.text("phone_number")
    redis = app_state(request).redis
    try:
        code, normalised = await service.request_pairing_code(
            db, redis, submitted.principal, session_id, phone
        )
    except GatewayError as exc:
        await abandon(db)
        return await _session_page(
            request, db, submitted.visitor, session_id, status_code=exc.status_code,
            pairing={"phone_number": phone, "error": exc.message},
        )  # fmt: skip
    return await _session_page(
        request, db, submitted.visitor, session_id,
        pairing={"phone_number": normalised, "code": code},
    )  # fmt: skip


@router.post("/sessions/{session_id}/messages")
async def send_test_message(
    request: Request, session_id: SessionId, submitted: MessageSender, db: DbSession
) -> Response:
    form = {"chat_id": submitted.text("chat_id"), "text": submitted.text("text")}
    state = app_state(request)
    context = sending.SendContext(
        state.settings,
        state.session_routes,
        state.autocommit_sessionmaker,
        state.statements,
        db=lambda: request_db(request),
        committed=request.state.committed,
        graph_http=state.graph_http,
        quota=send_quota(state, request.scope, submitted.principal),
    )
    try:
        body = parse_as(_SEND, {"type": "text", **form})
        await sending.send_message(context, submitted.principal, session_id, body, None)
    except GatewayError as exc:
        await abandon(db)
        return await _session_page(
            request, db, submitted.visitor, session_id, status_code=exc.status_code,
            error=exc, send_form=form,
        )  # fmt: skip
    return redirect(f"{PATH}/sessions/{session_id}?done=sent#messages")


# After the fixed addresses above: the path would take them too.
@router.post("/sessions/{session_id}/{action}")
async def session_action(
    session_id: SessionId,
    action: Annotated[str, Path(pattern="^(start|stop|logout)$")],
    submitted: SessionsWriter,
    db: DbSession,
) -> Response:
    await ACTIONS[action](db, submitted.principal, session_id)
    return redirect(f"{PATH}/sessions/{session_id}?done={action}")
