"""The operator's view and the usage page in a real browser: the admin token signs in to
the accounts and engine hosts pages; a customer sees the usage charts drawn (SVG, no
script error, no policy violation, nothing loaded from elsewhere)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from tests.browser.conftest import Watched, assert_loads_only_from, screenshot, serving_gateway
from tests.conftest import ADMIN_TOKEN, HOST_TIMINGS, running_host
from tests.factories import TestAccount, create_account
from tests.waiting import eventually

READER = "+12025550123"


@pytest.fixture
async def dashboard_url(settings: Settings) -> AsyncIterator[str]:
    fast = settings.model_copy(update=HOST_TIMINGS)
    async with running_host(fast), serving_gateway(fast) as url:
        yield url


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker, name="Browser Usage Co")


async def linked_session_with_messages(url: str, account: TestAccount, sent: int) -> str:
    async with httpx.AsyncClient(base_url=url, headers=account.headers) as api:
        created = await api.post(
            "/v1/sessions",
            json={
                "name": "support",
                "config": {"sandbox": {"auto_link": True, "ack_delivered_ms": 20}},
            },
        )
        assert created.status_code == 201, created.text
        session_id = str(created.json()["id"])

        async def status() -> str:
            return str((await api.get(f"/v1/sessions/{session_id}")).json()["status"])

        await eventually(status, lambda s: s == "WORKING", within=10)
        ids = []
        for _ in range(sent):
            message = await api.post(
                f"/v1/sessions/{session_id}/messages",
                json={"type": "text", "chat_id": READER, "text": "hi"},
            )
            assert message.status_code == 202, message.text
            ids.append(message.json()["id"])

        async def statuses() -> list[Any]:
            return [(await api.get(f"/v1/messages/{i}")).json()["status"] for i in ids]

        await eventually(statuses, lambda s: all(x in ("delivered", "read") for x in s), within=10)
    return session_id


async def test_the_operator_sees_accounts_and_hosts(
    page: Page, dashboard_url: str, watched: Watched, account: TestAccount
) -> None:
    session_id = await linked_session_with_messages(dashboard_url, account, 1)
    await page.goto(f"{dashboard_url}/dashboard/admin")
    await expect(page).to_have_url(f"{dashboard_url}/dashboard/admin/sign-in")
    await page.get_by_label("Admin token").fill("not the token")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_have_text("That is not the admin token.")
    # The refused sign-in is answered 401, which Chromium reports; that one is expected.
    assert watched.console_errors == [
        "Failed to load resource: the server responded with a status of 401 (Unauthorized)"
    ]
    watched.console_errors.clear()
    await page.get_by_label("Admin token").fill(ADMIN_TOKEN)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{dashboard_url}/dashboard/admin/accounts")
    row = page.locator(f'tr[data-account="{account.id}"]')
    await expect(row).to_contain_text("Browser Usage Co")
    await expect(row).to_contain_text("Free")
    await assert_loads_only_from(page, dashboard_url)
    await screenshot(page, "dashboard-admin-accounts.png")

    await page.get_by_role("link", name="Engine hosts").click()
    await expect(page).to_have_url(f"{dashboard_url}/dashboard/admin/hosts")
    lease = page.locator(f'tr[data-lease="{session_id}"]')
    await expect(lease).to_contain_text("WORKING")
    await expect(page.locator("tr[data-host]")).to_have_count(1)
    await screenshot(page, "dashboard-admin-hosts.png")
    assert ADMIN_TOKEN not in await page.content()

    # The other operator pages render too, each with a picture for the record.
    for link, slug, heading in (
        ("Queues", "queues", "Queues"),
        ("Failing webhooks", "webhooks", "Failing webhook endpoints"),
        ("Failed sessions", "sessions", "Sessions in FAILED"),
    ):
        await page.get_by_role("link", name=link, exact=True).click()
        await expect(page).to_have_url(f"{dashboard_url}/dashboard/admin/{slug}")
        await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        await screenshot(page, f"dashboard-admin-{slug}.png")
    watched.assert_clean()

    await page.get_by_role("button", name="Sign out of the operator view").click()
    await expect(page).to_have_url(f"{dashboard_url}/dashboard/admin/sign-in")
    watched.assert_clean()


async def test_a_customer_sees_the_usage_charts(
    page: Page, dashboard_url: str, watched: Watched, account: TestAccount
) -> None:
    await linked_session_with_messages(dashboard_url, account, 3)
    await page.goto(f"{dashboard_url}/dashboard")
    await page.get_by_label("API key").fill(account.key)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{dashboard_url}/dashboard/sessions")
    await page.get_by_role("link", name="Usage").click()
    await expect(page).to_have_url(f"{dashboard_url}/dashboard/usage")
    charts = page.get_by_role("img", name="Outbound messages per day, by status")
    await expect(charts).to_be_visible()
    await expect(page.locator("figure.chart svg")).to_have_count(3)
    bars = page.locator('[data-chart="messages-chart"] rect')
    assert await bars.count() >= 1
    box = await charts.bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] > 80
    await expect(
        page.get_by_role("img", name="Latency percentiles: queued → sent, then sent → delivered")
    ).to_be_visible()
    await expect(page.get_by_role("heading", name="Plan: Free")).to_be_visible()
    await assert_loads_only_from(page, dashboard_url)
    await screenshot(page, "dashboard-usage.png")
    await screenshot(page.locator('[data-chart="latency-chart"]'), "dashboard-usage-latency.png")

    await page.get_by_label("Period").select_option("7")
    await page.get_by_role("button", name="Show").click()
    await expect(page).to_have_url(f"{dashboard_url}/dashboard/usage?days=7")
    await page.get_by_text("Messages per day as a table").click()
    await expect(page.locator("#messages-table tbody tr")).to_have_count(7)
    watched.assert_clean()
