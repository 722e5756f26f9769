"""The simulated network's state: which phone a sandbox session is linked to, and the
messages waiting for it. Used by the sandbox engine and the sandbox control endpoints."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.ids import new_id
from gateway.kit.time import utcnow
from gateway.models import SandboxDevice, SandboxInbound, SandboxSend


def random_phone_number() -> str:
    """A fictional US number (555 exchange) for a session's simulated phone."""
    return f"+1415555{secrets.randbelow(9000) + 1000}"


async def get_device(db: AsyncSession, session_id: str) -> SandboxDevice | None:
    return await db.get(SandboxDevice, session_id, populate_existing=True)


async def ensure_device(db: AsyncSession, session_id: str) -> SandboxDevice:
    await db.execute(insert(SandboxDevice).values(session_id=session_id).on_conflict_do_nothing())
    device = await get_device(db, session_id)
    assert device is not None
    return device


async def link_device(
    db: AsyncSession, session_id: str, *, phone_number: str | None, push_name: str | None
) -> SandboxDevice:
    """Link as the phone would on scanning the QR code (or entering the pairing code)."""
    device = await ensure_device(db, session_id)
    device.phone_number = phone_number or device.pairing_phone_number or random_phone_number()
    device.push_name = push_name or "Sandbox phone"
    device.linked_at = utcnow()
    device.logged_out_at = None
    device.pairing_code = None
    device.pairing_phone_number = None
    await db.flush()
    return device


async def unlink_device(db: AsyncSession, session_id: str, *, by_phone: bool) -> None:
    """Forget the link: the session logged out (``by_phone``: the phone removed it)."""
    await db.execute(
        update(SandboxDevice)
        .where(SandboxDevice.session_id == session_id)
        .values(linked_at=None, logged_out_at=utcnow() if by_phone else None)
    )


async def set_pairing_code(db: AsyncSession, session_id: str, code: str, phone_number: str) -> None:
    device = await ensure_device(db, session_id)
    device.pairing_code = code
    device.pairing_phone_number = phone_number
    await db.flush()


async def add_inbound(db: AsyncSession, session_id: str, payload: dict[str, Any]) -> SandboxInbound:
    row = SandboxInbound(id=new_id("sbx"), session_id=session_id, payload=payload)
    db.add(row)
    await db.flush()
    return row


async def take_inbound(
    db: AsyncSession, session_id: str, limit: int = 100
) -> Sequence[SandboxInbound]:
    """Messages waiting for the session, oldest first."""
    return (
        await db.scalars(
            select(SandboxInbound)
            .where(SandboxInbound.session_id == session_id, SandboxInbound.received_at.is_(None))
            .order_by(SandboxInbound.id)
            .limit(limit)
        )
    ).all()


async def record_send_attempt(
    db: AsyncSession, message_id: str, session_id: str, recipient: str
) -> SandboxSend:
    """The network's record of a message, created on the first attempt, locked, with its
    attempt counted: how the sandbox sends each message once however often it is retried."""
    await db.execute(
        insert(SandboxSend)
        .values(message_id=message_id, session_id=session_id, recipient=recipient,
                engine_message_id="", attempts=0)
        .on_conflict_do_nothing()
    )  # fmt: skip
    send = await db.scalar(
        select(SandboxSend)
        .where(SandboxSend.message_id == message_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert send is not None
    send.attempts += 1
    await db.flush()
    return send


async def due_acks(db: AsyncSession, session_id: str, limit: int = 100) -> Sequence[SandboxSend]:
    return (
        await db.scalars(
            select(SandboxSend)
            .where(SandboxSend.session_id == session_id, SandboxSend.next_ack_at <= utcnow())
            .order_by(SandboxSend.next_ack_at)
            .limit(limit)
        )
    ).all()


async def schedule_ack(
    db: AsyncSession, message_id: str, ack: str | None, at: datetime | None
) -> None:
    """The next ack the network owes for a message (none: it is done)."""
    await db.execute(
        update(SandboxSend)
        .where(SandboxSend.message_id == message_id)
        .values(next_ack=ack, next_ack_at=at)
    )


async def mark_received(db: AsyncSession, inbound_ids: Sequence[str]) -> None:
    await db.execute(
        update(SandboxInbound)
        .where(SandboxInbound.id.in_(inbound_ids))
        .values(received_at=utcnow())
    )


async def next_ack_at(db: AsyncSession, session_id: str) -> datetime | None:
    return await db.scalar(
        select(func.min(SandboxSend.next_ack_at)).where(SandboxSend.session_id == session_id)
    )


async def accepted_send(
    db: AsyncSession, session_id: str, engine_message_id: str
) -> SandboxSend | None:
    """The network's record of a message the session sent, by the id it was given. Not
    locked: edits and revokes only read it, while acks for it may hold its lock."""
    return await db.scalar(
        select(SandboxSend).where(
            SandboxSend.session_id == session_id,
            SandboxSend.engine_message_id == engine_message_id,
            SandboxSend.accepted_at.is_not(None),
        )
    )
