"""Reading the event log. Every query starts from what the calling key may see.

Lists are ordered by position, not id, and never pass an event that commits late. An
event's position, (``xid``, ``seq``), is its transaction's id and insertion order; its id
is made before the INSERT, and a transaction that took an early id or xid may still
commit after later ones. So a list shows only events below the *frontier*: the oldest
transaction still running (of this database), taken from the same snapshot the statement
reads with. Everything below it has finished, so no event can appear below a position a
poller has already passed; a long transaction holds the frontier back only while it runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, ScalarSelect, Select, column, select, text, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from gateway.auth.principal import Principal
from gateway.events.types import EventType
from gateway.kit.pagination import Page
from gateway.models import Event
from gateway.models.event import TransactionId


@dataclass(frozen=True)
class EventFilter:
    """What a caller asked for; empty means everything it may see."""

    types: tuple[EventType, ...] = ()
    session_id: str | None = None
    created_gte: datetime | None = None
    created_lt: datetime | None = None


# The snapshot's oldest running transaction, or its xmax when none runs: every xid below
# it has committed (and is visible to this statement) or rolled back. pg_snapshot_xmin
# would do, but counts transactions of every database on the server; one that runs in
# another database (pg_stat_activity says where, to a role allowed to read it) cannot
# write our events, so it is skipped. An xid whose backend is not listed (finished since
# the snapshot, or hidden from this role) still counts: unknown means running.
_FRONTIER: ScalarSelect[int] = (
    text(
        """
        SELECT coalesce(
            (SELECT min(running.xid) FROM pg_snapshot_xip(snapshot.s) AS running(xid)
             WHERE running.xid::xid NOT IN (
                SELECT backend_xid FROM pg_stat_activity
                WHERE backend_xid IS NOT NULL
                  AND datid <> (SELECT oid FROM pg_database WHERE datname = current_database())
             )),
            pg_snapshot_xmax(snapshot.s)
        ) AS xid
        FROM (SELECT pg_current_snapshot() AS s) AS snapshot
        """
    )
    .columns(column("xid", TransactionId()))
    .scalar_subquery()
)


def _visible_to(caller: Principal) -> list[ColumnElement[bool]]:
    # Test-mode keys reach only sandbox sessions, so they see only their events; a key
    # restricted to one session sees nothing of the others (nor account-level events).
    where = [Event.account_id == caller.account_id]
    if caller.is_test:
        where.append(Event.livemode.is_(False))
    if caller.session_id is not None:
        where.append(Event.session_id == caller.session_id)
    return where


async def get(db: AsyncSession, caller: Principal, event_id: str) -> Event | None:
    # No frontier here: an event named by id (from a webhook or the stream) is shown as
    # soon as it has committed.
    return await db.scalar(select(Event).where(*_visible_to(caller), Event.id == event_id))


def _matching(caller: Principal, wanted: EventFilter) -> Select[Event]:
    # The indexes on (account_id, xid, seq), (account_id, type, xid, seq) and
    # (account_id, session_id, xid, seq) serve the account-wide, per-type and
    # per-session lists.
    stmt = select(Event).where(*_visible_to(caller), Event.xid < _FRONTIER)
    if wanted.types:
        stmt = stmt.where(Event.type.in_([t.value for t in wanted.types]))
    if wanted.session_id is not None:
        stmt = stmt.where(Event.session_id == wanted.session_id)
    if wanted.created_gte is not None:
        stmt = stmt.where(Event.created_at >= wanted.created_gte)
    if wanted.created_lt is not None:
        stmt = stmt.where(Event.created_at < wanted.created_lt)
    return stmt


async def list_page(
    db: AsyncSession, caller: Principal, wanted: EventFilter, page: Page
) -> Sequence[Event] | None:
    """A page of the events ``caller`` may see that match ``wanted``, by position
    (newest first, or oldest first after ``ending_before``, as ``page_of`` expects), one
    more than the limit to tell ``has_more``. ``None`` when the cursor names no event the
    caller may see. The cursor is resolved to its position in the same statement."""
    stmt = _matching(caller, wanted)
    newer = page.ending_before is not None
    cursor = page.ending_before or page.starting_after
    position = tuple_(Event.xid, Event.seq)
    if cursor is None:
        ordered = stmt.order_by(Event.xid.desc(), Event.seq.desc()).limit(page.limit + 1)
        return (await db.scalars(ordered)).all()

    anchor = (
        select(Event.xid, Event.seq)
        .where(*_visible_to(caller), Event.id == cursor)
        .subquery("anchor")
    )
    at_anchor = tuple_(anchor.c.xid, anchor.c.seq)
    if newer:
        stmt = stmt.where(position > at_anchor).order_by(Event.xid.asc(), Event.seq.asc())
    else:
        stmt = stmt.where(position < at_anchor).order_by(Event.xid.desc(), Event.seq.desc())
    rows = stmt.limit(page.limit + 1).lateral("rows")
    listed = aliased(Event, rows)
    # The anchor drives the join, so a known cursor with nothing beyond it still answers
    # one row (with no event), and an unknown one answers none.
    paged = (
        select(anchor.c.seq, listed)
        .select_from(anchor)
        .outerjoin(rows, true())
        .order_by(
            *(
                (rows.c.xid.asc(), rows.c.seq.asc())
                if newer
                else (rows.c.xid.desc(), rows.c.seq.desc())
            )
        )
    )
    result = (await db.execute(paged)).all()
    if not result:
        return None
    return [event for _, event in result if event is not None]
