"""The poll cursor of ``GET /v1/events`` never passes an event that commits late.

Publishers here are real transactions held open on their own connections, committed in
the order each test chooses; the poller is a client of the API that remembers the newest
event it saw and asks for what came after it, as the README tells receivers to.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.db import create_engine, create_sessionmaker
from gateway.events.service import publish
from gateway.events.types import EventType
from gateway.kit.ids import new_id
from tests.factories import create_account, create_api_key
from tests.waiting import eventually

PUBLISHERS = 8


class Poller:
    """A receiver behind a firewall: polls with ``ending_before`` set to the newest event
    it has seen, handles each page oldest first, and goes on while ``has_more``."""

    def __init__(
        self, client: httpx.AsyncClient, headers: dict[str, str], after: str, limit: int = 100
    ) -> None:
        self.client, self.headers, self.cursor, self.limit = client, headers, after, limit
        self.seen: list[str] = []

    async def poll(self) -> list[str]:
        """What this poll brought, oldest first."""
        new: list[str] = []
        while True:
            response = await self.client.get(
                "/v1/events",
                headers=self.headers,
                params={"ending_before": self.cursor, "limit": self.limit},
            )
            assert response.status_code == 200, response.text
            page = response.json()
            ids = [event["id"] for event in reversed(page["data"])]
            new += ids
            if ids:
                self.cursor = ids[-1]
            if not page["has_more"]:
                break
        self.seen += new
        return new

    async def everything(self) -> list[str]:
        await self.poll()
        return self.seen


async def publish_in(db: AsyncSession, account_id: str) -> str:
    """Publish an event in ``db``'s open transaction; it is not committed."""
    event = await publish(
        db,
        account_id=account_id,
        type=EventType.session_status,
        session=None,
        data={"status": "STARTING"},
    )
    return event.id


async def committed_event(sessionmaker: async_sessionmaker[AsyncSession], account_id: str) -> str:
    async with sessionmaker() as db:
        event_id = await publish_in(db, account_id)
        await db.commit()
    return event_id


@pytest.fixture
async def publishers(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions enough for every publisher to hold its own transaction open at once."""
    engine = create_engine(database_url, pool_size=PUBLISHERS)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def test_a_poll_waits_for_an_earlier_transaction_instead_of_passing_it(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    poller = Poller(client, account.headers, after=await committed_event(sessionmaker, account.id))

    async with sessionmaker() as a, sessionmaker() as b:
        late = await publish_in(a, account.id)  # A publishes first and stays open
        early = await publish_in(b, account.id)
        await b.commit()

        # B has committed, but listing it would move the poller's cursor past A's event.
        assert await poller.poll() == []
        retrieved = await client.get(f"/v1/events/{early}", headers=account.headers)
        assert retrieved.status_code == 200  # by id it is there at once

        await a.commit()

    seen = await eventually(poller.everything, lambda seen: len(seen) >= 2)
    assert seen == [late, early]
    assert await poller.poll() == []


async def test_a_rolled_back_transaction_stops_holding_the_poll_back(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    poller = Poller(client, account.headers, after=await committed_event(sessionmaker, account.id))

    async with sessionmaker() as a, sessionmaker() as b:
        await publish_in(a, account.id)
        kept = await publish_in(b, account.id)
        await b.commit()
        assert await poller.poll() == []
        await a.rollback()

    assert await eventually(poller.everything, lambda seen: len(seen) >= 1) == [kept]


@pytest.mark.parametrize("seed", range(4))
async def test_a_poller_following_many_publishers_sees_every_committed_event_once(
    seed: int,
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    publishers: async_sessionmaker[AsyncSession],
) -> None:
    rng = random.Random(seed)
    account = await create_account(sessionmaker)
    # Small pages, so polls also page through has_more.
    poller = Poller(
        client, account.headers, after=await committed_event(sessionmaker, account.id), limit=2
    )

    # Each publisher opens, publishes one to three events, then commits or (one in five)
    # rolls back; the steps of all publishers interleave at random, with polls between.
    sessions = [publishers() for _ in range(PUBLISHERS)]
    steps = {i: ["open", *["publish"] * rng.randint(1, 3), "end"] for i in range(PUBLISHERS)}
    pending: dict[int, list[str]] = {i: [] for i in range(PUBLISHERS)}
    committed: list[str] = []
    try:
        while steps:
            i = rng.choice(sorted(steps))
            step, db = steps[i].pop(0), sessions[i]
            if not steps[i]:
                del steps[i]
            if step == "open" and rng.random() < 0.5:
                # As a transaction that changes other rows before it publishes: its
                # transaction id is older than its events.
                await db.execute(text("SELECT pg_current_xact_id()"))
            elif step == "publish":
                pending[i].append(await publish_in(db, account.id))
            elif step == "end":
                if rng.random() < 0.2:
                    await db.rollback()
                else:
                    await db.commit()
                    committed += pending[i]
            if rng.random() < 0.5:
                await poller.poll()
    finally:
        for db in sessions:
            await db.close()

    seen = await eventually(poller.everything, lambda seen: len(seen) >= len(committed), within=10)
    assert sorted(seen) == sorted(committed), f"seed {seed}"
    assert len(set(seen)) == len(seen), f"seed {seed}: an event was listed twice"


async def test_a_transaction_in_another_database_does_not_hold_the_poll_back(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    database_url: str,
) -> None:
    async with sessionmaker() as db:
        can_see = await db.scalar(
            text("SELECT pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')")
        )
    if not can_see:
        pytest.skip("this role cannot see other databases' transactions")
    account = await create_account(sessionmaker)
    poller = Poller(client, account.headers, after=await committed_event(sessionmaker, account.id))

    elsewhere = create_engine(
        make_url(database_url).set(database="postgres").render_as_string(hide_password=False),
        pool_size=1,
    )
    try:
        async with elsewhere.connect() as other:
            await other.execute(text("SELECT pg_current_xact_id()"))  # runs until rollback
            event_id = await committed_event(sessionmaker, account.id)
            seen = await eventually(poller.everything, lambda seen: len(seen) >= 1)
            assert seen == [event_id]
            await other.rollback()
    finally:
        await elsewhere.dispose()


async def test_cursor_must_be_an_event_the_key_sees(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker, mode=KeyMode.live)
    test_key = await create_api_key(sessionmaker, account.id, mode=KeyMode.test)
    other = await create_account(sessionmaker, name="other")
    theirs = await committed_event(sessionmaker, other.id)
    async with sessionmaker() as db:
        live = await publish(
            db,
            account_id=account.id,
            type=EventType.session_status,
            session=None,
            data={"status": "STARTING"},
            livemode=True,
        )
        await db.commit()

    for headers, cursor in (
        (account.headers, new_id("evt")),
        (account.headers, "nope"),
        (account.headers, theirs),
        (test_key.headers, live.id),
    ):
        for param in ("ending_before", "starting_after"):
            response = await client.get("/v1/events", headers=headers, params={param: cursor})
            assert response.status_code == 422, (param, cursor)
            error = response.json()["error"]
            assert error["param"] == param
            assert cursor in error["message"]

    # A cursor with nothing beyond it is an empty page, not an error.
    for param in ("ending_before", "starting_after"):
        page = await client.get("/v1/events", headers=account.headers, params={param: live.id})
        assert page.json() == {"object": "list", "data": [], "has_more": False}
