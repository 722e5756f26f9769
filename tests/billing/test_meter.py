"""Overage reported to Stripe's Billing Meter (the fake) from the message rows: each unit
once, whatever fails, races or is killed mid-call."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from pydantic import SecretStr
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.billing.meter import report_overage
from gateway.billing.stripe_tasks import close_stripe
from gateway.billing.usage_counters import period_of
from gateway.config import Settings
from gateway.kit.ids import new_id
from gateway.kit.jobs import JobContext
from gateway.kit.time import utcnow
from gateway.models import Message, MeterReport, Session
from gateway.worker import CRON_JOBS, FUNCTIONS
from tests.billing.test_quota import live_account, put_on_plan, send
from tests.engines.test_takeover import start_worker, stop
from tests.factories import create_account, create_session, session_in_status
from tests.fakes.graph import serving_graph
from tests.fakes.stripe import StripeHandle, serving_stripe
from tests.waiting import eventually

EVENT_NAME = "gateway_messages"  # the default of GATEWAY_STRIPE_METER_EVENT_NAME

MakeContext = Callable[[Settings], JobContext]


@pytest.fixture
async def stripe_fake() -> AsyncIterator[StripeHandle]:
    async with serving_stripe() as handle:
        handle.fake.add_price(unit_amount=2, meter_event_name=EVENT_NAME)
        yield handle


def billing_settings(settings: Settings, stripe_fake: StripeHandle, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "stripe_secret_key": SecretStr(stripe_fake.api_key),
        "stripe_api_base": stripe_fake.base_url,
        **overrides,
    }
    return settings.model_copy(update=values)


@pytest.fixture
async def contexts(
    arq_redis: ArqRedis, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[MakeContext]:
    """Job contexts as a worker's, each with its own settings (and so its Stripe client)."""
    made: list[JobContext] = []

    def context(settings: Settings) -> JobContext:
        made.append({"redis": arq_redis, "sessionmaker": sessionmaker, "settings": settings})
        return made[-1]

    yield context
    for ctx in made:
        await close_stripe(ctx)


@pytest.fixture
async def ctx(contexts: MakeContext, settings: Settings, stripe_fake: StripeHandle) -> JobContext:
    return contexts(billing_settings(settings, stripe_fake))


@dataclass(frozen=True)
class Billed:
    account_id: str
    customer_id: str | None
    session_id: str  # a live (cloud) session, stopped: its rows are all it is for


async def billed_account(
    sessionmaker: async_sessionmaker[AsyncSession],
    stripe_fake: StripeHandle,
    *,
    included: int | None = 10,
    overage: bool = True,
    customer: bool = True,
) -> Billed:
    account = await create_account(sessionmaker)
    await put_on_plan(sessionmaker, account.id, messages=included, overage=overage)
    customer_id = None
    if customer:
        customer_id = await add_customer(sessionmaker, stripe_fake, account.id)
    return Billed(account.id, customer_id, await add_session(sessionmaker, account.id, "cloud"))


async def add_customer(
    sessionmaker: async_sessionmaker[AsyncSession], stripe_fake: StripeHandle, account_id: str
) -> str:
    created = await stripe_fake.client().v1.customers.create_async(
        {"metadata": {"account_id": account_id}}
    )
    async with sessionmaker() as db:
        await db.execute(
            text("INSERT INTO billing_customers (account_id, stripe_customer_id) VALUES (:a, :c)"),
            {"a": account_id, "c": created.id},
        )
        await db.commit()
    return created.id


async def add_session(
    sessionmaker: async_sessionmaker[AsyncSession], account_id: str, engine: str
) -> str:
    session_id = new_id("ses")
    async with sessionmaker() as db:
        db.add(
            Session(
                id=session_id,
                account_id=account_id,
                name=f"{engine}-{session_id[-6:]}",
                engine=engine,
                desired_state="stopped",  # no engine host acts on it
            )
        )
        await db.commit()
    return session_id


async def add_messages(
    sessionmaker: async_sessionmaker[AsyncSession],
    account_id: str,
    session_id: str,
    count: int,
    *,
    at: datetime | None = None,
) -> None:
    """``count`` outbound messages of the session, as if sent at ``at`` (default now)."""
    at = at or utcnow()
    async with sessionmaker() as db:
        db.add_all(
            Message(
                id=new_id("msg"),
                account_id=account_id,
                session_id=session_id,
                direction="outbound",
                chat_id="12025550123@c.us",
                type="text",
                content={"text": "hi"},
                status="sent",
                created_at=at,
                updated_at=at,
            )
            for _ in range(count)
        )
        await db.commit()


async def reports(
    sessionmaker: async_sessionmaker[AsyncSession], account_id: str
) -> list[MeterReport]:
    async with sessionmaker() as db:
        rows = await db.scalars(
            select(MeterReport)
            .where(MeterReport.account_id == account_id)
            .order_by(MeterReport.period, MeterReport.total)
        )
        return list(rows.all())


def this_period() -> str:
    return period_of(utcnow()).name


@pytest.fixture
async def graph() -> AsyncIterator[Any]:
    async with serving_graph(status_delays=None, template_review_seconds=None) as served:
        yield served


@pytest.mark.usefixtures("engine_host")
async def test_live_sends_past_the_allowance_are_reported_once_and_sandbox_sends_never(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    graph: Any,
    stripe_fake: StripeHandle,
    ctx: JobContext,
) -> None:
    account, session_id = await live_account(client, sessionmaker, graph, messages=2, overage=True)
    customer = await add_customer(sessionmaker, stripe_fake, account.id)
    sandbox = await create_session(client, account, auto_link=True, name="play")
    await session_in_status(client, account, sandbox["id"], "WORKING")
    for _ in range(5):
        assert (await send(client, account, session_id)).status_code == 202
    for _ in range(4):
        assert (await send(client, account, sandbox["id"])).status_code == 202

    assert await report_overage(ctx) == 3
    assert stripe_fake.fake.usage(customer, EVENT_NAME) == 3
    assert await report_overage(ctx) == 0  # nothing new: nothing sent

    for _ in range(2):
        assert (await send(client, account, session_id)).status_code == 202
    assert (await send(client, account, sandbox["id"])).status_code == 202
    assert await report_overage(ctx) == 2  # only the difference
    assert await report_overage(ctx) == 0

    assert stripe_fake.fake.usage(customer, EVENT_NAME) == 5
    period = this_period()
    assert [(m.identifier, m.value) for m in stripe_fake.fake.meter_events] == [
        (f"overage:{account.id}:{period}:3", 3),
        (f"overage:{account.id}:{period}:5", 2),
    ]
    rows = await reports(sessionmaker, account.id)
    assert [(r.units, r.total, r.attempts) for r in rows] == [(3, 3, 1), (2, 5, 1)]
    assert all(r.reported_at is not None and r.last_error is None for r in rows)
    assert {r.stripe_customer_id for r in rows} == {customer}


async def test_only_accounts_billed_for_overage_report_and_the_previous_period_is_closed_out(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    stripe_fake: StripeHandle,
    contexts: MakeContext,
    ctx: JobContext,
) -> None:
    billed = await billed_account(sessionmaker, stripe_fake)
    previous = period_of(utcnow()).previous()
    await add_messages(sessionmaker, billed.account_id, billed.session_id, 12)
    await add_messages(
        sessionmaker, billed.account_id, billed.session_id, 13, at=previous.end - timedelta(hours=1)
    )
    others = [
        await billed_account(sessionmaker, stripe_fake, overage=False),
        await billed_account(sessionmaker, stripe_fake, customer=False),
        await billed_account(sessionmaker, stripe_fake, included=None),
    ]
    for other in others:
        await add_messages(sessionmaker, other.account_id, other.session_id, 15)
    sandbox_only = await billed_account(sessionmaker, stripe_fake)
    play = await add_session(sessionmaker, sandbox_only.account_id, "sandbox")
    await add_messages(sessionmaker, sandbox_only.account_id, play, 20)

    # Billing off (no secret key): nothing is reported, and no row is written.
    assert await report_overage(contexts(settings)) == 0
    assert await reports(sessionmaker, billed.account_id) == []

    assert await report_overage(ctx) == 2 + 3
    assert billed.customer_id is not None
    assert stripe_fake.fake.usage(billed.customer_id, EVENT_NAME) == 5
    by_identifier = {m.identifier: m for m in stripe_fake.fake.meter_events}
    assert set(by_identifier) == {
        f"overage:{billed.account_id}:{previous.name}:3",
        f"overage:{billed.account_id}:{this_period()}:2",
    }
    # Last period's overage is timestamped within it, so Stripe bills it with that period.
    closing = by_identifier[f"overage:{billed.account_id}:{previous.name}:3"]
    assert closing.timestamp == int(previous.end.timestamp()) - 1
    for other in [*others, sandbox_only]:
        assert await reports(sessionmaker, other.account_id) == []
    assert await report_overage(ctx) == 0


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("failure", ["unreachable", "refused"])
async def test_a_failed_report_stays_unsent_and_a_later_run_sends_it_once(
    failure: str,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    stripe_fake: StripeHandle,
    contexts: MakeContext,
    ctx: JobContext,
) -> None:
    billed = await billed_account(sessionmaker, stripe_fake)
    await add_messages(sessionmaker, billed.account_id, billed.session_id, 14)
    broken: dict[str, Any] = (
        {"stripe_api_base": f"http://127.0.0.1:{closed_port()}"}
        if failure == "unreachable"
        else {"stripe_secret_key": SecretStr("sk_test_revoked_0000000000000000")}  # a 401
    )
    failing = contexts(billing_settings(settings, stripe_fake, **broken))

    assert await report_overage(failing) == 0
    await add_messages(sessionmaker, billed.account_id, billed.session_id, 1)
    assert await report_overage(failing) == 0
    # One report in flight per account and period: the new message waits behind it.
    [row] = await reports(sessionmaker, billed.account_id)
    assert (row.units, row.total, row.reported_at, row.attempts) == (4, 4, None, 2)
    assert row.last_error is not None
    assert "sk_test" not in row.last_error  # the key is never recorded
    assert stripe_fake.fake.meter_events == []

    # Stripe is back: the report is sent as it was, then the overage since.
    assert await report_overage(ctx) == 5
    assert await report_overage(ctx) == 0
    assert billed.customer_id is not None
    assert stripe_fake.fake.usage(billed.customer_id, EVENT_NAME) == 5
    assert [m.value for m in stripe_fake.fake.meter_events] == [4, 1]
    rows = await reports(sessionmaker, billed.account_id)
    assert [(r.units, r.total, r.attempts, r.last_error) for r in rows] == [
        (4, 4, 3, None),
        (1, 5, 1, None),
    ]
    assert all(r.reported_at is not None for r in rows)


@pytest.mark.parametrize("key_forgotten", [False, True])
async def test_a_report_whose_answer_was_lost_is_not_counted_twice(
    key_forgotten: bool,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    stripe_fake: StripeHandle,
    contexts: MakeContext,
) -> None:
    billed = await billed_account(sessionmaker, stripe_fake)
    await add_messages(sessionmaker, billed.account_id, billed.session_id, 17)
    impatient = contexts(billing_settings(settings, stripe_fake, stripe_timeout_seconds=0.5))
    stripe_fake.fake.meter_event_delay = 3.0

    # Stripe records the event, but its answer comes after the gateway stopped waiting.
    assert await report_overage(impatient) == 0
    assert billed.customer_id is not None
    assert stripe_fake.fake.usage(billed.customer_id, EVENT_NAME) == 7
    [row] = await reports(sessionmaker, billed.account_id)
    assert row.reported_at is None

    stripe_fake.fake.meter_event_delay = 0.0
    if key_forgotten:  # as Stripe does after a day: only the identifier dedupes then
        stripe_fake.fake.state.idempotency.clear()
    assert await report_overage(impatient) == 7
    assert stripe_fake.fake.usage(billed.customer_id, EVENT_NAME) == 7
    assert len(stripe_fake.fake.meter_events) == 1
    assert len(stripe_fake.fake.state.refused_meter_events) == int(key_forgotten)
    [row] = await reports(sessionmaker, billed.account_id)
    assert row.reported_at is not None
    assert await report_overage(impatient) == 0


async def test_racing_runs_report_each_unit_once(
    sessionmaker: async_sessionmaker[AsyncSession], stripe_fake: StripeHandle, ctx: JobContext
) -> None:
    accounts = [await billed_account(sessionmaker, stripe_fake) for _ in range(3)]
    for index, billed in enumerate(accounts):
        await add_messages(sessionmaker, billed.account_id, billed.session_id, 11 + index)

    results = await asyncio.gather(*(report_overage(ctx) for _ in range(4)))
    assert sum(results) == 1 + 2 + 3
    for index, billed in enumerate(accounts):
        assert billed.customer_id is not None
        assert stripe_fake.fake.usage(billed.customer_id, EVENT_NAME) == index + 1
        assert len(await reports(sessionmaker, billed.account_id)) == 1


async def reported_rows(sessionmaker: async_sessionmaker[AsyncSession], account_id: str) -> int:
    return sum(r.reported_at is not None for r in await reports(sessionmaker, account_id))


@pytest.mark.timeout(180)
async def test_a_worker_killed_inside_the_stripe_call_reports_nothing_twice(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
    stripe_fake: StripeHandle,
) -> None:
    billed = await billed_account(sessionmaker, stripe_fake)
    await add_messages(sessionmaker, billed.account_id, billed.session_id, 19)
    assert billed.customer_id is not None
    stripe_env = {
        "GATEWAY_STRIPE_SECRET_KEY": stripe_fake.api_key,
        "GATEWAY_STRIPE_API_BASE": stripe_fake.base_url,
    }
    # Longer than the test waits, shorter than the worker's Stripe timeout (20 s): the
    # worker is still waiting for the answer when it is killed.
    stripe_fake.fake.meter_event_delay = 15.0
    workers: list[subprocess.Popen[bytes]] = [start_worker(settings, **stripe_env)]
    try:
        await arq_redis.enqueue_job(report_overage.__name__, _job_id="meter-test-first")

        async def recorded() -> int:
            return len(stripe_fake.fake.meter_events)

        await eventually(recorded, lambda n: n == 1, within=60)
        assert await reported_rows(sessionmaker, billed.account_id) == 0  # inside the call
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()
        assert await reported_rows(sessionmaker, billed.account_id) == 0

        stripe_fake.fake.meter_event_delay = 0.0
        workers.append(start_worker(settings, **stripe_env))
        job = await arq_redis.enqueue_job(report_overage.__name__, _job_id="meter-test-second")
        assert job is not None
        await job.result(timeout=60)

        assert stripe_fake.fake.usage(billed.customer_id, EVENT_NAME) == 9
        assert len(stripe_fake.fake.meter_events) == 1
        [row] = await reports(sessionmaker, billed.account_id)
        assert (row.units, row.total) == (9, 9)
        assert row.reported_at is not None
    finally:
        for worker in workers:
            stop(worker)


def test_the_job_is_registered_with_the_worker() -> None:
    assert report_overage in FUNCTIONS
    assert any(job.coroutine is report_overage for job in CRON_JOBS)
