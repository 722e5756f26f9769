"""The sandbox's control API: what the simulated phone and its contacts do."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit import service as audit
from gateway.auth.principal import Principal
from gateway.engines.base import SessionStatus
from gateway.engines.control import poke_engine_after_commit
from gateway.kit.errors import InvalidRequest, NotFound
from gateway.kit.phone import normalise_phone, whatsapp_id
from gateway.models import SandboxDevice, SandboxInbound, Session
from gateway.sandbox import network_repository as network
from gateway.sandbox import repository
from gateway.sandbox.schemas import InboundRequest, LinkRequest, PresenceRequest
from gateway.sessions.service import SessionNotReady, get_session


async def _sandbox_session(db: AsyncSession, caller: Principal, session_id: str) -> Session:
    session = await get_session(db, caller, session_id)
    if session.engine != "sandbox":
        raise NotFound("sandbox session", session_id)
    return session


async def link(
    db: AsyncSession, caller: Principal, session_id: str, body: LinkRequest
) -> SandboxDevice:
    """Scan the QR code (or enter the pairing code) on the simulated phone."""
    session = await _sandbox_session(db, caller, session_id)
    if session.status != SessionStatus.SCAN_QR_CODE.value:
        raise SessionNotReady(
            f"The session is {session.status}; it can be linked in SCAN_QR_CODE.",
        )
    phone = normalise_phone(body.phone_number) if body.phone_number else None
    device = await repository.link_device(
        db, session.id, phone_number=phone, push_name=body.push_name
    )
    audit.record(db, "sandbox.linked", "session", session.id)
    poke_engine_after_commit(db, session.id)
    return device


async def disconnect(db: AsyncSession, caller: Principal, session_id: str) -> SandboxDevice:
    """The phone removes the linked device: the session FAILs with ``logged_out``."""
    session = await _sandbox_session(db, caller, session_id)
    await repository.unlink_device(db, session.id, by_phone=True)
    audit.record(db, "sandbox.disconnected", "session", session.id)
    poke_engine_after_commit(db, session.id)
    return await repository.ensure_device(db, session.id)


async def inject_inbound(
    db: AsyncSession, caller: Principal, session_id: str, body: InboundRequest
) -> SandboxInbound:
    """Someone sends the session a message; it waits until the session is WORKING."""
    session = await _sandbox_session(db, caller, session_id)
    sender = normalise_phone(body.from_, param="from")
    await _check_sender(db, session, sender, body.group_id)
    payload: dict[str, Any] = {
        "from": sender,
        "from_lid": body.from_lid,
        "from_name": body.from_name,
        "group_id": body.group_id,
        "type": _type_of(body),
        "text": body.text if body.media is None else None,
        "media": None
        if body.media is None
        else {
            "mime_type": body.media.mime_type,
            "filename": body.media.filename,
            "caption": body.media.caption or body.text,
            "data_base64": body.media.data_base64,
        },
    }
    row = await repository.add_inbound(db, session.id, payload)
    # Who wrote and what stays out of the log: it never holds a contact's data, so
    # erasing a contact has nothing to rewrite in it.
    audit.record(db, "sandbox.inbound_injected", "session", session.id,
                 changes={"type": payload["type"]})  # fmt: skip
    poke_engine_after_commit(db, session.id)
    return row


async def inject_presence(
    db: AsyncSession, caller: Principal, session_id: str, body: PresenceRequest
) -> SandboxInbound:
    """A contact comes online, goes offline, or types; a `presence.update` follows."""
    session = await _sandbox_session(db, caller, session_id)
    sender = normalise_phone(body.from_, param="from")
    await _check_sender(db, session, sender, body.group_id)
    payload = {"from": sender, "type": "presence", "presence": body.presence,
               "group_id": body.group_id}  # fmt: skip
    row = await repository.add_inbound(db, session.id, payload)
    audit.record(db, "sandbox.presence_injected", "session", session.id,
                 changes={"presence": body.presence})  # fmt: skip
    poke_engine_after_commit(db, session.id)
    return row


async def _check_sender(
    db: AsyncSession, session: Session, sender: str, group_id: str | None
) -> None:
    """The session must be linked; in a group, it and the sender must be participants."""
    device = await repository.get_device(db, session.id)
    if device is None or device.linked_at is None or device.phone_number is None:
        raise SessionNotReady("The session is not linked to the sandbox phone yet.")
    if group_id is None:
        return
    found = await network.group_with_members(db, session.account_id, group_id)
    member_ids = {m.member_id for m in found[1]} if found else set()
    if whatsapp_id(device.phone_number) not in member_ids:
        raise InvalidRequest(
            f"The session is not in group {group_id}.", code="group_not_found", param="group_id"
        )
    if whatsapp_id(sender) not in member_ids:
        raise InvalidRequest(
            f"{sender} is not in group {group_id}.", code="not_a_participant", param="from"
        )


def _type_of(body: InboundRequest) -> str:
    if body.media is None:
        return "text"
    major = body.media.mime_type.split("/", 1)[0]
    return {"image": "image", "video": "video", "audio": "audio"}.get(major, "document")
