"""The event log and the webhook pages in a real browser: an endpoint pointing at a local
receiver that fails, its failed attempts in the delivery log, the receiver fixed, a retry
that succeeds; and the event log showing a new event without a reload. A real arq worker
delivers, against the served gateway's Redis and database."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.worker import create_worker
from tests.browser.conftest import Watched, assert_loads_only_from, screenshot, serving_gateway
from tests.browser.test_dashboard import sign_in
from tests.factories import TestAccount, create_account
from tests.local_http import Recorded, Reply, serving


@pytest.fixture
def webhook_settings(settings: Settings) -> Settings:
    # The receiver is on 127.0.0.1; one attempt per delivery, so a failure is final at once.
    return settings.model_copy(
        update={
            "allow_private_targets": True,
            "webhook_retry_schedule": [0],
            "stream_heartbeat_seconds": 0.5,
        }
    )


@pytest.fixture
async def webhooks_url(webhook_settings: Settings) -> AsyncIterator[str]:
    async with serving_gateway(webhook_settings) as url:
        yield url


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker, name="Browser Webhooks Co")


async def deliver_queued(settings: Settings) -> None:
    """Run the queued delivery jobs to the end, as a worker process does."""
    worker = create_worker(settings, burst=True, cron_jobs=[], handle_signals=False)
    try:
        await worker.async_run()
    finally:
        await worker.close()


async def assert_fits_a_phone(page: Page, url: str) -> None:
    """At a phone's width the page scrolls down, never sideways."""
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(url)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{url} is {width}px wide on a phone"
    await page.set_viewport_size({"width": 1280, "height": 900})


class Switchable:
    """A receiver answering 500 until it is fixed, then 204."""

    def __init__(self) -> None:
        self.fixed = False

    def __call__(self, _: Recorded) -> Reply:
        return Reply(204) if self.fixed else Reply(500, b"<h1>receiver broken</h1>")


async def test_a_failing_receiver_is_fixed_and_the_retry_succeeds(
    page: Page,
    webhooks_url: str,
    webhook_settings: Settings,
    watched: Watched,
    account: TestAccount,
) -> None:
    receiver = Switchable()
    with serving(fallback=receiver) as server:
        await sign_in(page, webhooks_url, account.key)
        await page.get_by_role("link", name="Webhooks").click()
        await expect(page.get_by_text("No webhook endpoints yet.")).to_be_visible()

        await page.get_by_label("URL").fill(server.url("/hook"))
        await page.get_by_label("Description (optional)").fill("orders")
        await page.get_by_role("button", name="Add endpoint").click()
        secret = page.get_by_label("The endpoint's signing secret")
        await expect(secret).to_have_text(re.compile(r"^whsec_"))
        endpoint_url = page.url  # the POST's answer: the address is the list's
        endpoint_id = (await page.locator("p.muted code").nth(1).text_content()) or ""
        assert endpoint_id.startswith("whk_")

        await page.get_by_role("button", name="Send a test event").click()
        await expect(page.get_by_text("Test event sent")).to_be_visible()
        await deliver_queued(webhook_settings)
        await page.reload()
        row = page.locator("[data-delivery]").first
        await expect(row.locator("[data-delivery-status]")).to_have_text("failed")
        await expect(row.get_by_text("HTTP 500")).to_be_visible()
        await screenshot(page, "dashboard-webhook-deliveries.png")

        await row.get_by_role("link").click()
        attempt = page.locator("[data-attempt]")
        await expect(attempt).to_have_count(1)
        await expect(attempt.locator("[data-attempt-status]")).to_have_text("500")
        # The receiver's markup is shown as text, not rendered.
        await expect(attempt.get_by_text("<h1>receiver broken</h1>")).to_be_visible()
        await expect(page.locator("main h1").filter(has_text="receiver broken")).to_have_count(0)

        receiver.fixed = True
        await page.get_by_role("button", name="Retry now").click()
        await expect(page.get_by_text("Sending the delivery again now.")).to_be_visible()
        await deliver_queued(webhook_settings)
        await page.reload()
        await expect(page.locator("main h1 [data-delivery-status]")).to_have_text("succeeded")
        await expect(attempt).to_have_count(2)
        await expect(attempt.nth(1).locator("[data-attempt-status]")).to_have_text("204")
        assert [r.path for r in server.requests] == ["/hook", "/hook"]

    await page.goto(f"{webhooks_url}/dashboard/webhooks")
    await expect(page.locator(f'[data-endpoint="{endpoint_id}"]')).to_be_visible()
    await screenshot(page, "dashboard-webhooks.png")
    await assert_fits_a_phone(page, f"{webhooks_url}/dashboard/webhooks/{endpoint_id}")
    assert endpoint_url.endswith("/dashboard/webhooks")
    await assert_loads_only_from(page, webhooks_url)
    watched.assert_clean()


async def test_the_event_log_shows_a_new_event_without_a_reload(
    page: Page, webhooks_url: str, watched: Watched, account: TestAccount
) -> None:
    async with httpx.AsyncClient(base_url=webhooks_url, headers=account.headers) as api:
        created = await api.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"})
        assert created.status_code == 201, created.text
        endpoint: dict[str, Any] = created.json()
        first = await api.post(f"/v1/webhooks/{endpoint['id']}/test")
        assert first.status_code == 202

        await sign_in(page, webhooks_url, account.key)
        await page.get_by_role("link", name="Events").click()
        rows = page.locator("[data-event]")
        await expect(rows).to_have_count(1)
        await expect(page.get_by_role("status").filter(has_text="Live:")).to_be_visible()
        await page.evaluate("window.__same_page = true")

        second = await api.post(f"/v1/webhooks/{endpoint['id']}/test")
        assert second.status_code == 202
        event_id = second.json()["event_id"]

    newest = page.locator(f'[data-event="{event_id}"]')
    await expect(rows).to_have_count(2)
    await expect(rows.first).to_have_attribute("data-event", event_id)
    await expect(newest.get_by_text("webhook.test", exact=True)).to_be_visible()
    assert await page.evaluate("window.__same_page") is True
    await newest.get_by_text("Show JSON").click()
    await expect(newest.locator("pre")).to_contain_text('"type": "webhook.test"')
    await screenshot(page, "dashboard-events.png")

    # Filtered to another type, the live page leaves it out.
    await page.get_by_label("Type", exact=True).select_option("session.status")
    await page.get_by_role("button", name="Filter").click()
    await expect(page.get_by_text("No events match these filters.")).to_be_visible()
    await assert_fits_a_phone(page, page.url)
    await assert_loads_only_from(page, webhooks_url)
    watched.assert_clean()
