"""The send path's budget (DESIGN §10): an accepted send makes at most two PostgreSQL and
two Redis round trips, and an authenticated read of a cached key none to PostgreSQL.
Counted on the wire, so the budget cannot regress silently."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.auth.keys import KeyMode
from gateway.config import Settings
from tests.cloud.sessions import create_cloud_session, open_window
from tests.conftest import running
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.fakes.graph import serving_graph
from tests.roundtrips import PostgresCounter, postgres_proxy, redis_round_trips

__all__ = ["redis_round_trips"]  # the fixture
from tests.waiting import eventually

pytestmark = pytest.mark.usefixtures("engine_host")

BUDGET_POSTGRES = 2
BUDGET_REDIS = 2


@pytest.fixture
async def counted(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, PostgresCounter]]:
    """An API whose database connections all pass the counting proxy."""
    assert settings.database_url
    async with postgres_proxy(settings.database_url) as (url, counter):
        app = create_app(settings.model_copy(update={"database_url": url}))
        async with running(app) as client:
            yield client, counter


async def send(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, key: str, **body: Any
) -> httpx.Response:
    return await client.post(
        f"/v1/sessions/{session_id}/messages",
        headers={**account.headers, "Idempotency-Key": key},
        json={"type": "text", "chat_id": "+12025550123", "text": "hello", **body},
    )


@pytest.fixture
async def working(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> tuple[TestAccount, str]:
    account = await create_account(sessionmaker)
    session = await create_session(client, account, auto_link=True)
    await session_in_status(client, account, session["id"], "WORKING")
    return account, str(session["id"])


async def test_an_accepted_send_stays_within_two_and_two_round_trips(
    counted: tuple[httpx.AsyncClient, PostgresCounter],
    working: tuple[TestAccount, str],
    redis_round_trips: Any,
) -> None:
    client, postgres = counted
    account, session_id = working
    # The first request fills the caches (key, session route, prepared statements).
    assert (await send(client, account, session_id, "warm-up")).status_code == 202

    postgres.reset()
    with redis_round_trips() as redis:
        response = await send(client, account, session_id, "fresh-key")
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    assert postgres.round_trips <= BUDGET_POSTGRES, postgres.messages
    assert redis[0] <= BUDGET_REDIS, redis[0]

    # The job reached the host: the message goes out.
    message_id = response.json()["id"]

    async def status() -> str:
        got = await client.get(f"/v1/messages/{message_id}", headers=account.headers)
        return str(got.json()["status"])

    await eventually(status, lambda s: s in ("sent", "delivered", "read"), within=10)


async def test_a_replay_is_answered_from_the_record(
    counted: tuple[httpx.AsyncClient, PostgresCounter],
    working: tuple[TestAccount, str],
    redis_round_trips: Any,
) -> None:
    client, postgres = counted
    account, session_id = working
    first = await send(client, account, session_id, "same")
    assert first.status_code == 202

    postgres.reset()
    with redis_round_trips() as redis:
        again = await send(client, account, session_id, "same")
    assert again.status_code == 202
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    # The claim that finds the key taken, then the read of its record; no job is pushed.
    assert postgres.round_trips <= BUDGET_POSTGRES, postgres.messages
    # The rate limit with the message's reservation, then the reservation given back (a
    # replay sends nothing): within the budget, one more than before quotas.
    assert redis[0] <= BUDGET_REDIS, redis[0]


async def test_a_cached_key_reads_the_account_without_postgres(
    counted: tuple[httpx.AsyncClient, PostgresCounter],
    working: tuple[TestAccount, str],
    redis_round_trips: Any,
) -> None:
    client, postgres = counted
    account, _ = working
    assert (await client.get("/v1/account", headers=account.headers)).status_code == 200

    postgres.reset()
    with redis_round_trips() as redis:
        response = await client.get("/v1/account", headers=account.headers)
    assert response.status_code == 200
    assert response.json()["id"] == account.id
    assert postgres.round_trips == 0, postgres.messages
    assert redis[0] == 1  # the rate limit


async def test_a_cloud_send_checks_its_window_within_the_same_budget(
    counted: tuple[httpx.AsyncClient, PostgresCounter],
    sessionmaker: async_sessionmaker[AsyncSession],
    redis_round_trips: Any,
) -> None:
    client, postgres = counted
    account = await create_account(sessionmaker, mode=KeyMode.live)
    async with serving_graph(status_delays=None, template_review_seconds=None) as graph:
        number = graph.fake.add_number()
        session = await create_cloud_session(client, account, graph.base_url, number)
        await open_window(sessionmaker, session["id"], "12025550123")
        assert (await send(client, account, session["id"], "warm-up")).status_code == 202

        postgres.reset()
        with redis_round_trips() as redis:
            response = await send(client, account, session["id"], "fresh-key")
        assert response.status_code == 202, response.text
        # The window's read, then the one statement that accepts.
        assert postgres.round_trips <= BUDGET_POSTGRES, postgres.messages
        assert redis[0] <= BUDGET_REDIS, redis[0]
