"""The API reference pages in a real browser, with no network but the gateway's own.

Debian's Chromium (``make browser`` installs it) is driven by Playwright against a real
gateway served over HTTP on 127.0.0.1. Every request the pages make is routed: one to any
other host is aborted and fails the test, so a page that still needs a CDN cannot pass.
Content-Security-Policy violations and script errors fail it too.
"""

from __future__ import annotations

from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.browser.conftest import Watched, assert_loads_only_from, screenshot
from tests.factories import create_account


async def test_swagger_ui_calls_the_api_with_an_api_key(
    page: Page,
    gateway_url: str,
    watched: Watched,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await create_account(sessionmaker, name="Browser Co")

    response = await page.goto(f"{gateway_url}/docs")
    assert response is not None
    assert response.status == 200
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp

    await expect(page.locator(".opblock-tag", has_text="Sessions").first).to_be_visible()
    operation = page.locator("#operations-Account-retrieve_account")
    await expect(operation.locator(".opblock-summary-method")).to_have_text("GET")
    await expect(operation.locator(".opblock-summary-path")).to_have_text("/v1/account")

    # Authorize with the X-Api-Key scheme (the Bearer one is offered beside it).
    await page.locator(".auth-wrapper button.authorize").click()
    dialog = page.locator(".dialog-ux .modal-ux")
    await expect(dialog.get_by_text("BearerAuth")).to_be_visible()
    api_key = dialog.locator(".auth-container", has_text="ApiKeyAuth")
    await api_key.get_by_label("Value").fill(account.key)
    await api_key.locator("button.authorize", has_text="Authorize").click()
    await expect(api_key.locator("button", has_text="Logout")).to_be_visible()
    await api_key.locator("button.btn-done", has_text="Close").click()
    await expect(dialog).to_be_hidden()

    await operation.locator(".opblock-summary").first.click()
    await operation.get_by_role("button", name="Try it out").click()
    await operation.get_by_role("button", name="Execute").click()

    live = operation.locator(".live-responses-table tr.response")
    await expect(live.locator(".response-col_status")).to_have_text("200")
    await expect(live.locator(".response-col_description")).to_contain_text(account.id)
    # The options kept from FastAPI's page, and the request snippets.
    await expect(operation.get_by_text("Request duration")).to_be_visible()
    await expect(operation.locator(".request-snippets")).to_contain_text("X-Api-Key")

    await screenshot(operation, "docs-try-it-out.png")
    await page.evaluate("window.scrollTo(0, 0)")
    await screenshot(page, "docs.png")
    await assert_loads_only_from(page, gateway_url)
    watched.assert_clean()


async def test_redoc_renders_the_operations(page: Page, gateway_url: str, watched: Watched) -> None:
    response = await page.goto(f"{gateway_url}/redoc")
    assert response is not None
    assert response.status == 200
    assert "worker-src blob:" in response.headers["content-security-policy"]

    operation = page.locator("[data-section-id='operation/retrieve_account']")
    await expect(operation.get_by_role("heading", name="Retrieve Account")).to_be_visible()
    await expect(operation).to_contain_text("/v1/account")
    await expect(page.locator(".menu-content").get_by_text("Sessions").first).to_be_visible()

    await screenshot(page, "redoc.png")
    await assert_loads_only_from(page, gateway_url)
    watched.assert_clean()
