"""The event log page: the key's events newest first, filtered and paged as the API does,
payloads shown escaped, and the live socket carrying every type to a key that reads
events."""

from __future__ import annotations

import asyncio
import html
import json
import re
from typing import Any

import httpx
import orjson
import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from gateway.config import Settings
from gateway.events.service import EVENTS_CHANNEL, SessionRef, publish
from gateway.events.types import EventType
from gateway.kit import channels
from tests.browser.conftest import serving_gateway
from tests.dashboard.conftest import signed_in
from tests.factories import TestAccount, create_account, create_api_key

MAIN = SessionRef("ses_01JA2B3C4D5E6F7G8H9J0KMNPQ", "main", {})
OTHER = SessionRef("ses_01JA2B3C4D5E6F7G8H9J0KMNPR", "other", {})
_ROW = re.compile(r'data-event="(evt_[0-9A-Za-z]+)"')


async def emit(
    sessionmaker: async_sessionmaker[AsyncSession],
    account_id: str,
    type_: EventType = EventType.message_received,
    session: SessionRef | None = MAIN,
    data: dict[str, Any] | None = None,
) -> str:
    async with sessionmaker() as db:
        event = await publish(
            db, account_id=account_id, type=type_, session=session, data=data or {"n": 1}
        )
        await db.commit()
    return event.id


def rows(page: str) -> list[str]:
    return _ROW.findall(page)


async def test_newest_first_filtered_by_type_and_session_and_paged(
    web: httpx.AsyncClient, account: TestAccount, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    received = [await emit(sessionmaker, account.id) for _ in range(28)]
    status = await emit(sessionmaker, account.id, EventType.session_status)
    elsewhere = await emit(sessionmaker, account.id, session=OTHER)
    await signed_in(web, account.key)

    first = await web.get("/dashboard/events")
    assert first.status_code == 200
    shown = rows(first.text)
    assert shown == [elsewhere, status, *reversed(received)][:25]
    assert '<label for="filter-type">' in first.text

    by_type = await web.get("/dashboard/events", params={"type": "session.status"})
    assert rows(by_type.text) == [status]
    assert '<option value="session.status" selected>' in by_type.text

    by_session = await web.get("/dashboard/events", params={"session_id": OTHER.id})
    assert rows(by_session.text) == [elsewhere]

    # The next page keeps the filters: 28 of this type in this session, 25 then 3.
    wanted = {"type": "message.received", "session_id": MAIN.id}
    page_one = await web.get("/dashboard/events", params=wanted)
    assert rows(page_one.text) == list(reversed(received))[:25]
    older = re.search(r'href="(/dashboard/events\?[^"]+)">Older events', page_one.text)
    assert older is not None
    page_two = await web.get(html.unescape(older[1]))
    assert rows(page_two.text) == list(reversed(received))[25:]
    assert "Older events" not in page_two.text


async def test_payloads_are_shown_escaped_and_other_accounts_events_never(
    web: httpx.AsyncClient, account: TestAccount, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mine = await emit(sessionmaker, account.id, data={"text": "<script>alert(1)</script>"})
    other = await create_account(sessionmaker, name="Other")
    theirs = await emit(sessionmaker, other.id)
    await signed_in(web, account.key)

    page = await web.get("/dashboard/events")
    assert rows(page.text) == [mine]
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert theirs not in page.text

    # Their event as a cursor is no event of this key's: a page saying so, not theirs.
    cursor = await web.get("/dashboard/events", params={"after": theirs})
    assert cursor.status_code == 404
    assert "Not found" in cursor.text
    assert theirs in cursor.text  # only named as the missing one
    assert "&#34;n&#34;" not in cursor.text


async def test_the_state_the_script_catches_up_from_is_filtered_like_the_page(
    web: httpx.AsyncClient, account: TestAccount, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    status = await emit(sessionmaker, account.id, EventType.session_status)
    received = await emit(sessionmaker, account.id)
    other = await create_account(sessionmaker, name="Other")
    await emit(sessionmaker, other.id)
    await signed_in(web, account.key)

    everything = await web.get("/dashboard/events/state")
    assert everything.headers["content-type"] == "application/json"
    assert [e["id"] for e in everything.json()["events"]] == [received, status]
    assert everything.json()["events"][0]["data"] == {"n": 1}
    by_type = await web.get("/dashboard/events/state", params={"type": "session.status"})
    assert [e["id"] for e in by_type.json()["events"]] == [status]
    elsewhere = await web.get("/dashboard/events/state", params={"session_id": OTHER.id})
    assert elsewhere.json()["events"] == []


async def test_bad_filters_are_explained_not_a_500(
    web: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    for params, words in (
        ({"type": "no.such"}, "Unknown event type &#39;no.such&#39;"),
        ({"session_id": "nope"}, "Invalid session id &#39;nope&#39;"),
        ({"after": "msg_01JA2B3C4D5E6F7G8H9J0KMNPQ"}, "Invalid cursor"),
        # Refused by the app's input guard before any page sees it, as for the API.
        ({"session_id": "ses_\x00"}, "must not contain NUL characters"),
    ):
        response = await web.get("/dashboard/events", params=params)
        assert response.status_code == 422, (params, response.text)
        assert words in response.text


async def test_a_key_without_events_read_cannot_see_the_log(
    web: httpx.AsyncClient, account: TestAccount, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await emit(sessionmaker, account.id)
    sessions_only = await create_api_key(sessionmaker, account.id, scopes={"sessions": "write"})
    await signed_in(web, sessions_only.key)
    for path in ("/dashboard/events", "/dashboard/events/state"):
        response = await web.get(path)
        assert response.status_code == 403
        assert "does not have the &#39;events: read&#39; scope" in response.text
        assert "evt_" not in response.text


async def announce(redis: Redis, account_id: str, type_: str) -> None:
    """What a committed event's announcement looks like on the events channel."""
    event = {
        "id": "evt_01JA2B3C4D5E6F7G8H9J0KMNPQ",
        "object": "event",
        "type": type_,
        "livemode": False,
        "session": None,
        "data": {},
    }
    message = orjson.dumps({"account_id": account_id, "event": event})
    await redis.publish(channels.scoped(redis, EVENTS_CHANNEL), message)


async def _drain(ws: ClientConnection) -> None:
    while True:
        await asyncio.wait_for(ws.recv(), 5)


async def _cookie(url: str, key: str) -> str:
    async with httpx.AsyncClient(base_url=url) as web:
        await signed_in(web, key)
        return f"gw_dashboard={web.cookies['gw_dashboard']}"


async def test_the_log_socket_carries_every_type_only_to_a_key_that_reads_events(
    settings: Settings,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
) -> None:
    fast = settings.model_copy(update={"stream_heartbeat_seconds": 0.3})
    no_events = await create_api_key(sessionmaker, account.id, scopes={"sessions": "read"})
    async with serving_gateway(fast) as url:
        ws_url = url.replace("http:", "ws:") + "/dashboard/stream?page=events"
        headers = {"Cookie": await _cookie(url, account.key), "Origin": url}
        async with connect(ws_url, additional_headers=headers) as ws:
            assert json.loads(await asyncio.wait_for(ws.recv(), 5)) == {"object": "ready"}
            # Not a type the sessions pages show: only the event log asks for it.
            await announce(redis, account.id, "group.joined")
            for _ in range(20):
                message = json.loads(await asyncio.wait_for(ws.recv(), 5))
                if message.get("object") != "heartbeat":
                    break
            assert message["object"] == "event"
            assert message["type"] == "group.joined"

        refused = {"Cookie": await _cookie(url, no_events.key), "Origin": url}
        async with connect(ws_url, additional_headers=refused) as ws:
            with pytest.raises(ConnectionClosed) as closed:
                await _drain(ws)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1008
