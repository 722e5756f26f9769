"""Webhook deliveries per second of one worker against a bare httpx client.

Both post the same kind of signed payload to the same receiver on 127.0.0.1 (uvicorn in
its own process, answering 204), with the same concurrency (the worker's ``max_jobs``).
The worker's figure includes everything a delivery is: the arq job, the claim (one
statement reading the delivery, its endpoint and its event), signing, the SSRF check,
the POST on a kept-alive connection, and the record (one statement logging the attempt
and settling the delivery). DESIGN §10 asks for at least 70 % of the bare client's rate.

    .venv/bin/python bench/webhook_rps.py [--events 2000] [--concurrency 10] [--rounds 3]

``run()`` returns the figures as a dict (name, figure, bare, ratio, target, held, and
the details); ``bench_rows(argv)`` the rows ``make bench`` prints. With several rounds
the bare client and the worker alternate and each figure is the median of its rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from arq.connections import ArqRedis, RedisSettings, create_pool
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from common import HOST, backing_services, stop_process
from gateway.config import Settings
from gateway.db import create_engine, create_sessionmaker
from gateway.events.service import SessionRef, publish
from gateway.events.types import EventType
from gateway.kit.aftercommit import run_after_commit
from gateway.kit.ids import new_id
from gateway.models import WebhookDelivery, WebhookEndpoint
from gateway.runtime.embedded import free_port
from gateway.runtime.migrate import upgrade
from gateway.webhooks import repository
from gateway.webhooks.service import new_secret, seal
from gateway.webhooks.signing import signature_header
from gateway.worker import QUEUE_NAME, create_worker

NAME = "webhook deliveries, one worker vs bare httpx"
TARGET = 0.7
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


@dataclass
class Measured:
    rate: float  # deliveries per second
    cpu_ms: float  # CPU of this process per delivery (the client, or the worker)


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


async def bare(url: str, events: int, concurrency: int) -> Measured:
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

        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(work() for _ in range(concurrency)))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return Measured(events / elapsed, cpu / events * 1000)


async def _publish(
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: ArqRedis,
    account_id: str,
    events: int,
    batch: int,
) -> None:
    """``events`` events, ``batch`` to a transaction (the deliveries of one transaction
    to one endpoint are one job, as when an engine host reports a batch); with ``batch``
    1, each its own transaction, as when an API call publishes one."""
    session = SessionRef("ses_01JA2B3C4D5E6F7G8H9J0KMNPQ", "bench", {})
    for start in range(0, events, batch):
        async with sessionmaker() as db:
            for _ in range(min(batch, events - start)):
                await publish(
                    db, account_id=account_id, type=EventType.message_received,
                    session=session, data={"text": "hello"},
                )  # fmt: skip
            await db.commit()
            await run_after_commit(db, redis)


async def gateway(
    settings: Settings,
    url: str,
    events: int,
    concurrency: int,
    batch: int = 100,
    profile: bool = False,
) -> Measured:
    """Deliveries/s of one worker: the events are published first (one endpoint, so one
    delivery each), then the worker runs in burst mode until the queue is empty."""
    from gateway.accounts.service import create_account

    assert settings.database_url
    assert settings.redis_url
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    redis = await create_pool(
        RedisSettings.from_dsn(settings.redis_url), default_queue_name=QUEUE_NAME
    )
    try:
        async with sessionmaker() as db:
            account, _, _ = await create_account(db, secret=settings.secret, name="Bench")
            await repository.add(
                db,
                WebhookEndpoint(
                    id=new_id("whk"), account_id=account.id, url=url, event_types=["*"],
                    session_ids=None, headers={}, waha_hmac=False, enabled=True,
                    secret=seal(settings, new_secret()),
                ),
            )  # fmt: skip
            await db.commit()
        await _publish(sessionmaker, redis, account.id, events, batch)
        worker = create_worker(
            settings, burst=True, max_jobs=concurrency, handle_signals=False, cron_jobs=[]
        )
        profiler = _profiler() if profile else None
        started, cpu = time.perf_counter(), time.process_time()
        await worker.async_run()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=True, show_all=False, time="percent_of_total"))
        await worker.close()
        async with sessionmaker() as db:
            succeeded = await db.scalar(
                select(func.count()).where(
                    WebhookDelivery.account_id == account.id,
                    WebhookDelivery.status == "succeeded",
                )
            )
        if succeeded != events:
            raise SystemExit(f"the worker delivered {succeeded} of {events} events")
        return Measured(events / elapsed, cpu / events * 1000)
    finally:
        await redis.aclose(close_connection_pool=True)
        await engine.dispose()


def _profiler() -> Any:
    try:
        from pyinstrument import Profiler
    except ImportError as exc:
        raise SystemExit(
            "--profile needs pyinstrument: .venv/bin/pip install pyinstrument"
        ) from exc
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    return profiler


def run(
    events: int = 2000,
    concurrency: int = 10,
    rounds: int = 1,
    *,
    batch: int = 100,
    single_events: int = 500,
    profile: bool = False,
) -> dict[str, Any]:
    """Measure and return the benchmark's row: ``name``, ``figure`` (the worker's
    deliveries/s, ``batch`` events fanned out per transaction), ``bare`` (the bare
    client's), ``ratio``, ``target`` and ``held``; beside them the CPU per delivery of
    each, and the worker's rate when every event is its own transaction (``single``)."""
    events = max(batch, events // batch * batch)
    bare_runs: list[Measured] = []
    gateway_runs: list[Measured] = []
    single_runs: list[Measured] = []
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
            for _ in range(rounds):
                bare_runs.append(asyncio.run(bare(url, events, concurrency)))
                gateway_runs.append(
                    asyncio.run(gateway(settings, url, events, concurrency, batch, profile))
                )
                if single_events:
                    single_runs.append(
                        asyncio.run(gateway(settings, url, single_events, concurrency, 1))
                    )
        finally:
            stop_process(receiver)
            shutil.rmtree(workdir, ignore_errors=True)
    bare_rate = statistics.median(m.rate for m in bare_runs)
    gateway_rate = statistics.median(m.rate for m in gateway_runs)
    ratio = gateway_rate / bare_rate
    row: dict[str, Any] = {
        "name": NAME,
        "figure": round(gateway_rate),
        "bare": round(bare_rate),
        "ratio": round(ratio, 2),
        "target": TARGET,
        "held": ratio >= TARGET,
        "cpu_ms_per_delivery": {
            "worker": round(statistics.median(m.cpu_ms for m in gateway_runs), 2),
            "bare": round(statistics.median(m.cpu_ms for m in bare_runs), 2),
        },
        "rounds": {
            "bare": [round(m.rate) for m in bare_runs],
            "worker": [round(m.rate) for m in gateway_runs],
        },
        "run": (
            f"{backing.description}; {events} deliveries ({batch} events per transaction), "
            f"concurrency {concurrency}"
        ),
    }
    if single_runs:
        single = statistics.median(m.rate for m in single_runs)
        row["single"] = {
            "events": single_events,
            "figure": round(single),
            "ratio": round(single / bare_rate, 2),
            "cpu_ms_per_delivery": round(statistics.median(m.cpu_ms for m in single_runs), 2),
        }
    return row


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--batch", type=int, default=100, help="events per transaction")
    parser.add_argument(
        "--single-events", type=int, default=500, help="events one per transaction (0: skip)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="print a pyinstrument profile of the worker"
    )
    return parser.parse_args(argv)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    return run(
        args.events,
        args.concurrency,
        args.rounds,
        batch=args.batch,
        single_events=args.single_events,
        profile=args.profile,
    )


def bench_rows(argv: list[str]) -> list[dict[str, Any]]:
    """The rows of ``make bench``: the burst (the §10 row), and beside it, without a
    verdict, the rate when every event is its own transaction (a job per delivery)."""
    row = measure(parse_args(argv))
    rows = [
        {
            "name": NAME,
            "figure": f"{row['figure']} deliveries/s",
            "bare": f"{row['bare']} deliveries/s",
            "ratio": row["ratio"],
            "target": f">= {TARGET}x",
            "held": row["held"],
        }
    ]
    if "single" in row:
        rows.append(
            {
                "name": "  the same, one event per transaction",
                "figure": f"{row['single']['figure']} deliveries/s",
                "bare": f"{row['bare']} deliveries/s",
                "ratio": row["single"]["ratio"],
                "target": "(for reference)",
                "held": None,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    row = measure(parse_args(argv))
    cpu = row["cpu_ms_per_delivery"]
    print(row["run"])
    print(f"bare httpx client   {row['bare']:8.0f} deliveries/s   {cpu['bare']:.2f} ms CPU each")
    print(
        f"gateway worker      {row['figure']:8.0f} deliveries/s   {cpu['worker']:.2f} ms CPU each"
    )
    if len(row["rounds"]["bare"]) > 1:
        print(f"rounds              bare {row['rounds']['bare']}, worker {row['rounds']['worker']}")
    if "single" in row:
        single = row["single"]
        print(
            f"  one event per tx  {single['figure']:8.0f} deliveries/s   "
            f"{single['cpu_ms_per_delivery']:.2f} ms CPU each   "
            f"(ratio {single['ratio']:.2f}, {single['events']} events)"
        )
    verdict = "held" if row["held"] else "NOT held"
    print(f"ratio               {row['ratio']:8.2f}   (target {TARGET}: {verdict})")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
