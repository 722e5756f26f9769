"""All SQL of messages: the API's reads and writes, and the delivery queries of hosts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    DateTime,
    Integer,
    Row,
    Select,
    String,
    Table,
    and_,
    any_,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
    text,
    true,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.pagination import Page, paginate
from gateway.kit.sql import unnested
from gateway.models import Message, Session, SessionLease
from gateway.sessions.repository import Reach

PENDING = ("scheduled", "queued", "sending")


def _visible(reach: Reach) -> Select[Message]:
    stmt = select(Message).where(Message.account_id == reach.account_id)
    if reach.session_id is not None:
        stmt = stmt.where(Message.session_id == reach.session_id)
    if reach.sandbox_only:
        stmt = stmt.join(Session, Session.id == Message.session_id).where(
            Session.engine == "sandbox"
        )
    return stmt


async def add(db: AsyncSession, message: Message) -> Message:
    db.add(message)
    await db.flush()
    return message


async def get(
    db: AsyncSession, reach: Reach, message_id: str, *, lock: bool = False
) -> Message | None:
    stmt = _visible(reach).where(Message.id == message_id)
    if lock:
        stmt = stmt.with_for_update(of=Message)
    return await db.scalar(stmt)


async def in_session(db: AsyncSession, session_id: str, message_id: str) -> Message | None:
    return await db.scalar(
        select(Message).where(Message.id == message_id, Message.session_id == session_id)
    )


async def list_page(
    db: AsyncSession,
    reach: Reach,
    session_id: str,
    page: Page,
    *,
    chat_id: str | None = None,
    direction: str | None = None,
    status: str | None = None,
    created_gte: datetime | None = None,
    created_lt: datetime | None = None,
) -> Sequence[Message]:
    stmt = _visible(reach).where(Message.session_id == session_id)
    if chat_id is not None:
        stmt = stmt.where(Message.chat_id == chat_id)
    if direction is not None:
        stmt = stmt.where(Message.direction == direction)
    if status is not None:
        stmt = stmt.where(Message.status == status)
    if created_gte is not None:
        stmt = stmt.where(Message.created_at >= created_gte)
    if created_lt is not None:
        stmt = stmt.where(Message.created_at < created_lt)
    return (await db.scalars(paginate(stmt, Message.id, page))).all()


# -- delivery (engine hosts) ------------------------------------------------------------
#
# Hosts move messages through their statuses in bulk: one statement claims a batch, one
# records a batch's outcomes, one applies a batch of acks. Each returns the rows as they
# are after the change, with their session's snapshot, which is all their events need.

_messages = cast(Table, Message.__table__)
_sessions = cast(Table, Session.__table__)
_leases = cast(Table, SessionLease.__table__)
# Literal, not bound: a prepared statement with bound statuses cannot use the partial
# index ix_messages_pending once PostgreSQL switches it to a generic plan.
_IS_PENDING = text("messages.status IN ('scheduled', 'queued', 'sending')")
_SESSION_SNAPSHOT = (
    _sessions.c.account_id.label("session_account_id"),
    _sessions.c.name.label("session_name"),
    _sessions.c["metadata"].label("session_metadata"),
    _sessions.c.engine.label("session_engine"),
)
# How far along an outbound message is: acks only move it forward. Statuses without a
# rank (queued, sending, failed …) are never moved by an ack.
ACK_RANK = {"sent": 1, "delivered": 2, "read": 3, "played": 3}


def _held_by(host_id: Any, session_id: Any) -> Any:
    return exists().where(
        _leases.c.session_id == session_id,
        _leases.c.host_id == host_id,
        _leases.c.expires_at > func.now(),
    )


def _rank(status: Any, unranked: int) -> Any:
    return case(ACK_RANK, value=status, else_=unranked)


def _claim_statement() -> Any:
    # The sessions asking, each with how many it takes; for each, its oldest due rows,
    # locked (rows another transaction holds are skipped, not waited for).
    wanted = unnested(
        "wanted", session_id=("b_session_ids", String()), take=("b_limits", Integer())
    )
    rows = (
        select(_messages.c.id, _messages.c.status)
        .where(
            _messages.c.session_id == wanted.c.session_id,
            _IS_PENDING,
            _messages.c.next_attempt_at <= func.now(),
            _held_by(bindparam("b_host_id"), _messages.c.session_id),
        )
        .order_by(_messages.c.next_attempt_at, _messages.c.id)
        .limit(wanted.c.take)
        .with_for_update(skip_locked=True)
        .lateral("oldest")
    )
    due = select(rows.c.id, rows.c.status).select_from(wanted.join(rows, true())).cte("due")
    now = bindparam("b_now", type_=DateTime(timezone=True))
    expired = and_(_messages.c.expires_at.is_not(None), _messages.c.expires_at <= now)
    quoted = _messages.alias("quoted")
    reply_to = (
        select(quoted.c.engine_message_id)
        .where(quoted.c.id == _messages.c.reply_to, quoted.c.session_id == _messages.c.session_id)
        .correlate(_messages)
        .scalar_subquery()
    )
    return (
        update(_messages)
        .where(_messages.c.id == due.c.id, _sessions.c.id == _messages.c.session_id)
        .values(
            status=case((expired, "failed"), else_="sending"),
            attempts=case((expired, _messages.c.attempts), else_=_messages.c.attempts + 1),
            error_code=case((expired, bindparam("expired_code")), else_=_messages.c.error_code),
            error_message=case(
                (expired, bindparam("expired_message")), else_=_messages.c.error_message
            ),
            updated_at=now,
        )
        .returning(
            *_messages.c,
            due.c.status.label("previous_status"),
            reply_to.label("reply_to_engine_id"),
            *_SESSION_SNAPSHOT,
        )
    )


_CLAIM = _claim_statement()


async def claim_due(
    db: AsyncSession,
    host_id: str,
    wanted: Sequence[tuple[str, int]],
    *,
    now: datetime,
    expired_code: str,
    expired_message: str,
) -> list[Row[Any]]:
    """For each (session id, limit) of ``wanted``, claim up to ``limit`` of the session's
    due outbound messages if ``host_id`` holds its lease, all in one statement: each goes
    ``sending`` with its attempt counted, or ``failed`` with ``expired_code`` if its
    ``expires_at`` has passed. Rows carry ``previous_status``, ``reply_to_engine_id`` (the
    quoted message's engine id) and the session's snapshot; oldest due first within each
    session, so a session's messages go out in order."""
    if not wanted:
        return []
    result = await db.execute(
        _CLAIM,
        {
            "b_session_ids": [session_id for session_id, _ in wanted],
            "b_limits": [limit for _, limit in wanted],
            "b_host_id": host_id,
            "b_now": now,
            "expired_code": expired_code,
            "expired_message": expired_message,
        },
    )
    return sorted(result.all(), key=lambda r: (r.session_id, r.next_attempt_at, r.id))


@dataclass(frozen=True)
class Outcome:
    """What became of one send: the status it moves to and what goes with it."""

    message_id: str
    status: str  # sent | queued (to retry) | failed
    engine_message_id: str | None = None
    next_attempt_at: datetime | None = None
    error_code: str | None = None
    error_message: str | None = None
    sent_at: datetime | None = None  # when the engine took it (status ``sent``)
    error_engine_code: str | None = None


def _outcomes_statement() -> Any:
    given = unnested(
        "outcome",
        id=("ids", String()),
        status=("statuses", String()),
        engine_message_id=("engine_ids", String()),
        next_attempt_at=("next_attempts", DateTime(timezone=True)),
        error_code=("error_codes", String()),
        error_message=("error_messages", String()),
        sent_at=("sent_ats", DateTime(timezone=True)),
        error_engine_code=("error_engine_codes", String()),
    )
    now = bindparam("b_now", type_=DateTime(timezone=True))
    sent = given.c.status == "sent"
    return (
        update(_messages)
        .where(
            _messages.c.id == given.c.id,
            # Only what this host claimed and has not recorded yet.
            _messages.c.status == "sending",
            _sessions.c.id == _messages.c.session_id,
        )
        .values(
            status=given.c.status,
            engine_message_id=func.coalesce(
                given.c.engine_message_id, _messages.c.engine_message_id
            ),
            sent_at=case(
                (sent, func.coalesce(_messages.c.sent_at, given.c.sent_at, now)),
                else_=_messages.c.sent_at,
            ),
            next_attempt_at=func.coalesce(given.c.next_attempt_at, _messages.c.next_attempt_at),
            # A send that failed says why; a success keeps what an earlier attempt said.
            error_code=case((sent, _messages.c.error_code), else_=given.c.error_code),
            error_message=case((sent, _messages.c.error_message), else_=given.c.error_message),
            error_engine_code=case(
                (sent, _messages.c.error_engine_code), else_=given.c.error_engine_code
            ),
            updated_at=now,
        )
        .returning(*_messages.c, *_SESSION_SNAPSHOT)
    )


_RECORD_OUTCOMES = _outcomes_statement()


async def record_outcomes(
    db: AsyncSession, outcomes: Sequence[Outcome], *, now: datetime
) -> list[Row[Any]]:
    """Record what became of claimed messages, in one statement; returns the rows
    changed (with their session's snapshot), in the order of ``outcomes``."""
    if not outcomes:
        return []
    result = await db.execute(
        _RECORD_OUTCOMES,
        {
            "ids": [o.message_id for o in outcomes],
            "statuses": [o.status for o in outcomes],
            "engine_ids": [o.engine_message_id for o in outcomes],
            "next_attempts": [o.next_attempt_at for o in outcomes],
            "error_codes": [o.error_code for o in outcomes],
            "error_messages": [o.error_message for o in outcomes],
            "sent_ats": [o.sent_at for o in outcomes],
            "error_engine_codes": [o.error_engine_code for o in outcomes],
            "b_now": now,
        },
    )
    order = {o.message_id: n for n, o in enumerate(outcomes)}
    return sorted(result.all(), key=lambda r: order[r.id])


def _acks_statement() -> Any:
    given = unnested(
        "ack",
        session_id=("session_ids", String()),
        engine_message_id=("engine_ids", String()),
        status=("statuses", String()),
        at=("ats", DateTime(timezone=True)),
        position=("positions", Integer()),
    )
    # Locked first, so the forward-only test and the update see the same row.
    acked = (
        select(
            _messages.c.id,
            _messages.c.status.label("previous_status"),
            given.c.status.label("ack_status"),
            given.c.at,
            given.c.position,
        )
        .select_from(
            _messages.join(
                given,
                and_(
                    _messages.c.session_id == given.c.session_id,
                    _messages.c.engine_message_id == given.c.engine_message_id,
                ),
            )
        )
        .where(
            _messages.c.direction == "outbound",
            _rank(given.c.status, 0) > _rank(_messages.c.status, 9),
            _held_by(bindparam("b_host_id"), _messages.c.session_id),
        )
        .with_for_update(of=_messages)
        .cte("acked")
    )
    read = or_(acked.c.ack_status == "read", acked.c.ack_status == "played")
    return (
        update(_messages)
        .where(_messages.c.id == acked.c.id, _sessions.c.id == _messages.c.session_id)
        .values(
            status=acked.c.ack_status,
            delivered_at=func.coalesce(_messages.c.delivered_at, acked.c.at),
            read_at=case(
                (read, func.coalesce(_messages.c.read_at, acked.c.at)), else_=_messages.c.read_at
            ),
            updated_at=acked.c.at,
        )
        .returning(
            *_messages.c,
            acked.c.previous_status,
            acked.c.position,
            *_SESSION_SNAPSHOT,
        )
    )


_APPLY_ACKS = _acks_statement()


@dataclass(frozen=True)
class Ack:
    """A sent message was delivered, read or played, as an engine reported it."""

    session_id: str
    engine_message_id: str
    status: str
    at: datetime


async def apply_acks(db: AsyncSession, host_id: str, acks: Sequence[Ack]) -> list[Row[Any]]:
    """Move the acked messages forward, in one statement, for the sessions whose lease
    ``host_id`` holds; an ack for a message already as far along (or further) changes
    nothing. At most one ack per message. Returns the rows changed with their
    ``previous_status``, ``position`` (the ack's index in ``acks``) and session snapshot,
    in the order of ``acks``."""
    if not acks:
        return []
    result = await db.execute(
        _APPLY_ACKS,
        {
            "session_ids": [a.session_id for a in acks],
            "engine_ids": [a.engine_message_id for a in acks],
            "statuses": [a.status for a in acks],
            "ats": [a.at for a in acks],
            "positions": list(range(len(acks))),
            "b_host_id": host_id,
        },
    )
    return sorted(result.all(), key=lambda r: r.position)


async def statuses_by_engine_ids(
    db: AsyncSession, pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """The status of the stored messages named by these (session id, engine message id)
    pairs."""
    if not pairs:
        return {}
    rows = await db.execute(
        select(_messages.c.session_id, _messages.c.engine_message_id, _messages.c.status).where(
            tuple_(_messages.c.session_id, _messages.c.engine_message_id).in_(pairs)
        )
    )
    return {(sid, eid): status for sid, eid, status in rows.all()}


_NEXT_DUE = (
    select(_messages.c.session_id, func.min(_messages.c.next_attempt_at))
    .where(_messages.c.session_id == any_(bindparam("ids", type_=ARRAY(String))), _IS_PENDING)
    .group_by(_messages.c.session_id)
)


async def next_due_by_session(db: AsyncSession, session_ids: Sequence[str]) -> dict[str, datetime]:
    """When each of these sessions' earliest pending message falls due (absent: none)."""
    if not session_ids:
        return {}
    rows = await db.execute(_NEXT_DUE, {"ids": list(session_ids)})
    return {sid: due for sid, due in rows.all()}


async def add_inbound(db: AsyncSession, values: dict[str, object]) -> Message | None:
    """Insert a received message once: a redelivery by the engine changes nothing."""
    stmt = (
        insert(Message)
        .values(**values)
        .on_conflict_do_nothing(
            index_elements=[Message.session_id, Message.engine_message_id],
            index_where=Message.engine_message_id.is_not(None),
        )
        .returning(Message)
    )
    return (await db.scalars(stmt)).first()


async def sessions_with_due_messages(db: AsyncSession) -> list[tuple[str, str]]:
    """(session id, lease holder) of running sessions that have due outbound messages."""
    rows = await db.execute(
        select(Message.session_id, SessionLease.host_id)
        .join(
            SessionLease,
            and_(
                SessionLease.session_id == Message.session_id,
                SessionLease.expires_at > func.now(),
            ),
        )
        .where(_IS_PENDING, Message.next_attempt_at <= func.now())
        .distinct()
    )
    return [(sid, host) for sid, host in rows.all()]


async def ids_by_engine_ids(
    db: AsyncSession, session_id: str, engine_message_ids: Sequence[str]
) -> dict[str, str]:
    """The gateway's ids of the session's messages with these engine ids."""
    if not engine_message_ids:
        return {}
    rows = await db.execute(
        select(Message.engine_message_id, Message.id).where(
            Message.session_id == session_id,
            Message.engine_message_id.in_(engine_message_ids),
        )
    )
    return {engine_id: message_id for engine_id, message_id in rows.all() if engine_id}


async def latest_inbound(
    db: AsyncSession, account_id: str, session_id: str, chat_id: str, limit: int
) -> list[tuple[str, str | None]]:
    """WhatsApp ids and senders (``content.from_id``) of the chat's latest received
    messages that carry an engine id, newest first."""
    rows = await db.execute(
        select(Message.engine_message_id, Message.content["from_id"].astext)
        .where(
            Message.account_id == account_id,
            Message.session_id == session_id,
            Message.chat_id == chat_id,
            Message.direction == "inbound",
            Message.engine_message_id.is_not(None),
        )
        .order_by(Message.id.desc())
        .limit(limit)
    )
    return [(str(engine_id), sender) for engine_id, sender in rows.all()]
