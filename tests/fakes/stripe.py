"""The fake Stripe API served on 127.0.0.1 by uvicorn inside the running event loop.

async with serving_stripe(webhook_url=receiver.url("/stripe")) as stripe_fake:
    client = stripe_fake.client()              # the real library, pointed at the fake
    price = stripe_fake.fake.add_price(unit_amount=2900)
    session = await client.v1.checkout.sessions.create_async({...})
    await stripe_fake.fake.complete_checkout(session.id)   # sends the signed events
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import stripe
import uvicorn

from gateway.billing.stripe_api import HTTPXClient
from gateway.fakes.stripe import FakeStripe, create_app


class _Server(uvicorn.Server):
    # The test process owns the signals; uvicorn must not take Ctrl-C from pytest.
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def main_loop(self) -> None:
        while not self.should_exit:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
            await asyncio.sleep(0.005)


@dataclass(frozen=True)
class StripeHandle:
    base_url: str
    fake: FakeStripe
    http_clients: list[HTTPXClient] = field(default_factory=list)

    @property
    def api_key(self) -> str:
        return self.fake.api_key

    @property
    def webhook_secret(self) -> str:
        return self.fake.webhook_secret

    def client(self, api_key: str | None = None, **options: Any) -> stripe.StripeClient:
        """The real ``stripe`` library aimed at the fake. Use its ``*_async`` methods: a sync
        call would block the event loop the fake is served from."""
        http_client = HTTPXClient()
        self.http_clients.append(http_client)  # closed when the fake stops serving
        return stripe.StripeClient(
            api_key or self.fake.api_key,
            base_addresses={"api": self.base_url},
            http_client=http_client,
            max_network_retries=0,
            **options,
        )


@contextlib.asynccontextmanager
async def serving_stripe(
    fake: FakeStripe | None = None, **options: Any
) -> AsyncIterator[StripeHandle]:
    """Serve ``fake`` (or a new ``FakeStripe(**options)``, e.g. ``webhook_url=…``) on a free
    port; close both when the block ends."""
    fake = fake or FakeStripe(**options)
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
    handle = StripeHandle(f"http://127.0.0.1:{port}", fake)
    try:
        yield handle
    finally:
        for http_client in handle.http_clients:
            await http_client.close_async()
        await fake.aclose()
        server.should_exit = True
        await task
        sock.close()
