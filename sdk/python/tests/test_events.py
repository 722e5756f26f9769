"""Paging through events (sync and async), and events as typed payloads."""

from __future__ import annotations

import pytest
from live_gateway import LiveGateway
from support import CUSTOMER, message_in_status

from gateway_sdk import AsyncGateway, Gateway, UnknownEvent, parse_event
from gateway_sdk.models import EventOut, MessageStatusEvent, SessionStatusEvent, TextSend

PAGE = 5


@pytest.fixture(scope="module")
def session_with_events(gw: Gateway, session_id: str) -> str:
    """The shared session, with a few messages read: well over three pages of events."""
    sent = [
        gw.messages.send_message(
            session_id, body=TextSend(chat_id=CUSTOMER, type_="text", text=f"update {n}")
        )
        for n in range(3)
    ]
    for message in sent:
        message_in_status(gw, message.id, {"read"})
    return session_id


def test_paginate_walks_every_page_newest_first_and_back_from_a_cursor(
    gw: Gateway, session_with_events: str
) -> None:
    session_id = session_with_events
    first = gw.events.list_events(session_id=session_id, limit=PAGE)
    assert len(first.data) == PAGE
    assert first.has_more is True
    # Events may still arrive (the last messages are being read): paging from a cursor sees
    # only older ones, which no longer change.
    cursor = first.data[-1].id
    older = list(
        gw.paginate(gw.events.list_events, session_id=session_id, limit=PAGE, starting_after=cursor)
    )
    ids = [event.id for event in [*first.data, *older]]
    assert len(ids) > 3 * PAGE, f"only {len(ids)} events"
    assert len(set(ids)) == len(ids), "no event twice"
    types = {event.type_.value for event in older}
    assert {"session.status", "session.qr", "message.status"} <= types, types

    # From the start: the same events at the end (newer ones may lead).
    every = [e.id for e in gw.paginate(gw.events.list_events, session_id=session_id, limit=PAGE)]
    assert every[len(every) - len(ids) :] == ids

    # From the oldest back towards the newest: the same events, oldest first.
    backwards = [
        event.id
        for event in gw.paginate(
            gw.events.list_events, session_id=session_id, limit=PAGE, ending_before=ids[-1]
        )
    ]
    assert backwards[: len(ids) - 1] == list(reversed(ids[:-1]))

    # Leaving the loop early stops the paging.
    taken = 0
    for _event in gw.paginate(gw.events.list_events, session_id=session_id, limit=2):
        taken += 1
        if taken == 2:
            break
    assert taken == 2


def test_listed_events_parse_into_their_typed_payloads(
    gw: Gateway, session_with_events: str
) -> None:
    session_id = session_with_events
    events: list[EventOut] = list(gw.paginate(gw.events.list_events, session_id=session_id))
    typed = [parse_event(event) for event in events]
    statuses = [event for event in typed if isinstance(event, SessionStatusEvent)]
    assert any(event.data.status == "WORKING" for event in statuses)
    assert all(event.session is not None for event in statuses)
    for event, original in zip(typed, events, strict=True):
        assert not isinstance(event, UnknownEvent), event.type
        assert event.id == original.id
    message_statuses = [event for event in typed if isinstance(event, MessageStatusEvent)]
    for event in message_statuses:
        assert event.data.message.id.startswith("msg_")

    # A type this SDK does not know yet (a newer gateway's) is kept, not refused.
    future = {"id": "evt_x", "type": "payment.received", "created_at": "now", "data": {"n": 1}}
    unknown = parse_event(future)
    assert isinstance(unknown, UnknownEvent)
    assert unknown.type == "payment.received"
    assert unknown.data == {"n": 1}


@pytest.mark.anyio
async def test_the_async_client_paginates_too(live: LiveGateway, session_with_events: str) -> None:
    session_id = session_with_events
    async with AsyncGateway(api_key=live.api_key, base_url=live.base_url) as gw:
        first = await gw.events.list_events(session_id=session_id, limit=PAGE)
        cursor = first.data[-1].id
        older = [
            event.id
            async for event in gw.paginate(
                gw.events.list_events, session_id=session_id, limit=2, starting_after=cursor
            )
        ]
        assert len(older) > 2, "more than one page"
        assert len(set(older)) == len(older)
        assert cursor not in older
