"""The suite runs against one live gateway (``gateway up`` in a subprocess) for the whole
run; tests share a client on its first key and one linked sandbox session."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from live_gateway import LiveGateway, start_gateway
from support import linked_session

from gateway_sdk import Gateway


@pytest.fixture(scope="session")
def live() -> Iterator[LiveGateway]:
    gateway = start_gateway()
    try:
        yield gateway
    finally:
        gateway.stop()


@pytest.fixture(scope="session")
def gw(live: LiveGateway) -> Iterator[Gateway]:
    with Gateway(api_key=live.api_key, base_url=live.base_url) as client:
        yield client


@pytest.fixture(scope="session")
def session_id(gw: Gateway) -> str:
    """A sandbox session linked once for the run, WORKING from then on."""
    return linked_session(gw, f"sdk-{secrets.token_hex(3)}").id


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
