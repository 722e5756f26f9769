"""All SQL of messages: the API's reads and writes, and the delivery queries of hosts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.pagination import Page, paginate
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


async def claim_next_due(db: AsyncSession, session_id: str, host_id: str) -> Message | None:
    """The session's next outbound message that is due, locked, if this host holds the
    session's lease. Oldest due first, so a session's messages go out in order."""
    held = exists().where(
        SessionLease.session_id == session_id,
        SessionLease.host_id == host_id,
        SessionLease.expires_at > func.now(),
    )
    return await db.scalar(
        select(Message)
        .where(
            Message.session_id == session_id,
            Message.status.in_(PENDING),
            Message.next_attempt_at <= func.now(),
            held,
        )
        .order_by(Message.next_attempt_at, Message.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


async def next_due_at(db: AsyncSession, session_id: str) -> datetime | None:
    """When the session's earliest pending message falls due."""
    return await db.scalar(
        select(func.min(Message.next_attempt_at)).where(
            Message.session_id == session_id, Message.status.in_(PENDING)
        )
    )


async def by_engine_id(
    db: AsyncSession, session_id: str, engine_message_id: str, *, lock: bool = False
) -> Message | None:
    stmt = select(Message).where(
        Message.session_id == session_id, Message.engine_message_id == engine_message_id
    )
    if lock:
        stmt = stmt.with_for_update()
    return await db.scalar(stmt)


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
        .where(Message.status.in_(PENDING), Message.next_attempt_at <= func.now())
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
