"""Publishing events: every event is a row first, written in the caller's transaction.

After the commit a notification goes out on Redis (for the live stream); webhook fan-out
adds its delivery rows here, in the same transaction as the event.

An engine notification (a group change, a presence, a call) carries the engine's key of
it (``publish_once``): reported again, after a host crashed between reporting it and
acknowledging it to its engine, it inserts nothing, so it is delivered and announced once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, cast

import orjson
from sqlalchemy import Table, insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.events.schemas import EventOut
from gateway.events.types import EventType
from gateway.kit.aftercommit import publish_after_commit
from gateway.kit.ids import new_id
from gateway.kit.time import utcnow
from gateway.models import Event, Session
from gateway.webhooks.fanout import fan_out

# Every committed event is announced here as {"account_id", "event": <the event object>}.
EVENTS_CHANNEL = "gateway:events"


@dataclass(frozen=True)
class SessionRef:
    """The session as events show it: a snapshot, since events outlive sessions."""

    id: str
    name: str
    metadata: dict[str, Any] = field(default_factory=dict)


async def publish(
    db: AsyncSession,
    *,
    account_id: str,
    type: EventType,
    session: SessionRef | None,
    data: dict[str, Any],
    livemode: bool = False,
    fan_out_to: list[str] | None = None,
) -> Event:
    """Record an event in the current transaction; it is announced once that commits.
    ``livemode`` is false for sandbox sessions' events. ``fan_out_to`` names the webhook
    endpoints to deliver to (default: every matching one)."""
    event = Event(
        id=new_id("evt"),
        account_id=account_id,
        type=type.value,
        livemode=livemode,
        session_id=session.id if session else None,
        session=asdict(session) if session else None,
        data=data,
        created_at=utcnow(),
    )
    db.add(event)
    await db.flush()
    await fan_out(db, [event], endpoint_ids=fan_out_to)
    _announce_after_commit(db, event)
    return event


_events = cast(Table, Event.__table__)
_INSERT_EVENTS = insert(_events).returning(_events.c.id)


@dataclass(frozen=True)
class NewEvent:
    """An event to record with ``publish_many``: what ``publish`` takes, as one value."""

    account_id: str
    type: EventType
    session: SessionRef | None
    data: dict[str, Any]
    livemode: bool = False


async def publish_many(
    db: AsyncSession, new: Sequence[NewEvent], *, at: datetime | None = None
) -> list[Event]:
    """Record several events in the current transaction with one multi-row insert, in the
    order given (their order in the event log); each is announced once that commits, and
    fanned out to every matching webhook endpoint, as ``publish`` does one."""
    if not new:
        return []
    now = at or utcnow()
    events = [
        Event(
            id=new_id("evt"),
            account_id=item.account_id,
            type=item.type.value,
            livemode=item.livemode,
            session_id=item.session.id if item.session else None,
            session=asdict(item.session) if item.session else None,
            data=item.data,
            created_at=now,
        )
        for item in new
    ]
    # One INSERT … VALUES (…), (…): Core's "insert many values" renders the rows into one
    # statement (it does so for an INSERT with RETURNING), compiled once and cached. The
    # objects above are never added to the session; they carry the values to fan-out and
    # to the announcement.
    await db.execute(
        _INSERT_EVENTS,
        [
            {
                "id": e.id,
                "account_id": e.account_id,
                "type": e.type,
                "livemode": e.livemode,
                "session_id": e.session_id,
                "session": e.session,
                "data": e.data,
                "created_at": e.created_at,
            }
            for e in events
        ],
    )
    await fan_out(db, events)
    for event in events:
        _announce_after_commit(db, event)
    return events


_INSERT_ONCE = (
    pg_insert(_events)
    .on_conflict_do_nothing(
        index_elements=[_events.c.session_id, _events.c.dedupe_key],
        index_where=_events.c.dedupe_key.isnot(None),
    )
    .returning(_events.c.id)
)


async def publish_once(
    db: AsyncSession,
    session: Session,
    type: EventType,
    data: dict[str, Any],
    *,
    dedupe_key: str | None,
) -> Event | None:
    """``publish_about`` for an engine notification: the event is recorded, fanned out to
    the webhook endpoints and announced only if no event of the session carries
    ``dedupe_key`` yet; returns None for a notification already published. A concurrent
    publisher of the same key makes this one wait for its commit, then find it.
    ``dedupe_key=None`` (an engine that has no key for the notification) always publishes."""
    if dedupe_key is None:
        return await publish_about(db, session, type, data)
    event = Event(
        id=new_id("evt"),
        account_id=session.account_id,
        type=type.value,
        livemode=session.engine != "sandbox",
        session_id=session.id,
        session=asdict(session_ref(session)),
        data=data,
        dedupe_key=dedupe_key,
        created_at=utcnow(),
    )
    inserted = await db.scalar(
        _INSERT_ONCE,
        {
            "id": event.id,
            "account_id": event.account_id,
            "type": event.type,
            "livemode": event.livemode,
            "session_id": event.session_id,
            "session": event.session,
            "data": event.data,
            "dedupe_key": dedupe_key,
            "created_at": event.created_at,
        },
    )
    if inserted is None:  # reported before: that event was delivered, this one is not
        return None
    await fan_out(db, [event])
    _announce_after_commit(db, event)
    return event


def _announce_after_commit(db: AsyncSession, event: Event) -> None:
    # The whole event travels, so live streams need no database read per event.
    publish_after_commit(
        db,
        EVENTS_CHANNEL,
        orjson.dumps(
            {
                "account_id": event.account_id,
                "event": EventOut.model_validate(event).model_dump(mode="json"),
            }
        ).decode(),
    )


def session_ref(session: Session) -> SessionRef:
    """The snapshot of ``session`` that its events carry."""
    return SessionRef(session.id, session.name, dict(session.meta))


async def publish_about(
    db: AsyncSession,
    session: Session,
    type: EventType,
    data: dict[str, Any],
) -> Event:
    """Record an event about ``session``: its snapshot and livemode come from the row."""
    return await publish(
        db,
        account_id=session.account_id,
        type=type,
        session=session_ref(session),
        data=data,
        livemode=session.engine != "sandbox",
    )
