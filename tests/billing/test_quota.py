"""The monthly message quota on the send path: refused past the plan's included messages
without overage, counted with it, sandbox sends free, reservations given back, and the
counters rebuilt from the rows by reconciliation."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.auth.keys import KeyMode
from gateway.billing import usage_counters as counters
from gateway.billing.usage_tasks import publish_quota_warning, reconcile_usage
from gateway.config import Settings
from gateway.kit.ids import new_id
from gateway.kit.time import utcnow
from gateway.models import Message
from tests.cloud.sessions import create_cloud_session, open_window
from tests.conftest import running
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.fakes.graph import serving_graph

pytestmark = pytest.mark.usefixtures("engine_host")

CONTACT = "12025550123"


async def put_on_plan(
    sessionmaker: async_sessionmaker[AsyncSession],
    account_id: str,
    *,
    messages: int | None,
    overage: bool,
) -> str:
    plan_id = new_id("plan")
    async with sessionmaker() as db:
        await db.execute(
            text(
                "INSERT INTO plans (id, name, messages_per_month, overage_allowed, "
                "created_at, updated_at) VALUES (:id, :name, :m, :o, now(), now())"
            ),
            {"id": plan_id, "name": f"Tiny {plan_id[-6:]}", "m": messages, "o": overage},
        )
        await db.execute(
            text("UPDATE accounts SET plan_id = :p WHERE id = :a"), {"p": plan_id, "a": account_id}
        )
        await db.commit()
    return plan_id


async def send(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, **headers: str
) -> httpx.Response:
    return await client.post(
        f"/v1/sessions/{session_id}/messages",
        headers={**account.headers, **headers},
        json={"type": "text", "chat_id": f"+{CONTACT}", "text": "hello"},
    )


async def counter(redis: Redis, account_id: str) -> int | None:
    return await counters.read_messages(redis, account_id, counters.period_of(datetime.now(UTC)))


async def live_messages(sessionmaker: async_sessionmaker[AsyncSession], account_id: str) -> int:
    async with sessionmaker() as db:
        return int(
            await db.scalar(
                text(
                    "SELECT count(*) FROM messages WHERE account_id = :a AND direction = 'outbound'"
                ),
                {"a": account_id},
            )
            or 0
        )


@pytest.fixture
async def graph() -> AsyncIterator[Any]:
    async with serving_graph(status_delays=None, template_review_seconds=None) as served:
        yield served


async def live_account(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    graph: Any,
    *,
    messages: int | None,
    overage: bool,
) -> tuple[TestAccount, str]:
    account = await create_account(sessionmaker, mode=KeyMode.live)
    await put_on_plan(sessionmaker, account.id, messages=messages, overage=overage)
    session = await create_cloud_session(client, account, graph.base_url, graph.fake.add_number())
    await open_window(sessionmaker, session["id"], CONTACT)
    return account, str(session["id"])


def job_context(
    arq_redis: ArqRedis, sessionmaker: async_sessionmaker[AsyncSession]
) -> dict[str, Any]:
    return {"redis": arq_redis, "sessionmaker": sessionmaker}


async def test_a_send_past_the_included_messages_without_overage_is_refused_until_the_reset(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    graph: Any,
) -> None:
    account, session_id = await live_account(client, sessionmaker, graph, messages=2, overage=False)
    for _ in range(2):
        assert (await send(client, account, session_id)).status_code == 202

    refused = await send(client, account, session_id)
    assert refused.status_code == 402, refused.text
    error = refused.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["code"] == "quota_exceeded"
    assert error["param"] == "messages_per_month"
    resets = counters.period_of(datetime.now(UTC)).end
    assert "includes 2 messages a month" in error["message"]
    assert "Tiny" in error["message"]
    assert resets.strftime("%Y-%m-%dT%H:%M:%SZ") in error["message"]
    retry_after = int(refused.headers["retry-after"])
    assert abs(retry_after - (resets.timestamp() - time.time())) < 60
    assert "ratelimit" in refused.headers  # the same round trip counted the rate limit

    # The refused send is neither stored nor counted.
    assert await live_messages(sessionmaker, account.id) == 2
    assert await counter(redis, account.id) == 2


async def test_with_overage_sends_go_on_and_are_counted(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    graph: Any,
) -> None:
    account, session_id = await live_account(client, sessionmaker, graph, messages=1, overage=True)
    for _ in range(3):
        assert (await send(client, account, session_id)).status_code == 202
    assert await counter(redis, account.id) == 3

    usage = (await client.get("/v1/usage", headers=account.headers)).json()
    messages = usage["current_period"]["messages"]
    assert (messages["used"], messages["included"], messages["overage"]) == (3, 1, 2)


async def test_sandbox_sends_are_free_and_bounded_by_the_test_mode_allowance(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], redis: Redis
) -> None:
    app = create_app(settings.model_copy(update={"test_mode_messages_per_day": 3}))
    async with running(app) as client:
        account = await create_account(sessionmaker)
        await put_on_plan(sessionmaker, account.id, messages=1, overage=False)
        session = await create_session(client, account, auto_link=True)
        await session_in_status(client, account, session["id"], "WORKING")
        for _ in range(3):  # past the plan's one message: sandbox sends do not count
            assert (await send(client, account, session["id"])).status_code == 202
        refused = await send(client, account, session["id"])
    assert refused.status_code == 402
    assert refused.json()["error"]["code"] == "quota_exceeded"
    assert refused.json()["error"]["param"] == "test_mode_messages_per_day"
    assert "Test mode allows 3 messages a day" in refused.json()["error"]["message"]
    assert await counter(redis, account.id) is None  # nothing against the plan


async def test_a_replayed_or_refused_send_gives_its_reservation_back(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    graph: Any,
) -> None:
    account, session_id = await live_account(
        client, sessionmaker, graph, messages=10, overage=False
    )
    first = await send(client, account, session_id, **{"Idempotency-Key": "once"})
    again = await send(client, account, session_id, **{"Idempotency-Key": "once"})
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    # A send whose chat the cloud window refuses never reaches the reservation.
    closed = await client.post(
        f"/v1/sessions/{session_id}/messages",
        headers=account.headers,
        json={"type": "text", "chat_id": "+12025550199", "text": "hello"},
    )
    assert closed.status_code >= 400
    assert await counter(redis, account.id) == 1
    assert await live_messages(sessionmaker, account.id) == 1


async def insert_message(
    sessionmaker: async_sessionmaker[AsyncSession], account_id: str, session_id: str
) -> None:
    now = utcnow()
    async with sessionmaker() as db:
        message = Message(
            id=new_id("msg"),
            account_id=account_id,
            session_id=session_id,
            direction="outbound",
            chat_id=f"{CONTACT}@c.us",
            type="text",
            content={"text": "hi"},
            status="cancelled",
            created_at=now,
            updated_at=now,
        )
        db.add(message)
        await db.commit()


async def test_a_flushed_redis_is_rebuilt_exactly_from_the_rows_with_sends_racing_the_rebuild(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    arq_redis: ArqRedis,
    graph: Any,
) -> None:
    account, session_id = await live_account(
        client, sessionmaker, graph, messages=100, overage=False
    )
    for _ in range(3):
        assert (await send(client, account, session_id)).status_code == 202
    ctx = job_context(arq_redis, sessionmaker)
    key = counters.messages_key(account.id, counters.period_of(datetime.now(UTC)))

    # Intact: reconciling changes nothing, however often.
    await reconcile_usage(ctx)
    await reconcile_usage(ctx)
    assert await counter(redis, account.id) == 3

    await redis.delete(key)  # Redis lost the counter mid-period
    # A send reserved after the loss, its row not committed yet when the count runs.
    await counters.ADMIT_SEND(
        redis,
        ["gateway:test:rate", key],
        [60, 1000, 100, 0, counters.expires_at(datetime.now(UTC)), int(time.time())],
    )
    await reconcile_usage(ctx)
    assert await counter(redis, account.id) == 3  # the rows; the one in flight is not lost…
    await insert_message(sessionmaker, account.id, session_id)  # …it commits
    await reconcile_usage(ctx)
    assert await counter(redis, account.id) == 4  # exact, not counted twice

    # A send in flight while Redis is intact: the counter is ahead of the rows, left alone.
    await counters.ADMIT_SEND(
        redis,
        ["gateway:test:rate", key],
        [60, 1000, 100, 0, counters.expires_at(datetime.now(UTC)), int(time.time())],
    )
    await reconcile_usage(ctx)
    assert await counter(redis, account.id) == 5
    await insert_message(sessionmaker, account.id, session_id)
    await reconcile_usage(ctx)
    assert await counter(redis, account.id) == 5

    # A reservation whose give-back was lost (the process died) is settled once the account
    # has been quiet for the settle time.
    await redis.hincrby(key, "n", 1)  # type: ignore[misc]
    await redis.hset(key, "at", int(time.time()) - 3600)  # type: ignore[misc]
    await reconcile_usage(ctx)
    assert await counter(redis, account.id) == 5
    assert await live_messages(sessionmaker, account.id) == 5

    # The rebuilt counter is what the send path checks.
    assert (await send(client, account, session_id)).status_code == 202
    assert await counter(redis, account.id) == 6


async def test_the_quota_warnings_are_published_once_each_per_period(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    arq_redis: ArqRedis,
    graph: Any,
) -> None:
    account, session_id = await live_account(client, sessionmaker, graph, messages=5, overage=True)
    period = counters.period_of(datetime.now(UTC)).name
    queued = set()
    for _ in range(6):
        assert (await send(client, account, session_id)).status_code == 202
    for percent in (80, 100):
        job = f"arq:job:quota-warning:{account.id}:{period}:{percent}"
        if await redis.exists(job):
            queued.add(percent)
    assert queued == {80, 100}  # pushed with the sends that reached 4 and 5 of 5

    ctx = job_context(arq_redis, sessionmaker)
    assert await publish_quota_warning(ctx, account.id, period, 80) is True
    assert await publish_quota_warning(ctx, account.id, period, 100) is True
    await redis.flushdb()  # a lost Redis does not warn twice: the event row is the record
    assert await publish_quota_warning(ctx, account.id, period, 80) is False
    await reconcile_usage(ctx)  # queues both again, for a period past both thresholds
    assert await publish_quota_warning(ctx, account.id, period, 100) is False

    events = (
        await client.get(
            "/v1/events", headers=account.headers, params={"type": "billing.quota.warning"}
        )
    ).json()["data"]
    warnings = [e for e in events if e["type"] == "billing.quota.warning"]
    assert sorted(e["data"]["threshold_percent"] for e in warnings) == [80, 100]
    eighty = next(e for e in warnings if e["data"]["threshold_percent"] == 80)
    assert eighty["session"] is None
    assert eighty["data"]["included_messages"] == 5
    assert eighty["data"]["period"] == period
    assert eighty["data"]["overage_allowed"] is True
