"""The event log page: the account's events, newest first, filtered by type and session, new
ones added live. It reads through the API's own query (``events/repository.py``), so a key
sees here exactly what ``GET /v1/events`` would show it."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from gateway.dashboard.auth import Visitor, reading
from gateway.dashboard.forms import page_after
from gateway.dashboard.pages import DashboardRoute, render
from gateway.events import repository
from gateway.events.endpoints import present
from gateway.events.repository import EventFilter
from gateway.events.types import EventType
from gateway.kit.errors import InvalidRequest, NotFound
from gateway.kit.ids import is_valid_id
from gateway.kit.pagination import Page, page_of
from gateway.kit.routing import DbSession
from gateway.models import Event

router = APIRouter(route_class=DashboardRoute)

EventsReader = Annotated[Visitor, Depends(reading("events"))]
EVENT_TYPES = [t.value for t in EventType]


def _wanted(event_type: str, session_id: str) -> EventFilter:
    if event_type and event_type not in EVENT_TYPES:
        raise InvalidRequest(f"Unknown event type '{event_type[:60]}'.", param="type")
    if session_id and not is_valid_id(session_id, "ses"):
        raise InvalidRequest(f"Invalid session id '{session_id[:64]}'.", param="session_id")
    return EventFilter(
        types=(EventType(event_type),) if event_type else (), session_id=session_id or None
    )


def _event_view(event: Event) -> dict[str, Any]:
    out = present(event)
    return {
        "id": out.id,
        "type": out.type.value,
        "created_at": out.created_at,
        "session": out.session,
        # The event as the API answers it; autoescaped where the page shows it.
        "json": orjson.dumps(out.model_dump(mode="json"), option=orjson.OPT_INDENT_2).decode(),
    }


async def _newest(
    db: AsyncSession, visitor: Visitor, wanted: EventFilter, after: str | None
) -> tuple[list[Event], bool, Page]:
    page = page_after(after or None, "evt")
    rows = await repository.list_page(db, visitor.principal, wanted, page)
    if rows is None:
        raise NotFound("event", page.starting_after or "")
    events, has_more = page_of(rows, page)
    return events, has_more, page


@router.get("/events")
async def events_page(
    request: Request,
    visitor: EventsReader,
    db: DbSession,
    event_type: Annotated[str, Query(alias="type", max_length=64)] = "",
    session_id: Annotated[str, Query(max_length=64)] = "",
    after: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    wanted = _wanted(event_type.strip(), session_id.strip())
    events, has_more, page = await _newest(db, visitor, wanted, after)
    return render(
        request,
        "events.html",
        events=[_event_view(e) for e in events],
        next_cursor=events[-1].id if has_more and events else None,
        event_types=EVENT_TYPES,
        filters={
            "type": wanted.types[0].value if wanted.types else "",
            "session_id": wanted.session_id or "",
        },
        newest=page.starting_after is None,
        live="events",
    )


@router.get("/events/state")
async def events_state(
    visitor: EventsReader,
    db: DbSession,
    event_type: Annotated[str, Query(alias="type", max_length=64)] = "",
    session_id: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """The newest events as they are now, for the page's script to add those that
    happened after the page was rendered and before its event socket was open."""
    events, _, _ = await _newest(db, visitor, _wanted(event_type.strip(), session_id.strip()), None)
    body = {"events": [present(e).model_dump(mode="json") for e in events]}
    return Response(
        orjson.dumps(body), media_type="application/json", headers={"Cache-Control": "no-store"}
    )
