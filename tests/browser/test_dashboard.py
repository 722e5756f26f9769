"""The dashboard in a real browser: signing in, a sandbox session linked and messaged
while the page watches, API keys, and a revoked key refused. The gateway is served by
uvicorn with an engine host beside it, as ``gateway up`` runs them; the page may reach
127.0.0.1 only, and a script error or a policy violation fails the test."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from tests.browser.conftest import Watched, assert_loads_only_from, screenshot, serving_gateway
from tests.conftest import HOST_TIMINGS, running_host
from tests.factories import TestAccount, create_account

# The sandbox contact that reads what it is sent (docs/messages.md: magic numbers).
READER = "+12025550123"


@pytest.fixture
def dashboard_settings(settings: Settings) -> Settings:
    # A short heartbeat: an open page learns within it that its key was revoked.
    return settings.model_copy(update={**HOST_TIMINGS, "stream_heartbeat_seconds": 0.5})


@pytest.fixture
async def dashboard_url(dashboard_settings: Settings) -> AsyncIterator[str]:
    async with running_host(dashboard_settings), serving_gateway(dashboard_settings) as url:
        yield url


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker, name="Browser Dashboard Co")


async def sign_in(page: Page, url: str, key: str, *, picture: bool = False) -> None:
    await page.goto(f"{url}/dashboard")
    await expect(page).to_have_url(f"{url}/dashboard/sign-in")
    await page.get_by_label("API key").fill(key)
    if picture:
        await screenshot(page, "dashboard-sign-in.png")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{url}/dashboard/sessions")
    await expect(page.get_by_text("Test mode")).to_be_visible()


async def test_a_session_is_created_linked_and_messaged_live(
    page: Page, dashboard_url: str, watched: Watched, account: TestAccount
) -> None:
    await sign_in(page, dashboard_url, account.key, picture=True)
    await expect(page.get_by_text("No sessions yet.")).to_be_visible()

    await page.get_by_label("Name", exact=True).fill("support")
    await page.get_by_role("button", name="Create session").click()
    await expect(page).to_have_url(re.compile(r"/dashboard/sessions/ses_\w+\?done=created$"))
    session_id = page.url.rsplit("/", 1)[1].split("?")[0]

    qr = page.get_by_role("img", name="QR code to link session support")
    await expect(qr).to_be_visible()
    await expect(page.get_by_role("status").filter(has_text="Live:")).to_be_visible()
    # Loaded and decoded: a PNG of the code, not a broken image.
    await page.wait_for_function(
        "img => img.complete && img.naturalWidth > 100", arg=await qr.element_handle()
    )
    await screenshot(page, "dashboard-session-qr.png")

    # The page is not reloaded from here on: a mark on it must survive.
    await page.evaluate("window.__same_page = true")
    async with httpx.AsyncClient(base_url=dashboard_url, headers=account.headers) as api:
        linked = await api.post(f"/v1/sandbox/sessions/{session_id}/link")
        assert linked.status_code == 200, linked.text
    status = page.locator(f'[data-session-status="{session_id}"]').first
    await expect(status).to_have_text("WORKING")
    await expect(qr).to_be_hidden()
    await expect(page.get_by_text(linked.json()["phone_number"])).to_be_visible()
    assert await page.evaluate("window.__same_page === true")

    await page.reload()  # the chats list shows once WORKING
    await page.get_by_label("To (phone number or chat id)").fill(READER)
    await page.get_by_label("Text", exact=True).fill("Hello from the browser")
    await page.get_by_role("button", name="Send").click()
    await expect(page.get_by_text("Message queued.")).to_be_visible()
    row = page.locator("tr", has_text="Hello from the browser")
    await expect(row.locator("[data-message-status]")).to_have_text("read")

    # One sent through the API while the page is open shows up on it, and is read.
    await page.evaluate("window.__same_page = true")
    async with httpx.AsyncClient(base_url=dashboard_url, headers=account.headers) as api:
        sent = await api.post(
            f"/v1/sessions/{session_id}/messages",
            json={"type": "text", "chat_id": READER, "text": "Sent from the <b>API</b>"},
        )
        assert sent.status_code == 202, sent.text
    row = page.locator(f'tr[data-message="{sent.json()["id"]}"]')
    await expect(row).to_contain_text("text: Sent from the <b>API</b>")
    await expect(row.locator("[data-message-status]")).to_have_text("read")
    assert await page.evaluate("window.__same_page === true")
    unlabelled = await page.evaluate(
        """() => Array.from(document.querySelectorAll("input, select, textarea, button"))
            .filter((e) => e.type !== "hidden" && !(e.labels && e.labels.length)
                && !e.getAttribute("aria-label") && !(e.textContent || "").trim())
            .map((e) => e.outerHTML)"""
    )
    assert unlabelled == []
    await screenshot(page, "dashboard-session.png")

    await page.get_by_role("link", name="← Sessions").click()
    await expect(page.locator(f'[data-session-status="{session_id}"]')).to_have_text("WORKING")
    await screenshot(page, "dashboard-sessions.png")
    await page.set_viewport_size({"width": 390, "height": 844})
    await expect(page.get_by_role("link", name="support")).to_be_visible()
    overflow = await page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "the sessions page scrolls sideways on a phone"
    await screenshot(page, "dashboard-sessions-390.png")

    await assert_loads_only_from(page, dashboard_url)
    watched.assert_clean()


async def test_keys_are_created_shown_once_and_revoked(
    page: Page, dashboard_url: str, watched: Watched, account: TestAccount
) -> None:
    await sign_in(page, dashboard_url, account.key)
    await page.get_by_role("link", name="API keys").click()
    await expect(page.get_by_role("heading", name="API keys", level=1)).to_be_visible()

    await page.get_by_label("Name", exact=True).fill("ci key")
    await page.get_by_role("button", name="Create key").click()
    secret = page.get_by_label("The new API key")
    await expect(secret).to_have_text(re.compile(r"^gw_test_\w{36}$"))
    new_key = (await secret.text_content() or "").strip()
    await screenshot(page, "dashboard-api-keys-created.png")
    async with httpx.AsyncClient(base_url=dashboard_url) as api:
        works = await api.get("/v1/account", headers={"Authorization": f"Bearer {new_key}"})
        assert works.status_code == 200

        page.once("dialog", lambda dialog: dialog.accept())
        await page.get_by_role("button", name="Revoke ci key").click()
        await expect(page.get_by_text("Key revoked")).to_be_visible()
        await expect(page.locator("tr", has_text="ci key")).to_contain_text("revoked")
        await expect(page.get_by_text(new_key)).to_have_count(0)  # shown once only
        refused = await api.get("/v1/account", headers={"Authorization": f"Bearer {new_key}"})
        assert refused.status_code == 401
    await screenshot(page, "dashboard-api-keys.png")
    await assert_loads_only_from(page, dashboard_url)
    watched.assert_clean()


async def test_a_revoked_key_is_refused_by_the_open_page(
    page: Page, dashboard_url: str, watched: Watched, account: TestAccount
) -> None:
    # Signed in with the keyboard alone, each focused element visibly marked.
    await page.goto(f"{dashboard_url}/dashboard/sign-in")
    for target in (
        page.get_by_role("link", name="Skip to content"),
        page.get_by_role("link", name="Gateway"),
        page.get_by_label("API key"),
    ):
        await page.keyboard.press("Tab")
        await expect(target).to_be_focused()
        outline = await target.evaluate("e => getComputedStyle(e).outlineStyle")
        assert outline != "none"
    await page.keyboard.type(account.key)
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"{dashboard_url}/dashboard/sessions")
    await expect(page.get_by_role("status").filter(has_text="Live:")).to_be_visible()
    async with httpx.AsyncClient(base_url=dashboard_url, headers=account.headers) as api:
        revoked = await api.post(f"/v1/api-keys/{account.key_id}/revoke")
        assert revoked.status_code == 200
    # The open page is sent to the sign-in page, and says why.
    await expect(page).to_have_url(f"{dashboard_url}/dashboard/sign-in?expired=1")
    await expect(page.get_by_role("alert")).to_contain_text("Your sign-in ended")
    await page.goto(f"{dashboard_url}/dashboard/sessions")
    await expect(page).to_have_url(re.compile(r"/dashboard/sign-in"))
    await screenshot(page, "dashboard-signed-out.png")
    watched.assert_clean()
