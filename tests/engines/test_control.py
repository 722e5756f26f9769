"""Calls from the API to the engine host that holds a session: a host whose job fails
answers the caller a 502 in the envelope, not the host's exception."""

from __future__ import annotations

import pytest
from arq.connections import ArqRedis

from gateway.config import Settings
from gateway.engines.base import EngineFailure
from gateway.engines.control import call_host
from tests.conftest import running_host


async def test_a_job_that_fails_on_the_host_is_a_502(
    host_settings: Settings, arq_redis: ArqRedis
) -> None:
    async with running_host(host_settings) as host:
        # A function this host does not have (as during a rolling upgrade): arq fails the
        # job on the host, and its result is that failure.
        with pytest.raises(EngineFailure) as caught:
            await call_host(arq_redis, host.id, "no_such_host_function", wait_seconds=5)
    assert caught.value.status_code == 502
    assert caught.value.code == "engine_failure"
    assert "failed to answer" in caught.value.message
