from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Request, status
from fastapi.responses import PlainTextResponse, Response

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.billing.plans import PLAN_LIMIT_RESPONSES
from gateway.engines.base import Me, SessionStatus
from gateway.kit.errors import ERROR_RESPONSES
from gateway.kit.pagination import ListResponse, PageParams, page_of
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.kit.state import app_state
from gateway.models import Session
from gateway.sessions import service
from gateway.sessions.qr import qr_data_uri, qr_png
from gateway.sessions.schemas import (
    PairingCode,
    PairingCodeRequest,
    QrCode,
    SessionConfigOut,
    SessionCreate,
    SessionDeleted,
    SessionOut,
    SessionUpdate,
    StatusChange,
)

router = APIRouter(
    prefix="/sessions",
    tags=["Sessions"],
    route_class=TransactionalRoute,
    responses={
        **ERROR_RESPONSES,
        409: {"description": "Name taken, or the session is not in the right status."},
        501: {"description": "The session's engine does not support this operation."},
    },
)

Reader = Annotated[Principal, scoped("sessions", Access.read)]
Writer = Annotated[Principal, scoped("sessions", Access.write)]
SessionId = Annotated[str, Path(description="The session's id (`ses_…`).", max_length=64)]


def present(session: Session) -> SessionOut:
    return SessionOut(
        id=session.id,
        name=session.name,
        engine=session.engine,
        status=SessionStatus(session.status),
        status_reason=session.status_reason,
        status_history=[StatusChange.model_validate(h) for h in session.status_history],
        desired_state="running" if session.desired_state == "running" else "stopped",
        metadata=dict(session.meta),
        config=SessionConfigOut.model_validate(session.config),
        capabilities=service.capabilities(session),
        me=Me.model_validate(session.me) if session.me else None,
        created_at=session.created_at,
        updated_at=session.updated_at,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionOut,
    responses=PLAN_LIMIT_RESPONSES,
)
async def create_session(
    body: SessionCreate, caller: Writer, db: DbSession, request: Request
) -> SessionOut:
    """Create a session; with `start` (the default) it starts connecting at once and
    moves through STARTING to SCAN_QR_CODE."""
    return present(await service.create_session(db, app_state(request).settings, caller, body))


@router.get("", response_model=ListResponse[SessionOut])
async def list_sessions(
    caller: Reader,
    db: DbSession,
    page: PageParams,
    status: Annotated[
        SessionStatus | None, Query(description="Only sessions in this status.")
    ] = None,
) -> ListResponse[SessionOut]:
    items, has_more = page_of(await service.list_sessions(db, caller, page, status), page)
    return ListResponse(data=[present(s) for s in items], has_more=has_more)


@router.get("/{session_id}", response_model=SessionOut)
async def retrieve_session(session_id: SessionId, caller: Reader, db: DbSession) -> SessionOut:
    return present(await service.get_session(db, caller, session_id))


@router.patch("/{session_id}", response_model=SessionOut)
async def update_session(
    session_id: SessionId, body: SessionUpdate, caller: Writer, db: DbSession, request: Request
) -> SessionOut:
    """Rename, replace metadata or config. A running session restarts with a new config."""
    return present(
        await service.update_session(db, app_state(request).settings, caller, session_id, body)
    )


@router.delete("/{session_id}", response_model=SessionDeleted)
async def delete_session(session_id: SessionId, caller: Writer, db: DbSession) -> SessionDeleted:
    """Stop, log out and delete the session. Deleting it again succeeds again."""
    return SessionDeleted(id=await service.delete_session(db, caller, session_id))


@router.post("/{session_id}/start", response_model=SessionOut)
async def start_session(session_id: SessionId, caller: Writer, db: DbSession) -> SessionOut:
    """Start a stopped or FAILED session. A running session is left as it is."""
    return present(await service.start_session(db, caller, session_id))


@router.post("/{session_id}/stop", response_model=SessionOut)
async def stop_session(session_id: SessionId, caller: Writer, db: DbSession) -> SessionOut:
    """Disconnect and stay STOPPED (the link is kept). Stopping twice is harmless."""
    return present(await service.stop_session(db, caller, session_id))


@router.post("/{session_id}/restart", response_model=SessionOut)
async def restart_session(session_id: SessionId, caller: Writer, db: DbSession) -> SessionOut:
    """Stop and start again; a stopped session just starts."""
    return present(await service.restart_session(db, caller, session_id))


@router.post("/{session_id}/logout", response_model=SessionOut)
async def logout_session(session_id: SessionId, caller: Writer, db: DbSession) -> SessionOut:
    """Unlink the phone. A running session shows a new QR code; a stopped one stays
    stopped."""
    return present(await service.logout_session(db, caller, session_id))


@router.get(
    "/{session_id}/qr",
    responses={
        200: {
            "content": {
                "image/png": {},
                "text/plain": {},
                "application/json": {"schema": QrCode.model_json_schema()},
            },
            "description": "PNG by default; `?format=raw` for the value; JSON on "
            "`Accept: application/json`.",
        }
    },
    response_class=Response,
)
async def retrieve_session_qr(
    session_id: SessionId,
    caller: Reader,
    db: DbSession,
    format: Annotated[
        Literal["image", "raw"], Query(description="`raw`: the QR value as text.")
    ] = "image",
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """The QR code to scan while the session is SCAN_QR_CODE (409 otherwise)."""
    qr = await service.current_qr(db, caller, session_id)
    if format == "raw":
        return PlainTextResponse(qr.value)
    if accept and "application/json" in accept:
        body = QrCode(value=qr.value, data_uri=qr_data_uri(qr.value), expires_at=qr.expires_at)
        return Response(body.model_dump_json(), media_type="application/json")
    return Response(qr_png(qr.value), media_type="image/png")


@router.post("/{session_id}/pairing-code", response_model=PairingCode)
async def request_pairing_code(
    request: Request, session_id: SessionId, body: PairingCodeRequest, caller: Writer, db: DbSession
) -> PairingCode:
    """Link by phone number instead of QR: type the code on the phone (WhatsApp > Linked
    devices > Link with phone number)."""
    code, phone = await service.request_pairing_code(
        db, app_state(request).redis, caller, session_id, body.phone_number
    )
    return PairingCode(code=code, phone_number=phone)


@router.get("/{session_id}/me", response_model=Me)
async def retrieve_session_me(session_id: SessionId, caller: Reader, db: DbSession) -> Me:
    """The account the session is linked to (WORKING sessions only)."""
    return await service.me(db, caller, session_id)
