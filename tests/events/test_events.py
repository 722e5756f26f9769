from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.events.service import SessionRef, publish
from gateway.events.types import EventType
from gateway.kit.ids import new_id
from tests.factories import create_account, create_api_key


async def create_event(
    sessionmaker: async_sessionmaker[AsyncSession],
    account_id: str,
    type: EventType = EventType.session_status,
    *,
    session: SessionRef | None = None,
    data: dict[str, Any] | None = None,
    livemode: bool = False,
    created_at: datetime | None = None,
) -> str:
    async with sessionmaker() as db:
        event = await publish(
            db,
            account_id=account_id,
            type=type,
            session=session,
            data=data if data is not None else {"status": "STARTING"},
            livemode=livemode,
        )
        if created_at is not None:
            event.created_at = created_at
        await db.commit()
    return event.id


def a_session(name: str = "support") -> SessionRef:
    return SessionRef(id=new_id("ses"), name=name, metadata={"team": name})


async def listed_ids(
    client: httpx.AsyncClient, headers: dict[str, str], params: Any = None
) -> list[str]:
    response = await client.get("/v1/events", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return [event["id"] for event in response.json()["data"]]


async def test_retrieve_shows_the_event_object(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    session = a_session()
    data = {"status": "WORKING", "previous_status": "SCAN_QR_CODE", "reason": None, "me": None}
    event_id = await create_event(sessionmaker, account.id, session=session, data=data)

    response = await client.get(f"/v1/events/{event_id}", headers=account.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert datetime.fromisoformat(body.pop("created_at")).tzinfo is not None
    assert body == {
        "id": event_id,
        "object": "event",
        "type": "session.status",
        "livemode": False,
        "session": {"id": session.id, "name": "support", "metadata": {"team": "support"}},
        "data": data,
    }
    assert event_id.startswith("evt_")


async def test_account_level_events_have_no_session(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    event_id = await create_event(
        sessionmaker, account.id, EventType.webhook_test, data={"message": "hello"}
    )
    body = (await client.get(f"/v1/events/{event_id}", headers=account.headers)).json()
    assert body["session"] is None
    assert body["data"] == {"message": "hello"}


async def test_list_pages_newest_first_without_gaps_or_duplicates(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    published = [await create_event(sessionmaker, account.id) for _ in range(25)]

    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"limit": 10, **({"starting_after": cursor} if cursor else {})}
        page = (await client.get("/v1/events", headers=account.headers, params=params)).json()
        assert page["object"] == "list"
        seen += [event["id"] for event in page["data"]]
        pages += 1
        if not page["has_more"]:
            break
        cursor = page["data"][-1]["id"]

    assert pages == 3
    assert seen == published[::-1]

    # Polling: everything after the newest event seen, and nothing else.
    newer = [await create_event(sessionmaker, account.id) for _ in range(2)]
    polled = await client.get(
        "/v1/events", headers=account.headers, params={"ending_before": seen[0]}
    )
    assert [event["id"] for event in polled.json()["data"]] == newer[::-1]
    assert polled.json()["has_more"] is False


async def test_filter_by_one_type_or_several(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    status = await create_event(sessionmaker, account.id, EventType.session_status)
    qr = await create_event(
        sessionmaker,
        account.id,
        EventType.session_qr,
        data={"qr": "2@abc", "expires_at": "2025-01-15T09:30:20Z"},
    )
    await create_event(sessionmaker, account.id, EventType.webhook_test, data={"message": "hi"})

    assert await listed_ids(client, account.headers, {"type": "session.qr"}) == [qr]
    assert await listed_ids(
        client, account.headers, [("type", "session.status"), ("type", "session.qr")]
    ) == [qr, status]
    assert await listed_ids(client, account.headers, {"type": "message.received"}) == []


async def test_filter_by_session(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    support, sales = a_session("support"), a_session("sales")
    first = await create_event(sessionmaker, account.id, session=support)
    await create_event(sessionmaker, account.id, session=sales)
    second = await create_event(sessionmaker, account.id, session=support)
    await create_event(sessionmaker, account.id, EventType.webhook_test, data={"message": "hi"})

    ids = await listed_ids(client, account.headers, {"session_id": support.id})
    assert ids == [second, first]
    both = await listed_ids(
        client, account.headers, {"session_id": support.id, "type": "session.qr"}
    )
    assert both == []


async def test_filter_by_creation_time(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    ids = [
        await create_event(sessionmaker, account.id, created_at=datetime(2025, 1, day, tzinfo=UTC))
        for day in (1, 2, 3)
    ]
    window = {"created_gte": "2025-01-02T00:00:00Z", "created_lt": "2025-01-03T00:00:00Z"}
    assert await listed_ids(client, account.headers, window) == [ids[1]]
    # A bare time is UTC.
    assert await listed_ids(client, account.headers, {"created_gte": "2025-01-02T00:00:00"}) == [
        ids[2],
        ids[1],
    ]


async def test_bad_filters_name_the_parameter(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    for params, param in (
        ({"type": "session.exploded"}, "type"),
        ([("type", "session.status"), ("type", "nope")], "type"),
        ({"session_id": "support"}, "session_id"),
        ({"session_id": new_id("key")}, "session_id"),
        ({"created_gte": "yesterday"}, "created_gte"),
    ):
        response = await client.get("/v1/events", headers=account.headers, params=params)
        assert response.status_code == 422, params
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error"
        assert error["param"] == param
    unknown = await client.get(
        "/v1/events", headers=account.headers, params={"type": "session.exploded"}
    )
    assert "session.status" in unknown.json()["error"]["message"]


async def test_other_accounts_events_look_missing(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mine = await create_account(sessionmaker, name="mine")
    theirs = await create_account(sessionmaker, name="theirs")
    my_event = await create_event(sessionmaker, mine.id)
    their_event = await create_event(sessionmaker, theirs.id)

    response = await client.get(f"/v1/events/{their_event}", headers=mine.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "resource_missing"
    assert their_event in response.json()["error"]["message"]
    assert await listed_ids(client, mine.headers) == [my_event]
    still = await client.get(f"/v1/events/{their_event}", headers=theirs.headers)
    assert still.status_code == 200


async def test_unknown_event_id_is_404(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    for event_id in (new_id("evt"), "evt_nope"):
        response = await client.get(f"/v1/events/{event_id}", headers=account.headers)
        assert response.status_code == 404
        assert response.json()["error"]["param"] == "id"


async def test_test_mode_keys_see_only_sandbox_events(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    live = await create_account(sessionmaker, mode=KeyMode.live)
    test = await create_api_key(sessionmaker, live.id, mode=KeyMode.test)
    sandbox_event = await create_event(sessionmaker, live.id, livemode=False)
    live_event = await create_event(sessionmaker, live.id, livemode=True)

    assert await listed_ids(client, test.headers) == [sandbox_event]
    assert (await client.get(f"/v1/events/{live_event}", headers=test.headers)).status_code == 404
    assert await listed_ids(client, live.headers) == [live_event, sandbox_event]
    retrieved = await client.get(f"/v1/events/{live_event}", headers=live.headers)
    assert retrieved.json()["livemode"] is True


async def test_session_restricted_keys_see_only_their_sessions_events(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    support, sales = a_session("support"), a_session("sales")
    restricted = await create_api_key(sessionmaker, account.id, session_id=support.id)
    own = await create_event(sessionmaker, account.id, session=support)
    other = await create_event(sessionmaker, account.id, session=sales)
    await create_event(sessionmaker, account.id, EventType.webhook_test, data={"message": "hi"})

    assert await listed_ids(client, restricted.headers) == [own]
    assert await listed_ids(client, restricted.headers, {"session_id": sales.id}) == []
    assert (await client.get(f"/v1/events/{other}", headers=restricted.headers)).status_code == 404
    assert len(await listed_ids(client, account.headers)) == 3


async def test_events_need_the_events_scope(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    event_id = await create_event(sessionmaker, account.id)
    no_events = await create_api_key(sessionmaker, account.id, scopes={"sessions": "write"})
    reader = await create_api_key(sessionmaker, account.id, scopes={"events": "read"})

    for path in ("/v1/events", f"/v1/events/{event_id}"):
        denied = await client.get(path, headers=no_events.headers)
        assert denied.status_code == 403
        assert denied.json()["error"]["type"] == "permission_error"
        assert "events: read" in denied.json()["error"]["message"]
        assert (await client.get(path, headers=reader.headers)).status_code == 200
