"""The usage page, from messages really sent through the sandbox and webhook deliveries
really made to a receiver: per-day counts by status, latency percentiles, webhook
success, the plan's limits; another account's traffic never in them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.models import WebhookDelivery
from gateway.webhooks.delivery import http_client
from gateway.webhooks.tasks import deliver_webhook
from tests.dashboard.conftest import signed_in
from tests.factories import (
    TestAccount,
    create_account,
    create_api_key,
    create_session,
    session_in_status,
)
from tests.local_http import Reply, serving
from tests.waiting import eventually

pytestmark = pytest.mark.usefixtures("engine_host")

READER = "+12025550123"  # reads what it is sent
NOT_ON_WHATSAPP = "+12025550101"  # fails
FAST_ACKS = {"ack_delivered_ms": 20, "ack_read_ms": 20}


@pytest.fixture
async def job_context(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], arq_redis: ArqRedis
) -> AsyncIterator[dict[str, Any]]:
    client = http_client(settings)
    yield {
        "settings": settings,
        "sessionmaker": sessionmaker,
        "redis": arq_redis,
        "webhook_http": client,
    }
    await client.aclose()


async def working_session(client: httpx.AsyncClient, account: TestAccount, name: str) -> str:
    session = await create_session(client, account, name=name, auto_link=True, sandbox=FAST_ACKS)
    await session_in_status(client, account, session["id"], "WORKING")
    return str(session["id"])


async def send_and_settle(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, to: str, final: str
) -> None:
    sent = await client.post(
        f"/v1/sessions/{session_id}/messages",
        headers=account.headers,
        json={"type": "text", "chat_id": to, "text": "hello"},
    )
    assert sent.status_code == 202, sent.text

    async def fetch() -> str:
        message = await client.get(f"/v1/messages/{sent.json()['id']}", headers=account.headers)
        return str(message.json()["status"])

    await eventually(fetch, lambda status: status == final, within=8)


def day_row(html: str, day: str) -> dict[str, str]:
    row = re.search(rf'<tr data-day="{day}">(.*?)</tr>', html, re.S)
    assert row is not None, f"no row for {day}"
    return dict(re.findall(r'data-status="([^"]+)">(\d+)<', row[1]))


def webhook_row(html: str, day: str) -> tuple[str, str, str]:
    row = re.search(
        rf'<tr data-webhook-day="{day}">.*?data-attempts>(\d+)<.*?data-succeeded>(\d+)<'
        r".*?data-rate>([^<]+)<",
        html,
        re.S,
    )
    assert row is not None, f"no webhook row for {day}"
    return row[1], row[2], row[3]


async def deliver_all(
    sessionmaker: async_sessionmaker[AsyncSession], job_context: dict[str, Any], account_id: str
) -> int:
    async with sessionmaker() as db:
        ids = (
            await db.scalars(
                select(WebhookDelivery.id).where(WebhookDelivery.account_id == account_id)
            )
        ).all()
    for delivery_id in ids:
        await deliver_webhook(job_context, delivery_id)
    return len(ids)


async def test_the_page_counts_this_accounts_traffic_only(
    web: httpx.AsyncClient,
    other_web: httpx.AsyncClient,
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, Any],
) -> None:
    other = await create_account(sessionmaker, name="Other Co")
    with serving({"/ok": Reply(200), "/broken": Reply(500)}) as receiver:
        for owner, path in ((account, "/ok"), (other, "/broken")):
            hook = await client.post(
                "/v1/webhooks",
                headers=owner.headers,
                json={"url": receiver.url(path), "event_types": ["message.status"]},
            )
            assert hook.status_code == 201, hook.text
        mine = await working_session(client, account, "mine")
        theirs = await working_session(client, other, "theirs")
        for _ in range(3):
            await send_and_settle(client, account, mine, READER, "read")
        await send_and_settle(client, account, mine, NOT_ON_WHATSAPP, "failed")
        for _ in range(2):
            await send_and_settle(client, other, theirs, READER, "read")
        await send_and_settle(client, other, theirs, NOT_ON_WHATSAPP, "failed")
        delivered = await deliver_all(sessionmaker, job_context, account.id)
        assert delivered > 0
        await deliver_all(sessionmaker, job_context, other.id)

    today = datetime.now(UTC).date().isoformat()
    await signed_in(web, account.key)
    page = await web.get("/dashboard/usage")
    assert page.status_code == 200, page.text
    assert day_row(page.text, today) == {"read": "3", "failed": "1", "total": "4"}
    assert "4 outbound messages accepted in the last 30 days" in page.text
    assert page.text.count('<tr data-day="') == 30
    # Drawn: one bar per status of the day, each titled with its figure.
    assert f"<title>{today}: 3 read</title>" in page.text
    assert f"<title>{today}: 1 failed</title>" in page.text
    assert page.text.count("<svg viewBox=") == 3

    for leg in ("queued_to_sent", "sent_to_delivered"):
        cells = re.search(rf'<tr data-leg="{leg}">(.*?)</tr>', page.text, re.S)
        assert cells is not None
        values = re.findall(r'data-percentile="p(?:50|95|99)">([^<]+)<', cells[1])
        assert len(values) == 3
        assert all(re.fullmatch(r"\d+ ms|\d+\.\d\d s", v) for v in values), values
    # Three were sent and delivered (the failed one was never sent).
    assert "to sent (3 messages)" in page.text
    assert "sent to delivered (3 messages)" in page.text

    assert webhook_row(page.text, today) == (str(delivered), str(delivered), "100.0 %")

    # The plan: the default, Free, with its limits; sandbox messages counted apart.
    assert "Plan: Free" in page.text
    messages = re.search(r'<tr data-limit="messages">(.*?)</tr>', page.text, re.S)
    assert messages is not None
    assert '<td data-label="Used">0</td>' in messages[1]
    sandbox = re.search(r'<tr data-limit="test_messages">(.*?)</tr>', page.text, re.S)
    assert sandbox is not None
    assert '<td data-label="Used">4</td>' in sandbox[1]

    await signed_in(other_web, other.key)
    theirs_page = await other_web.get("/dashboard/usage?days=7")
    assert day_row(theirs_page.text, today) == {"read": "2", "failed": "1", "total": "3"}
    assert theirs_page.text.count('<tr data-day="') == 7
    attempts, succeeded, rate = webhook_row(theirs_page.text, today)
    assert int(attempts) > 0
    assert succeeded == "0"
    assert rate == "0.0 %"


async def test_a_session_restricted_key_sees_its_session_only(
    web: httpx.AsyncClient,
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    first = await working_session(client, account, "first")
    second = await working_session(client, account, "second")
    await send_and_settle(client, account, first, READER, "read")
    for _ in range(2):
        await send_and_settle(client, account, second, READER, "read")
    restricted = await create_api_key(sessionmaker, account.id, session_id=second)
    await signed_in(web, restricted.key)
    page = await web.get("/dashboard/usage")
    today = datetime.now(UTC).date().isoformat()
    assert day_row(page.text, today) == {"read": "2", "total": "2"}
    # Deliveries belong to the account, not to a session.
    assert "Webhook deliveries" not in page.text


async def test_the_page_needs_account_read(
    web: httpx.AsyncClient, account: TestAccount, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    no_account = await create_api_key(
        sessionmaker, account.id, scopes={"sessions": "write", "messages": "write"}
    )
    await signed_in(web, no_account.key)
    refused = await web.get("/dashboard/usage")
    assert refused.status_code == 403
    assert "account: read" in refused.text

    reader = await create_api_key(sessionmaker, account.id, scopes={"account": "read"})
    web.cookies.clear()
    await signed_in(web, reader.key)
    page = await web.get("/dashboard/usage")
    assert page.status_code == 200
    assert "Plan: Free" in page.text


@pytest.mark.parametrize("days", ["5", "abc", "-1", "365", ""])
async def test_a_period_not_offered_is_a_page_not_a_failure(
    web: httpx.AsyncClient, account: TestAccount, days: str
) -> None:
    await signed_in(web, account.key)
    page = await web.get("/dashboard/usage", params={"days": days})
    assert page.status_code == 422
    assert "Invalid days" in page.text
