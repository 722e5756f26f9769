"""A standalone `gateway worker` serves what it counts on a listener of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.runtime.embedded import free_port
from tests.factories import create_account, create_session, session_in_status
from tests.metrics.scraping import Scrape, parse
from tests.waiting import eventually

GATEWAY = str(Path(sys.executable).with_name("gateway"))
TOKEN = "worker-metrics-token-" + "w" * 32
NOT_ON_WHATSAPP = "+12025550101"


def start_worker(settings: Settings, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env.update(
        GATEWAY_DATABASE_URL=str(settings.database_url),
        GATEWAY_REDIS_URL=str(settings.redis_url),
        GATEWAY_SECRET_KEY=str(settings.secret_key),
        GATEWAY_HOST_RECONCILE_SECONDS="0.2",
        GATEWAY_LOG_LEVEL="WARNING",
        GATEWAY_WORKER_METRICS_PORT=str(port),
        GATEWAY_METRICS_TOKEN=TOKEN,
    )
    with log.open("wb") as stderr:
        return subprocess.Popen(  # noqa: S603
            [GATEWAY, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )


@pytest.mark.timeout(90)
async def test_a_standalone_worker_serves_its_engine_errors_on_its_own_port(
    client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    port = free_port()
    log = tmp_path / "worker.log"
    worker = start_worker(settings, port, log)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=5) as listener:

            async def scrape() -> Scrape | None:
                try:
                    response = await listener.get(
                        "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
                    )
                except httpx.TransportError:
                    assert worker.poll() is None, log.read_text()[-2000:]
                    return None  # not listening yet
                assert response.status_code == 200, response.text
                return parse(response.text)

            first = await eventually(scrape, lambda s: s is not None, within=30, every=0.2)
            assert first is not None
            # What the worker counts is there before anything happened, at zero.
            assert first.value("gateway_lease_takeovers_total") == 0
            assert {"gateway_webhook_deliveries", "gateway_engine_errors"} <= first.families.keys()
            assert first.has("process_resident_memory_bytes")
            # The deployment-wide gauges come from the API, not from every worker.
            assert "gateway_sessions" not in first.families
            assert "gateway_http_requests" not in first.families

            account = await create_account(sessionmaker)
            session = await create_session(client, account, auto_link=True)
            await session_in_status(client, account, session["id"], "WORKING", within=30)
            sent = await client.post(
                f"/v1/sessions/{session['id']}/messages",
                headers=account.headers,
                json={"type": "text", "chat_id": NOT_ON_WHATSAPP, "text": "hello"},
            )
            assert sent.status_code == 202, sent.text
            errors = {"engine": "sandbox", "kind": "recipient_not_on_whatsapp"}

            async def counted() -> float:
                result = await scrape()
                return result.value("gateway_engine_errors_total", **errors) if result else 0

            assert await eventually(counted, lambda n: n == 1, within=20, every=0.2) == 1

            unauthorised = await listener.get("/metrics")
            assert unauthorised.status_code == 401
            assert unauthorised.json()["error"]["code"] == "missing_metrics_token"
            elsewhere = await listener.get("/v1/account")
            assert elsewhere.status_code == 404
            assert elsewhere.json()["error"]["code"] == "route_not_found"
            assert (await listener.post("/metrics")).status_code == 405
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    assert worker.returncode == 0, log.read_text()[-2000:]
