"""The contract tests share one live gateway per module (``live.py``): its data must last
across the fuzzed operations, so the per-test reset of ``tests/conftest.py`` is replaced
here by the one reset the gateway makes before it starts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gateway.config import Settings
from tests.contract.live import LiveGateway, RunningGateway


@pytest.fixture(autouse=True)
def clean_state() -> None:
    """Replaces the per-test reset: ``live_gateway`` resets once, before it starts."""


@pytest.fixture(scope="module")
def live_gateway(settings: Settings) -> Iterator[LiveGateway]:
    gateway = RunningGateway(settings)
    try:
        yield gateway.live
    finally:
        gateway.stop()
