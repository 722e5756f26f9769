"""Shared by the browser tests: a real gateway served by uvicorn on 127.0.0.1, Debian's
Chromium driven by Playwright with no network but that address, and what a page must not
do (``Watched``).

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

from gateway.app import create_app
from gateway.config import Settings

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


async def screenshot(target: Page | Locator, name: str) -> None:
    """The viewport (the pages are too long for a useful full-page picture) or an element."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await target.screenshot(path=SCREENSHOTS / name)


# Every URL the page's elements load from (or would), wherever they came from.
_LOADED_URLS = """() => Array.from(
    document.querySelectorAll("script[src], link[href], img[src], iframe[src], source[src]"),
    (e) => e.src || e.href,
)"""


async def assert_loads_only_from(page: Page, origin: str) -> None:
    urls: list[str] = await page.evaluate(_LOADED_URLS)
    outside = [url for url in urls if not url.startswith((origin + "/", "data:", "blob:"))]
    assert urls, "the page loaded nothing"
    assert outside == [], f"elements loading from elsewhere: {outside}"
