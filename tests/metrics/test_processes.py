"""/metrics of the processes as the commands start them: `gateway up` serves the worker's
metrics beside the API's, and a scrape while Redis is down is answered without the
deployment-wide gauges rather than failing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from gateway.app import create_app
from gateway.config import Settings
from gateway.runtime.embedded import EmbeddedRedis, free_port
from tests.conftest import running
from tests.metrics.scraping import Scrape, parse
from tests.waiting import eventually

GATEWAY = str(Path(sys.executable).with_name("gateway"))


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as stderr:
        return subprocess.Popen(  # noqa: S603
            [GATEWAY, *command], env=env, stdout=subprocess.DEVNULL, stderr=stderr, cwd=log.parent
        )


@pytest.mark.timeout(90)
async def test_gateway_up_serves_the_workers_metrics_on_the_apis(
    settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env.update(
        GATEWAY_DATABASE_URL=str(settings.database_url),
        GATEWAY_REDIS_URL=str(settings.redis_url),
        GATEWAY_SECRET_KEY=str(settings.secret_key),
        GATEWAY_PORT=str(port),
        GATEWAY_DATA_DIR=str(tmp_path),
        GATEWAY_LOG_LEVEL="WARNING",
    )
    log = tmp_path / "up.log"
    process = start(["up"], env, log)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:

            async def scrape() -> Scrape | None:
                try:
                    response = await client.get("/metrics")
                except httpx.TransportError:
                    assert process.poll() is None, log.read_text()[-2000:]
                    return None
                assert response.status_code == 200, response.text
                return parse(response.text)

            result = await eventually(scrape, lambda s: s is not None, within=60, every=0.2)
            assert result is not None
            # The API's own, the deployment's, and the worker's, from one process.
            assert {
                "gateway_http_requests",
                "gateway_sessions",
                "gateway_queue_jobs",
                "gateway_webhook_deliveries",
                "gateway_engine_errors",
                "gateway_lease_takeovers",
            } <= result.families.keys()
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    assert process.returncode == 0, log.read_text()[-2000:]


async def test_a_scrape_while_redis_is_down_answers_without_the_state(
    settings: Settings, tmp_path: Path
) -> None:
    # A Redis of this test's own, so stopping it harms no other test.
    own_redis = EmbeddedRedis(tmp_path)
    url = await asyncio.to_thread(own_redis.start)
    try:
        app = create_app(settings.model_copy(update={"redis_url": url, "metrics_state_seconds": 0}))
        async with running(app) as client:
            up = parse((await client.get("/metrics")).text)
            assert "gateway_sessions" in up.families
            await asyncio.to_thread(own_redis.stop)
            response = await client.get("/metrics")
            assert response.status_code == 200
            down = parse(response.text)
            assert "gateway_sessions" not in down.families
            assert "gateway_queue_jobs" not in down.families
            assert down.value("gateway_metrics_state_failures_total") == 1
            # What the process counts is still there.
            assert (
                down.value(
                    "gateway_http_requests_total", method="GET", route="/metrics", status="200"
                )
                == 1
            )
    finally:
        if own_redis.process is not None:
            own_redis.process.kill()
            own_redis.process.wait()
