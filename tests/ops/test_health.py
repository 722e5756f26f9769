from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import httpx

from gateway.app import create_app
from gateway.config import Settings
from gateway.runtime.embedded import EmbeddedRedis
from tests.conftest import running


async def test_healthz_and_readyz(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"postgres": "ok", "redis": "ok"}


async def test_readyz_is_503_when_redis_is_down(settings: Settings, tmp_path: Path) -> None:
    # A Redis of this test's own, so stopping it harms no other test.
    own_redis = EmbeddedRedis(tmp_path)
    url = await asyncio.to_thread(own_redis.start)
    try:
        app = create_app(settings.model_copy(update={"redis_url": url}))
        async with running(app) as client:
            assert (await client.get("/readyz")).status_code == 200
            await asyncio.to_thread(own_redis.stop)
            response = await client.get("/readyz")
            assert response.status_code == 503
            body = response.json()
            assert body["checks"]["postgres"] == "ok"
            assert body["checks"]["redis"].startswith("unreachable")
            assert body["error"]["code"] == "not_ready"
            assert body["error"]["request_id"] == response.headers["request-id"]
            assert (await client.get("/healthz")).status_code == 200
    finally:
        if own_redis.process is not None:
            own_redis.process.kill()
            own_redis.process.wait()


def test_embedded_redis_keeps_data_across_restarts(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path)
    url = server.start()
    port = url.rsplit(":", 1)[1].split("/")[0]
    cli = [str(server.binary.parent / "redis-cli"), "-p", port]
    subprocess.run([*cli, "SET", "k", "v"], check=True, capture_output=True)  # noqa: S603
    server.stop()
    url = server.start()
    port = url.rsplit(":", 1)[1].split("/")[0]
    cli = [str(server.binary.parent / "redis-cli"), "-p", port]
    value = subprocess.run([*cli, "GET", "k"], check=True, capture_output=True, text=True)  # noqa: S603
    server.stop()
    assert value.stdout.strip() == "v"
