from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import WithJsonSchema

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.events import repository
from gateway.events.repository import EventFilter
from gateway.events.schemas import EventOut
from gateway.events.types import EventType
from gateway.kit.errors import ERROR_RESPONSES, InvalidRequest, NotFound
from gateway.kit.ids import is_valid_id
from gateway.kit.pagination import ListResponse, PageParams, page_of
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.models import Event

router = APIRouter(
    prefix="/events", tags=["Events"], route_class=TransactionalRoute, responses=ERROR_RESPONSES
)

Reader = Annotated[Principal, scoped("events", Access.read)]
EventId = Annotated[str, Path(description="The event's id (`evt_…`).", max_length=64)]

# Parsed by hand rather than as list[EventType], so that an unknown type names the
# parameter `type` (not `type[1]`) and the message lists the known ones; the document
# still shows the enum.
_TypeItem = Annotated[str, WithJsonSchema({"type": "string", "enum": [t.value for t in EventType]})]


def event_filter(
    types: Annotated[
        list[_TypeItem] | None,
        Query(
            alias="type",
            description="Only events of this type; repeat the parameter for any of several.",
        ),
    ] = None,
    session_id: Annotated[
        str | None, Query(max_length=64, description="Only events of this session (`ses_…`).")
    ] = None,
    created_gte: Annotated[
        datetime | None,
        Query(description="Only events created at or after this time (ISO 8601; UTC if bare)."),
    ] = None,
    created_lt: Annotated[
        datetime | None,
        Query(description="Only events created before this time (ISO 8601; UTC if bare)."),
    ] = None,
) -> EventFilter:
    known = {t.value: t for t in EventType}
    for value in types or ():
        if value not in known:
            raise InvalidRequest(
                f"Unknown event type '{value}'; expected one of: {', '.join(known)}.",
                param="type",
            )
    if session_id is not None and not is_valid_id(session_id, "ses"):
        raise InvalidRequest(f"Invalid session id '{session_id}'.", param="session_id")
    return EventFilter(
        types=tuple(dict.fromkeys(known[v] for v in types or ())),
        session_id=session_id,
        created_gte=_aware(created_gte),
        created_lt=_aware(created_lt),
    )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


FilterParams = Annotated[EventFilter, Depends(event_filter)]


def present(event: Event) -> EventOut:
    return EventOut.model_validate(event)


@router.get("", response_model=ListResponse[EventOut])
async def list_events(
    caller: Reader, db: DbSession, page: PageParams, wanted: FilterParams
) -> ListResponse[EventOut]:
    """The account's events, newest first. Poll with `ending_before` set to the newest
    event seen to get only what happened since. A poll never passes an event that
    commits late: an event is listed once no transaction that could still record one
    before it is running (normally milliseconds after it commits). A cursor is the id of
    an event the key can see."""
    rows = await repository.list_page(db, caller, wanted, page)
    if rows is None:
        cursor = "ending_before" if page.ending_before else "starting_after"
        raise InvalidRequest(
            f"No event '{page.ending_before or page.starting_after}' to page from.", param=cursor
        )
    items, has_more = page_of(rows, page)
    return ListResponse(data=[present(e) for e in items], has_more=has_more)


@router.get("/{event_id}", response_model=EventOut)
async def retrieve_event(event_id: EventId, caller: Reader, db: DbSession) -> EventOut:
    event = await repository.get(db, caller, event_id)
    if event is None:
        raise NotFound("event", event_id)
    return present(event)
