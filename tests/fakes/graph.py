"""The fake Graph API served on 127.0.0.1 by uvicorn inside the running event loop.

async with serving_graph() as graph:
    number = graph.fake.add_number(webhook_url=receiver.url("/hook"))
    httpx.post(graph.url(f"/v21.0/{number.phone_number_id}/messages"), ...)
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import uvicorn

from gateway.fakes.graph import FakeGraph, FakeNumber, create_app

VERSION = "v21.0"


class _Server(uvicorn.Server):
    # The test process owns the signals; uvicorn must not take Ctrl-C from pytest.
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def main_loop(self) -> None:
        # uvicorn looks at should_exit every 0.1 s; a server per test stops sooner than that
        # (its ticks only refresh the Date header, which no test reads).
        while not self.should_exit:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
            await asyncio.sleep(0.005)


@dataclass(frozen=True)
class GraphHandle:
    base_url: str
    fake: FakeGraph

    def url(self, path: str, version: str = VERSION) -> str:
        """``/123/messages`` → ``http://127.0.0.1:port/v21.0/123/messages``."""
        return f"{self.base_url}/{version}/{path.lstrip('/')}"

    def auth(self, number: FakeNumber) -> dict[str, str]:
        return {"Authorization": f"Bearer {number.access_token}"}


@contextlib.asynccontextmanager
async def serving_graph(
    fake: FakeGraph | None = None, **options: Any
) -> AsyncIterator[GraphHandle]:
    """Serve ``fake`` (or a new ``FakeGraph(**options)``); close both when the block ends."""
    fake = fake or FakeGraph(**options)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(fake),
        log_config=None,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            await task  # raises the start-up failure
        await asyncio.sleep(0.01)
    try:
        yield GraphHandle(f"http://127.0.0.1:{port}", fake)
    finally:
        await fake.aclose()  # first: it releases sends that hang, or shutdown would wait
        server.should_exit = True
        await task
        sock.close()
