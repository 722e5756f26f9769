"""The simulated network's state: which phone a sandbox session is linked to, and the
messages waiting for it. Used by the sandbox engine and the sandbox control endpoints."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    DateTime,
    Row,
    String,
    Table,
    any_,
    bindparam,
    case,
    exists,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.ids import new_id
from gateway.kit.time import utcnow
from gateway.models import SandboxDevice, SandboxInbound, SandboxSend
from gateway.sandbox import network_repository as network


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


_sends = cast(Table, SandboxSend.__table__)


def _send_statements() -> tuple[Any, Any, Any]:
    values = {
        "message_id": bindparam("b_message_id"),
        "session_id": bindparam("b_session_id"),
        "recipient": bindparam("b_recipient"),
        "attempts": 1,
    }
    attempt = insert(_sends).values(**values, engine_message_id="")
    attempt = attempt.on_conflict_do_update(
        index_elements=[_sends.c.message_id], set_={"attempts": _sends.c.attempts + 1}
    )
    owed: dict[str, Any] = {name: bindparam(f"b_{name}") for name in _ACCEPTED}
    accept = insert(_sends).values(**values, **owed)
    fresh = _sends.c.accepted_at.is_(None)
    # A message accepted before keeps its engine id and its acks.
    accept = accept.on_conflict_do_update(
        index_elements=[_sends.c.message_id],
        set_={
            "attempts": _sends.c.attempts + 1,
            **{n: case((fresh, accept.excluded[n]), else_=_sends.c[n]) for n in _ACCEPTED},
        },
    )
    mark = update(_sends).where(_sends.c.message_id == bindparam("b_message_id")).values(**owed)
    # Accepting a message moves its chat to the top, in the same statement: the chat's row
    # is written only when this attempt is the one that sent it.
    sent = accept.returning(*_SEND_RECORD).cte("sent")
    chat = network.record_chat_message_statement(
        select(
            bindparam("b_session_id", type_=String), bindparam("b_recipient", type_=String),
            bindparam("b_name", type_=String), literal(0),
            bindparam("b_last", type_=JSONB),
            bindparam("b_accepted_at", type_=DateTime(timezone=True)),
        ).where(sent.c.engine_message_id == bindparam("b_engine_message_id"))
    ).cte("chat")  # fmt: skip
    accept_and_chat = select(sent.c.engine_message_id, sent.c.attempts, sent.c.accepted_at)
    return (
        attempt.returning(*_SEND_RECORD),
        accept_and_chat.add_cte(chat),
        mark,
    )


_ACCEPTED = ("engine_message_id", "accepted_at", "next_ack", "read_as", "next_ack_at")
_SEND_RECORD = (_sends.c.engine_message_id, _sends.c.attempts, _sends.c.accepted_at)
# Built once: every send runs one of them.
_RECORD_ATTEMPT, _ACCEPT, _MARK_ACCEPTED = _send_statements()


@dataclass(frozen=True)
class Acceptance:
    """The network taking a message: the id it gives it, when, and its first ack."""

    engine_message_id: str
    at: datetime
    read_as: str  # what follows delivered: read, or played for a voice note
    delivered_at: datetime

    def params(self) -> dict[str, Any]:
        return {
            "b_engine_message_id": self.engine_message_id,
            "b_accepted_at": self.at,
            "b_next_ack": "delivered",
            "b_read_as": self.read_as,
            "b_next_ack_at": self.delivered_at,
        }


async def record_send_attempt(
    db: AsyncSession, message_id: str, session_id: str, recipient: str
) -> Row[Any]:
    """The network's record of a message (engine id, attempts, accepted_at), created on the
    first attempt, locked, with this attempt counted: how the sandbox sends each message
    once however often it is retried."""
    params = {"b_message_id": message_id, "b_session_id": session_id, "b_recipient": recipient}
    return (await db.execute(_RECORD_ATTEMPT, params)).one()


async def accept_send(
    db: AsyncSession,
    message_id: str,
    session_id: str,
    recipient: str,
    accepted: Acceptance,
    *,
    chat_name: str | None,
    last_message: dict[str, Any],
) -> Row[Any]:
    """Count an attempt and accept the message, owing its ``delivered`` ack at
    ``delivered_at``, and move its chat to the top with ``last_message``: one statement.
    A message accepted before keeps its engine id and acks, and its chat is left alone
    (compare the returned ``engine_message_id`` with the one given)."""
    params = {
        "b_message_id": message_id, "b_session_id": session_id, "b_recipient": recipient,
        "b_name": chat_name, "b_last": last_message, **accepted.params(),
    }  # fmt: skip
    return (await db.execute(_ACCEPT, params)).one()


async def mark_accepted(db: AsyncSession, message_id: str, accepted: Acceptance) -> None:
    """Accept a message whose attempt ``record_send_attempt`` counted (and locked)."""
    await db.execute(_MARK_ACCEPTED, {"b_message_id": message_id, **accepted.params()})


async def owed_acks(db: AsyncSession, session_id: str) -> Sequence[Any]:
    """Every ack the network still owes the session: what an engine starting on another
    host (or again) picks up."""
    return (
        await db.execute(
            select(
                _sends.c.message_id, _sends.c.engine_message_id, _sends.c.next_ack,
                _sends.c.next_ack_at, _sends.c.recipient, _sends.c.read_as,
            ).where(_sends.c.session_id == session_id, _sends.c.next_ack_at.is_not(None))
        )
    ).all()  # fmt: skip


_ACKS_DONE = (
    update(_sends)
    .where(_sends.c.message_id == any_(bindparam("ids", type_=ARRAY(String))))
    .values(next_ack=None, next_ack_at=None)
)


async def acks_done(db: AsyncSession, message_ids: Sequence[str]) -> None:
    """The network owes no more acks for these messages."""
    await db.execute(_ACKS_DONE, {"ids": list(message_ids)})


async def network_states(db: AsyncSession, session_ids: Sequence[str]) -> Sequence[Row[Any]]:
    """For the host's sweep, in one query: of each of these sessions, whether its phone is
    linked, whether messages wait for it, and whether acks it is owed are overdue."""
    inbound = cast(Table, SandboxInbound.__table__)
    devices = cast(Table, SandboxDevice.__table__)
    waiting = exists().where(
        inbound.c.session_id == devices.c.session_id, inbound.c.received_at.is_(None)
    )
    overdue = exists().where(
        _sends.c.session_id == devices.c.session_id, _sends.c.next_ack_at <= func.now()
    )
    return (
        await db.execute(
            select(
                devices.c.session_id,
                devices.c.linked_at.is_not(None).label("linked"),
                waiting.label("waiting"),
                overdue.label("overdue"),
            ).where(devices.c.session_id == any_(bindparam("ids", type_=ARRAY(String)))),
            {"ids": list(session_ids)},
        )
    ).all()


async def mark_received(db: AsyncSession, inbound_ids: Sequence[str]) -> None:
    await db.execute(
        update(SandboxInbound)
        .where(SandboxInbound.id.in_(inbound_ids))
        .values(received_at=utcnow())
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
