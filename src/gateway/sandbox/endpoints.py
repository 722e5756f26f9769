from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, status

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.kit.errors import ERROR_RESPONSES
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.models import SandboxDevice
from gateway.sandbox import service
from gateway.sandbox.schemas import (
    InboundAccepted,
    InboundRequest,
    LinkRequest,
    PresenceRequest,
    SandboxDeviceOut,
)

router = APIRouter(
    prefix="/sandbox/sessions",
    tags=["Sandbox"],
    route_class=TransactionalRoute,
    responses={**ERROR_RESPONSES, 409: {"description": "The session is not in the right status."}},
)

Writer = Annotated[Principal, scoped("sessions", Access.write)]
SessionId = Annotated[str, Path(description="A sandbox session's id (`ses_…`).", max_length=64)]


def present(device: SandboxDevice) -> SandboxDeviceOut:
    return SandboxDeviceOut(
        session_id=device.session_id,
        linked=device.linked_at is not None,
        phone_number=device.phone_number,
        push_name=device.push_name,
        linked_at=device.linked_at,
    )


@router.post("/{session_id}/link", response_model=SandboxDeviceOut)
async def sandbox_link_session(
    session_id: SessionId,
    caller: Writer,
    db: DbSession,
    body: Annotated[LinkRequest | None, Body()] = None,
) -> SandboxDeviceOut:
    """Act as the phone scanning the QR code: the session goes WORKING."""
    return present(await service.link(db, caller, session_id, body or LinkRequest()))


@router.post(
    "/{session_id}/inbound", status_code=status.HTTP_202_ACCEPTED, response_model=InboundAccepted
)
async def sandbox_inject_inbound(
    session_id: SessionId, body: InboundRequest, caller: Writer, db: DbSession
) -> InboundAccepted:
    """Deliver a message to the session from a (virtual) contact or group member; it
    arrives as a `message.received` event."""
    row = await service.inject_inbound(db, caller, session_id, body)
    return InboundAccepted(id=row.id, session_id=row.session_id)


@router.post(
    "/{session_id}/presence", status_code=status.HTTP_202_ACCEPTED, response_model=InboundAccepted
)
async def sandbox_inject_presence(
    session_id: SessionId, body: PresenceRequest, caller: Writer, db: DbSession
) -> InboundAccepted:
    """A (virtual) contact comes online, goes offline, or starts or stops typing or
    recording; it arrives as a `presence.update` event."""
    row = await service.inject_presence(db, caller, session_id, body)
    return InboundAccepted(id=row.id, session_id=row.session_id)


@router.post("/{session_id}/disconnect", response_model=SandboxDeviceOut)
async def sandbox_disconnect_session(
    session_id: SessionId, caller: Writer, db: DbSession
) -> SandboxDeviceOut:
    """Act as the phone removing the linked device: the session FAILs (`logged_out`)."""
    return present(await service.disconnect(db, caller, session_id))
