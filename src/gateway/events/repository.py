"""Reading the event log. Every query starts from what the calling key may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.principal import Principal
from gateway.events.types import EventType
from gateway.kit.pagination import Page, paginate
from gateway.models import Event


@dataclass(frozen=True)
class EventFilter:
    """What a caller asked for; empty means everything it may see."""

    types: tuple[EventType, ...] = ()
    session_id: str | None = None
    created_gte: datetime | None = None
    created_lt: datetime | None = None


def _visible(caller: Principal) -> Select[Event]:
    # Test-mode keys reach only sandbox sessions, so they see only their events; a key
    # restricted to one session sees nothing of the others (nor account-level events).
    stmt = select(Event).where(Event.account_id == caller.account_id)
    if caller.is_test:
        stmt = stmt.where(Event.livemode.is_(False))
    if caller.session_id is not None:
        stmt = stmt.where(Event.session_id == caller.session_id)
    return stmt


async def get(db: AsyncSession, caller: Principal, event_id: str) -> Event | None:
    return await db.scalar(_visible(caller).where(Event.id == event_id))


async def list_page(
    db: AsyncSession, caller: Principal, wanted: EventFilter, page: Page
) -> Sequence[Event]:
    """A page of the events ``caller`` may see that match ``wanted``, by id; the indexes
    on (account_id, id), (account_id, type, id) and (account_id, session_id, id) serve
    the account-wide, per-type and per-session lists."""
    stmt = _visible(caller)
    if wanted.types:
        stmt = stmt.where(Event.type.in_([t.value for t in wanted.types]))
    if wanted.session_id is not None:
        stmt = stmt.where(Event.session_id == wanted.session_id)
    if wanted.created_gte is not None:
        stmt = stmt.where(Event.created_at >= wanted.created_gte)
    if wanted.created_lt is not None:
        stmt = stmt.where(Event.created_at < wanted.created_lt)
    return (await db.scalars(paginate(stmt, Event.id, page))).all()
