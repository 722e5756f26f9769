"""The API reference pages in a real browser, with no network but the gateway's own.

Debian's Chromium (``make browser`` installs it) is driven by Playwright against a real
gateway served over HTTP on 127.0.0.1. Every request the pages make is routed: one to any
other host is aborted and fails the test, so a page that still needs a CDN cannot pass.
Content-Security-Policy violations and script errors fail it too.

Without Chromium at /usr/bin/chromium the tests fail, naming ``make browser``; only
``GATEWAY_TEST_SKIP_BROWSER=1`` turns that into a skip (for a hand run of pytest).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Locator,
    Page,
    Route,
    async_playwright,
    expect,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.config import Settings
from tests.factories import create_account

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_VARIABLE = "GATEWAY_TEST_SKIP_BROWSER"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
ALLOWED_HOST = "127.0.0.1"
# Each step waits at most this long (ms): the pages render in well under a second here.
STEP_TIMEOUT = 15_000
expect.set_options(timeout=STEP_TIMEOUT)


class _Server(uvicorn.Server):
    # The test process owns the signals; uvicorn must not take Ctrl-C from pytest.
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def main_loop(self) -> None:
        while not self.should_exit:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
            await asyncio.sleep(0.005)


@contextlib.asynccontextmanager
async def serving_gateway(settings: Settings) -> AsyncIterator[str]:
    """The gateway app, lifespan and all, over HTTP on a free port of 127.0.0.1."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((ALLOWED_HOST, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings),
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=2,
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                await task  # raises the start-up failure
                pytest.fail("the gateway stopped while starting")
            await asyncio.sleep(0.01)
        yield f"http://{ALLOWED_HOST}:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


def _require_chromium() -> None:
    """Chromium is there, or the test fails; it skips only when asked to."""
    if CHROMIUM.exists():
        return
    message = f"no Chromium at {CHROMIUM}: run `make browser` (Debian's chromium package)"
    if os.environ.get(SKIP_VARIABLE) == "1":
        pytest.skip(f"{message}; skipped because {SKIP_VARIABLE}=1")
    pytest.fail(f"{message}, or set {SKIP_VARIABLE}=1 to skip the browser tests")


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    _require_chromium()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


@dataclass
class Watched:
    """What a page did that it must not: requests elsewhere, CSP violations, script errors."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.blocked == [], f"requests to other hosts: {self.blocked}"
        assert self.page_errors == [], f"script errors: {self.page_errors}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"


@pytest.fixture
async def gateway_url(settings: Settings) -> AsyncIterator[str]:
    async with serving_gateway(settings) as url:
        yield url


@pytest.fixture
async def watched() -> Watched:
    return Watched()


@pytest.fixture
async def context(browser: Browser, watched: Watched) -> AsyncIterator[BrowserContext]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP_TIMEOUT)

    async def only_loopback(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == ALLOWED_HOST:
            await route.continue_()
        else:
            watched.blocked.append(url)
            await route.abort("blockedbyclient")

    await context.route("**/*", only_loopback)
    try:
        yield context
    finally:
        await context.close()


@pytest.fixture
async def page(context: BrowserContext, watched: Watched) -> Page:
    page = await context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watched.console_errors.append(message.text)

    def on_page_error(error: Error) -> None:
        watched.page_errors.append(str(error))

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return page


async def _screenshot(target: Page | Locator, name: str) -> None:
    """The viewport (the pages are too long for a useful full-page picture) or an element."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await target.screenshot(path=SCREENSHOTS / name)


# Every URL the page's elements load from (or would), wherever they came from.
_LOADED_URLS = """() => Array.from(
    document.querySelectorAll("script[src], link[href], img[src], iframe[src], source[src]"),
    (e) => e.src || e.href,
)"""


async def _assert_loads_only_from(page: Page, origin: str) -> None:
    urls: list[str] = await page.evaluate(_LOADED_URLS)
    outside = [url for url in urls if not url.startswith((origin + "/", "data:", "blob:"))]
    assert urls, "the page loaded nothing"
    assert outside == [], f"elements loading from elsewhere: {outside}"


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

    await _screenshot(operation, "docs-try-it-out.png")
    await page.evaluate("window.scrollTo(0, 0)")
    await _screenshot(page, "docs.png")
    await _assert_loads_only_from(page, gateway_url)
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

    await _screenshot(page, "redoc.png")
    await _assert_loads_only_from(page, gateway_url)
    watched.assert_clean()
