"""The simulated network's state: which phone a sandbox session is linked to, and the
messages waiting for it. Used by the sandbox engine and the sandbox control endpoints."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.ids import new_id
from gateway.kit.time import utcnow
from gateway.models import SandboxDevice, SandboxInbound


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
    """Messages waiting for the session, locked for this transaction, oldest first."""
    return (
        await db.scalars(
            select(SandboxInbound)
            .where(SandboxInbound.session_id == session_id, SandboxInbound.received_at.is_(None))
            .order_by(SandboxInbound.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
