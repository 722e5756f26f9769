"""Webhook deliveries per second of one worker against a bare httpx client.

Both post the same signed payloads to the same receiver on 127.0.0.1 (uvicorn in its own
process, answering 204), with the same concurrency (the worker's ``max_jobs``). The
worker's figure includes everything a delivery is: reading the row and the endpoint,
signing, the SSRF check, the POST, logging the attempt and recording the outcome. DESIGN
§10 asks for at least 70 % of the bare client's rate.

    .venv/bin/python bench/webhook_rps.py [--events 2000] [--concurrency 10]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from arq.connections import RedisSettings, create_pool

from common import HOST, backing_services, stop_process
from gateway.config import Settings
from gateway.db import create_engine, create_sessionmaker
from gateway.events.service import SessionRef, publish
from gateway.events.types import EventType
from gateway.kit.aftercommit import run_after_commit
from gateway.runtime.embedded import free_port
from gateway.runtime.migrate import upgrade
from gateway.webhooks.signing import signature_header
from gateway.worker import QUEUE_NAME, create_worker

SECRET_KEY = "bench-secret-key-" + "x" * 32
RECEIVER = """
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})
"""


def start_receiver(port: int, workdir: Path) -> subprocess.Popen[bytes]:
    (workdir / "receiver_app.py").write_text(RECEIVER)
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "receiver_app:app", "--host", HOST, "--port",
         str(port), "--log-level", "warning", "--no-access-log"],
        cwd=workdir,
    )  # fmt: skip


async def wait_until_up(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                await client.post(url, content=b"{}")
                return
            except httpx.TransportError:
                await asyncio.sleep(0.05)
    raise SystemExit("the receiver did not start")


async def bare(url: str, events: int, concurrency: int) -> float:
    """Deliveries/s of a plain httpx client posting signed payloads."""
    body = b'{"id": "evt_x", "object": "event", "type": "message.received", "data": {}}'
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(events):
        queue.put_nowait(n)
    async with httpx.AsyncClient(timeout=15, follow_redirects=False) as client:

        async def work() -> None:
            while not queue.empty():
                n = queue.get_nowait()
                timestamp = int(time.time())
                headers = {
                    "content-type": "application/json",
                    "webhook-id": f"evt_{n}",
                    "webhook-timestamp": str(timestamp),
                    "webhook-signature": signature_header(
                        ["whsec_" + "A" * 32], f"evt_{n}", timestamp, body
                    ),
                }
                response = await client.post(url, content=body, headers=headers)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(work() for _ in range(concurrency)))
        return events / (time.perf_counter() - started)


async def gateway(settings: Settings, url: str, events: int, concurrency: int) -> float:
    """Deliveries/s of one worker: the events are published first, then timed."""
    from gateway.accounts.service import create_account
    from gateway.auth.principal import Principal
    from gateway.auth.scopes import full_access
    from gateway.webhooks.schemas import WebhookCreate
    from gateway.webhooks.service import create_endpoint

    assert settings.database_url
    assert settings.redis_url
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    redis = await create_pool(
        RedisSettings.from_dsn(settings.redis_url), default_queue_name=QUEUE_NAME
    )
    try:
        async with sessionmaker() as db:
            account, key, _ = await create_account(db, secret=settings.secret, name="Bench")
            caller = Principal(key.id, account.id, "test", full_access(), None, "1/second", False)
            await create_endpoint(db, caller, WebhookCreate(url=url), settings)
            await db.commit()
        session = SessionRef("ses_01JA2B3C4D5E6F7G8H9J0KMNPQ", "bench", {})
        for _ in range(events // 100):
            async with sessionmaker() as db:
                for _ in range(100):
                    await publish(
                        db, account_id=account.id, type=EventType.message_received,
                        session=session, data={"text": "hello"},
                    )  # fmt: skip
                await db.commit()
                await run_after_commit(db, redis)
        worker = create_worker(
            settings, burst=True, max_jobs=concurrency, handle_signals=False, cron_jobs=[]
        )
        started = time.perf_counter()
        await worker.async_run()
        elapsed = time.perf_counter() - started
        await worker.close()
        return events / elapsed
    finally:
        await redis.aclose(close_connection_pool=True)
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    events = max(100, args.events // 100 * 100)
    with backing_services(flush_redis=True) as backing:
        upgrade(backing.database_url)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=backing.database_url,
            redis_url=backing.redis_url,
            secret_key=SECRET_KEY,
            log_level="WARNING",
            allow_private_targets=True,
        )
        port = free_port()
        url = f"http://{HOST}:{port}/hook"
        workdir = Path(tempfile.mkdtemp(prefix="gateway-bench-receiver-"))
        receiver = start_receiver(port, workdir)
        try:
            asyncio.run(wait_until_up(url))
            bare_rate = asyncio.run(bare(url, events, args.concurrency))
            gateway_rate = asyncio.run(gateway(settings, url, events, args.concurrency))
        finally:
            stop_process(receiver)
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"{backing.description}; {events} deliveries, concurrency {args.concurrency}")
    print(f"bare httpx client   {bare_rate:8.0f} deliveries/s")
    print(f"gateway worker      {gateway_rate:8.0f} deliveries/s")
    print(f"ratio               {gateway_rate / bare_rate:8.2f}")


if __name__ == "__main__":
    main()
