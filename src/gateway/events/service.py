"""Publishing events: every event is a row first, written in the caller's transaction.

After the commit a notification goes out on Redis (for the live stream); webhook fan-out
will add its delivery rows here, in the same transaction as the event.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import orjson
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
    await fan_out(db, event, endpoint_ids=fan_out_to)
    # The whole event travels, so live streams need no database read per event.
    publish_after_commit(
        db,
        EVENTS_CHANNEL,
        orjson.dumps(
            {
                "account_id": account_id,
                "event": EventOut.model_validate(event).model_dump(mode="json"),
            }
        ).decode(),
    )
    return event


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
        session=SessionRef(session.id, session.name, dict(session.meta)),
        data=data,
        livemode=session.engine != "sandbox",
    )
