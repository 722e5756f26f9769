"""A worker process rides out a Redis restart instead of exiting."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from arq.connections import RedisSettings, create_pool
from redis.asyncio import Redis

from gateway.config import Settings
from gateway.runtime.embedded import EmbeddedRedis
from gateway.worker import QUEUE_NAME
from tests.engines.test_takeover import start_worker, stop
from tests.waiting import eventually


@pytest.mark.timeout(60)
async def test_worker_survives_a_redis_restart(settings: Settings, tmp_path: Path) -> None:
    redis = EmbeddedRedis(tmp_path)
    own = settings.model_copy(update={"redis_url": await asyncio.to_thread(redis.start)})
    worker = start_worker(own)
    probe = Redis.from_url(str(own.redis_url))
    try:
        # Started and polling its queue: arq records its health on its first poll. (A fixed
        # wait was too short on a loaded machine, where the worker's start-up alone takes
        # seconds and Redis went away before it had connected.)
        await eventually(
            lambda: probe.exists(f"{QUEUE_NAME}:health-check"), bool, within=40, every=0.2
        )
        await probe.aclose()
        await asyncio.to_thread(redis.stop)
        # Longer than arq's own connection retries (about five seconds) absorb.
        await asyncio.sleep(8)
        assert worker.poll() is None, "the worker exited while Redis was down"
        await asyncio.to_thread(redis.start)
        # Still working: a job pushed now is run.
        pool = await create_pool(
            RedisSettings.from_dsn(str(own.redis_url)), default_queue_name=QUEUE_NAME
        )
        try:
            job = await pool.enqueue_job("purge_idempotency_keys")
            assert job is not None
            assert await job.result(timeout=15) == 0
        finally:
            await pool.aclose(close_connection_pool=True)
        assert worker.poll() is None
    finally:
        stop(worker)
        if redis.process is not None:
            await asyncio.to_thread(redis.stop)
