"""/metrics as an operator scrapes it: after traffic the counters have moved, with route
templates and engines as labels and never an account's, session's or message's id."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.auth.keys import KeyMode
from gateway.config import Settings
from gateway.engines import host as host_module
from gateway.engines import registry
from gateway.kit.time import utcnow
from gateway.metrics.http import UNMATCHED
from gateway.models import SessionLease, WebhookDelivery
from gateway.webhooks.delivery import http_client
from gateway.webhooks.tasks import deliver_webhook
from tests.conftest import running, running_host
from tests.engines.test_supervision import CrashingEngine
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.local_http import Reply, serving
from tests.metrics.scraping import Scrape, scrape
from tests.waiting import eventually

SEND_ROUTE = "/v1/sessions/{session_id}/messages"
NOT_ON_WHATSAPP = "+12025550101"  # the sandbox directory's number that is not on WhatsApp
FAST_ACKS = {"ack_delivered_ms": 50, "ack_read_ms": 50}
IDS = re.compile(r"(ses|acct|msg|evt|whk|dlv|key|req)_[0-9A-Z]{10,}")


@pytest.fixture
async def gateway_up(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The API as `gateway up` builds it (the worker in the same process), with the
    deployment-wide gauges read on every scrape."""
    app = create_app(settings.model_copy(update={"metrics_state_seconds": 0}), worker_metrics=True)
    async with running(app) as client:
        yield client


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


async def send(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, to: str
) -> dict[str, Any]:
    response = await client.post(
        f"/v1/sessions/{session_id}/messages",
        headers=account.headers,
        json={"type": "text", "chat_id": to, "text": "hello"},
    )
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


async def message_status(
    client: httpx.AsyncClient, account: TestAccount, message_id: str, *statuses: str
) -> dict[str, Any]:
    async def fetch() -> dict[str, Any]:
        response = await client.get(f"/v1/messages/{message_id}", headers=account.headers)
        body: dict[str, Any] = response.json()
        return body

    return await eventually(fetch, lambda m: m["status"] in statuses, within=10)


async def deliver_pending_webhooks(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], redis: Any
) -> int:
    """Run the delivery job, as a worker would, for every delivery not yet made."""
    pools = http_client(settings)
    ctx = {
        "settings": settings,
        "sessionmaker": sessionmaker,
        "redis": redis,
        "webhook_http": pools,
    }
    try:
        async with sessionmaker() as db:
            pending = list(
                await db.scalars(
                    select(WebhookDelivery.id).where(WebhookDelivery.status == "pending")
                )
            )
        for delivery_id in pending:
            await deliver_webhook(ctx, delivery_id)
    finally:
        await pools.aclose()
    return len(pending)


def assert_no_ids(result: Scrape) -> None:
    assert IDS.search(result.text) is None, IDS.search(result.text)
    for needle in ("ses_", "acct_", "msg_"):
        assert needle not in result.text


async def test_a_scrape_after_traffic_shows_requests_messages_webhooks_and_engine_errors(
    gateway_up: httpx.AsyncClient,
    account: TestAccount,
    settings: Settings,
    host_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: Any,
) -> None:
    client = gateway_up
    before = await scrape(client)
    with serving({"/hook": Reply(200, b"ok")}) as receiver:
        hook = await client.post(
            "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
        )
        assert hook.status_code == 201, hook.text
        async with running_host(host_settings):
            session = await create_session(client, account, auto_link=True, sandbox=FAST_ACKS)
            await session_in_status(client, account, session["id"], "WORKING")
            delivered = await send(client, account, session["id"], "+12025550123")
            refused = await send(client, account, session["id"], NOT_ON_WHATSAPP)
            await message_status(client, account, delivered["id"], "read")
            await message_status(client, account, refused["id"], "failed")
            missing = await client.get("/v1/sessions/ses_01JA2B3C4D5E6F7G8H9J0KMNPQ/nowhere")
            assert missing.status_code == 404
            unknown_method = await client.request("BREW", "/v1/account", headers=account.headers)
            assert unknown_method.status_code == 405
            after = await scrape(client)
        assert await deliver_pending_webhooks(settings, sessionmaker, arq_redis) > 0
        assert receiver.requests
    delivered_scrape = await scrape(client)

    # Requests, by route template: the session's id is in the path, not in the label.
    sent = {"method": "POST", "route": SEND_ROUTE, "status": "202"}
    assert after.value("gateway_http_requests_total", **sent) == 2
    assert (
        after.value("gateway_http_request_duration_seconds_count", method="POST", route=SEND_ROUTE)
        == 2
    )
    assert (
        after.value(
            "gateway_http_request_duration_seconds_bucket",
            method="POST",
            route=SEND_ROUTE,
            le="+Inf",
        )
        == 2
    )
    assert (
        after.value("gateway_http_requests_total", method="GET", route="unmatched", status="404")
        == 1
    )
    assert (
        after.value(
            "gateway_http_requests_total", method="other", route="/v1/account", status="405"
        )
        == 1
    )
    assert (
        after.value(
            "gateway_http_requests_total", method="POST", route="/v1/sessions", status="201"
        )
        == 1
    )
    # The first scrape was answered (and counted) before the second began.
    assert (
        after.value("gateway_http_requests_total", method="GET", route="/metrics", status="200")
        == 1
    )

    # The deployment's state: this test's messages and session (tables are emptied
    # between tests, so these are exact).
    assert (
        after.value("gateway_messages", engine="sandbox", direction="outbound", status="read") == 1
    )
    assert (
        after.value("gateway_messages", engine="sandbox", direction="outbound", status="failed")
        == 1
    )
    assert after.value("gateway_sessions", engine="sandbox", status="WORKING") == 1
    assert after.value("gateway_engine_hosts") == 1
    assert after.has("gateway_queue_jobs", queue="shared", state="ready")
    assert after.has("gateway_queue_jobs", queue="host", state="deferred")

    # The worker's side, served here because it runs in this process.
    kind = {"engine": "sandbox", "kind": "recipient_not_on_whatsapp"}
    assert (
        after.value("gateway_engine_errors_total", **kind)
        - before.value("gateway_engine_errors_total", **kind)
        == 1
    )
    delta = delivered_scrape.value(
        "gateway_webhook_deliveries_total", outcome="success"
    ) - before.value("gateway_webhook_deliveries_total", outcome="success")
    assert delta == len(receiver.requests)
    assert (
        delivered_scrape.value("gateway_webhook_delivery_duration_seconds_count", outcome="success")
        - before.value("gateway_webhook_delivery_duration_seconds_count", outcome="success")
        == delta
    )
    assert delivered_scrape.has("process_resident_memory_bytes")

    for result in (before, after, delivered_scrape):
        assert_no_ids(result)


async def test_the_outbox_of_a_session_that_is_not_running_shows_its_depth_and_age(
    gateway_up: httpx.AsyncClient, account: TestAccount
) -> None:
    client = gateway_up
    session = await create_session(client, account, start=False)
    await send(client, account, session["id"], "+12025550123")
    await send(client, account, session["id"], "+12025550124")
    result = await scrape(client)
    assert result.value("gateway_outbox_due_messages", engine="sandbox") == 2
    assert (
        result.value("gateway_messages", engine="sandbox", direction="outbound", status="queued")
        == 2
    )
    assert result.value("gateway_sessions", engine="sandbox", status="STOPPED") == 1
    assert result.value("gateway_engine_hosts") == 0

    async def age() -> float:
        return (await scrape(client)).value(
            "gateway_outbox_oldest_due_age_seconds", engine="sandbox"
        )

    first = await age()
    assert first >= 0
    assert await eventually(age, lambda seconds: seconds > first, within=5)


async def test_a_session_taken_over_from_an_expired_lease_counts_as_a_takeover(
    gateway_up: httpx.AsyncClient,
    account: TestAccount,
    host_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    client = gateway_up
    fresh = await create_session(client, account, name="fresh", auto_link=True)
    orphan = await create_session(client, account, name="orphan", auto_link=True)
    async with sessionmaker() as db:
        # The lease of a host that died: it ran out and nobody gave it up.
        db.add(
            SessionLease(
                session_id=orphan["id"], host_id="dead-host",
                expires_at=utcnow() - timedelta(seconds=30),
            )
        )  # fmt: skip
        await db.commit()
    before = await scrape(client)
    async with running_host(host_settings):
        await session_in_status(client, account, fresh["id"], "WORKING")
        await session_in_status(client, account, orphan["id"], "WORKING")
        after = await scrape(client)
    # The fresh session was claimed, not taken over: one takeover, not two.
    assert (
        after.value("gateway_lease_takeovers_total") - before.value("gateway_lease_takeovers_total")
        == 1
    )


async def test_an_engine_that_crashes_counts_as_an_engine_error(
    gateway_up: httpx.AsyncClient,
    host_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(registry.ENGINES, CrashingEngine.name, CrashingEngine)
    monkeypatch.setattr(host_module, "MAX_BACKOFF_SECONDS", 0.2)
    monkeypatch.setattr(CrashingEngine, "starts", 0)
    monkeypatch.setattr(CrashingEngine, "crash_first", 1)
    client = gateway_up
    account = await create_account(sessionmaker, mode=KeyMode.live)
    created = await client.post(
        "/v1/sessions", headers=account.headers, json={"name": "flaky", "engine": "crashing"}
    )
    assert created.status_code == 201, created.text
    crash = {"engine": "crashing", "kind": "crash"}
    before = await scrape(client)
    async with running_host(host_settings):
        await session_in_status(client, account, created.json()["id"], "WORKING")
        after = await scrape(client)
    assert (
        after.value("gateway_engine_errors_total", **crash)
        - before.value("gateway_engine_errors_total", **crash)
        == 1
    )


async def test_routes_outside_the_api_are_labelled_by_their_template_too(
    gateway_up: httpx.AsyncClient,
) -> None:
    client = gateway_up
    assert (await client.get("/openapi.json")).status_code == 200
    assert (await client.get("/healthz")).status_code == 200
    redirected = await client.get("/healthz/")  # the slash redirect matches no route
    assert redirected.status_code == 307
    result = await scrape(client)
    for route, status in (("/openapi.json", "200"), ("/healthz", "200"), (UNMATCHED, "307")):
        assert (
            result.value("gateway_http_requests_total", method="GET", route=route, status=status)
            == 1
        ), (route, status, result.series("gateway_http_requests_total"))
