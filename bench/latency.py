"""Latency from the API accepting a message to the sandbox engine sending it (DESIGN §10).

    .venv/bin/python bench/latency.py [--rate 200] [--duration 10] [--warmup 2]
                                      [--sessions 8] [--drain-timeout 30]

Text messages are sent at a fixed rate (an open loop: each request leaves at its scheduled
time whatever the previous ones are doing) to ``POST /v1/sessions/{id}/messages``, in turn
over several sandbox sessions (a session sends its messages one after the other, by
design), with a real ``gateway worker`` process running the engine host. Once the last
request is answered the script waits for the outbox to drain, then reads every message's
row and reports, per message:

- ``created_at → sent_at``: both server timestamps (the insert's transaction, and the
  outbox recording the engine's acceptance);
- ``202 → sent_at``: from the client receiving ``202 Accepted`` to ``sent_at``;
- ``POST → sent_at``: from the client starting the request to ``sent_at``;

(client and server share the machine's clock) and how many messages were not sent by the
time the last request was answered, and after the drain timeout.

PostgreSQL and Redis come from ``GATEWAY_BENCH_DATABASE_URL`` and ``GATEWAY_BENCH_REDIS_URL``
(a scratch database is created on that server and dropped afterwards) or, when unset, from
embedded servers in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import secrets
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from common import (
    BENCH_DIR,
    CONNECTION_ERRORS,
    HOST,
    CpuMeter,
    Target,
    backing_services,
    create_working_sessions,
    describe_cpu,
    gateway_env,
    install_sigterm_handler,
    prepare_database,
    process_cpu,
    query,
    read_response,
    run_async,
    run_json_process,
    running_worker,
    serving,
)
from gateway.kit.logging import configure_logging
from gateway.runtime.embedded import free_port

CHAT_ID = "+12025550123"
SENDING_AT = (
    "SELECT data->'message'->>'id', min(created_at) FROM events "
    "WHERE type = 'message.status' AND data->'message'->>'status' = 'sending' GROUP BY 1"
)
PENDING_COUNT = "SELECT count(*) FROM messages WHERE status IN ('scheduled', 'queued', 'sending')"
# DESIGN §10: API accepted → engine sent (→ webhook received), at 200 messages/s.
TARGET_P50 = 0.050
TARGET_P99 = 0.200


# --- The paced generator (runs in a process of its own) ----------------------------------


@dataclass
class PacedSpec:
    host: str
    port: int
    paths: list[str]
    headers: dict[str, str]
    body: str
    rate: float
    seconds: float  # warm-up and measured, together
    connections: int
    idempotency_prefix: str
    watch: dict[str, int] = field(default_factory=dict)


@dataclass
class Sent:
    """One request: its schedule, its start and end (wall clock, seconds since the epoch),
    the status (0: connection error) and the message id of a 202."""

    n: int
    scheduled: float
    started: float
    answered: float
    status: int
    message_id: str | None


class _Connections:
    """Keep-alive connections; a request waits for a free one (its start is then late,
    which the report shows as schedule lag)."""

    def __init__(self, spec: PacedSpec) -> None:
        self.spec = spec
        self.idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.Queue()
        )
        self.all: list[asyncio.StreamWriter] = []

    async def open(self) -> None:
        reader, writer = await asyncio.open_connection(self.spec.host, self.spec.port)
        self.all.append(writer)
        self.idle.put_nowait((reader, writer))

    async def close(self) -> None:
        for writer in self.all:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def _send(connections: _Connections, n: int, scheduled: float, head: bytes) -> Sent:
    spec = connections.spec
    reader, writer = await connections.idle.get()
    key = f"Idempotency-Key: {spec.idempotency_prefix}{n}\r\n".encode()
    started = time.time()
    try:
        writer.write(head + key + b"\r\n" + spec.body.encode())
        status, close, body = await read_response(reader)
    except CONNECTION_ERRORS:
        answered = time.time()
        writer.close()
        await connections.open()
        return Sent(n, scheduled, started, answered, 0, None)
    answered = time.time()
    if close:
        writer.close()
        await connections.open()
    else:
        connections.idle.put_nowait((reader, writer))
    message_id = json.loads(body)["id"] if status == 202 else None
    return Sent(n, scheduled, started, answered, status, message_id)


async def paced_load(spec: PacedSpec) -> dict[str, Any]:
    heads = []
    for path in spec.paths:
        lines = [f"POST {path} HTTP/1.1", f"Host: {spec.host}:{spec.port}"]
        lines += [f"{name}: {value}" for name, value in spec.headers.items()]
        lines.append(f"Content-Length: {len(spec.body.encode())}")
        heads.append(("\r\n".join(lines) + "\r\n").encode())
    connections = _Connections(spec)
    for _ in range(spec.connections):
        await connections.open()
    loop = asyncio.get_running_loop()
    total = round(spec.rate * spec.seconds)
    meter = CpuMeter(spec.watch)
    meter.start()
    cpu_started = time.process_time()
    start = loop.time() + 0.1
    wall_start = time.time() + (start - loop.time())
    tasks = []
    for n in range(total):
        offset = n / spec.rate
        delay = start + offset - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        head = heads[n % len(heads)]
        tasks.append(asyncio.create_task(_send(connections, n, wall_start + offset, head)))
    sent = await asyncio.gather(*tasks)
    meter.stop()
    seconds = time.time() - wall_start
    cpu_seconds = time.process_time() - cpu_started
    await connections.close()
    return {
        "sent": [asdict(s) for s in sent],
        "cpu": {**meter.shares, "load generator": cpu_seconds / seconds},
    }


def _generator_main() -> None:
    spec = PacedSpec(**json.load(sys.stdin))
    print(json.dumps(run_async(lambda: paced_load(spec))))


# --- Figures ---------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted ``values``."""
    if not values:
        return float("nan")
    rank = max(1, math.ceil(share * len(values)))
    return values[min(rank, len(values)) - 1]


def row(label: str, seconds: list[float]) -> str:
    values = sorted(seconds)
    figures = [percentile(values, p) for p in (0.50, 0.90, 0.99)] + [values[-1] if values else 0]
    return f"{label:<24}" + "".join(f"{v * 1000:9.1f}" for v in figures)


def _used(before: float | None, after: float | None) -> float | None:
    return after - before if before is not None and after is not None else None


def wait_for_drain(database_url: str, timeout: float) -> float:
    """Wait until no outbound message is pending (or ``timeout``); returns the seconds
    waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        [(left,)] = query(database_url, PENDING_COUNT)
        if left == 0:
            break
        time.sleep(0.2)
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0, help="messages per second")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured")
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="seconds sent at the rate before measuring"
    )
    parser.add_argument("--sessions", type=int, default=8, help="sandbox sessions sent to")
    parser.add_argument("--connections", type=int, default=64, help="keep-alive connections")
    parser.add_argument(
        "--drain-timeout", type=float, default=30.0, help="seconds to wait for the outbox"
    )
    parser.add_argument("--loop", default="auto", help="uvicorn --loop")
    parser.add_argument("--http", default="auto", help="uvicorn --http")
    args = parser.parse_args(argv)

    configure_logging("WARNING")
    install_sigterm_handler()
    secret_key = secrets.token_urlsafe(48)
    with (
        backing_services(flush_redis=True) as backing,
        tempfile.TemporaryDirectory(prefix="gateway-bench-") as workdir,
    ):
        print(f"Using {backing.description}.", flush=True)
        api_key = prepare_database(backing.database_url, secret_key)
        env = gateway_env(backing, secret_key, Path(workdir))
        port = free_port()
        target = Target(
            "gateway",
            "gateway",
            "/v1/account",
            headers={"Authorization": f"Bearer {api_key}"},
            env=env,
        )
        with (
            serving(target, port, args.loop, args.http) as api,
            running_worker(env, Path(workdir)) as worker,
        ):
            session_ids = create_working_sessions(port, api_key, args.sessions, worker)
            print(f"{len(session_ids)} sandbox sessions WORKING.", flush=True)
            spec = PacedSpec(
                host=HOST,
                port=port,
                paths=[f"/v1/sessions/{session_id}/messages" for session_id in session_ids],
                headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
                body=json.dumps({"type": "text", "chat_id": CHAT_ID, "text": "Latency probe"}),
                rate=args.rate,
                seconds=args.warmup + args.duration,
                connections=args.connections,
                idempotency_prefix=f"bench-{secrets.token_hex(6)}-",
                watch={"api": api.pid, "worker": worker.pid},
            )
            print(
                f"Sending {args.rate:g} messages/s for {args.warmup:g} s + {args.duration:g} s ...",
                flush=True,
            )
            cpu_before = {"api": process_cpu(api.pid), "worker": process_cpu(worker.pid)}
            outcome = run_json_process(
                [str(BENCH_DIR / "latency.py"), "--generate"],
                asdict(spec),
                timeout=spec.seconds + 120,
            )
            sent = [Sent(**s) for s in outcome["sent"]]
            run_end = max(s.answered for s in sent)
            drained = wait_for_drain(backing.database_url, args.drain_timeout)
            cpu_used = {
                "api": _used(cpu_before["api"], process_cpu(api.pid)),
                "worker": _used(cpu_before["worker"], process_cpu(worker.pid)),
            }
            rows = query(
                backing.database_url,
                "SELECT id, status, created_at, sent_at FROM messages WHERE direction = 'outbound'",
            )
            # When the outbox took each message (its first ``sending`` event).
            sending = dict(query(backing.database_url, SENDING_AT))
        print(f"  While sending: {describe_cpu(outcome['cpu'])}")

    stored = {r[0]: (r[1], r[2].timestamp(), r[3].timestamp() if r[3] else None) for r in rows}
    warmup_count = round(args.rate * args.warmup)
    measured = [s for s in sent if s.n >= warmup_count]
    accepted = [s for s in measured if s.status == 202 and s.message_id in stored]
    failed = [s for s in measured if s.status != 202]
    server, after_202, after_post, waited, sending_to_sent = [], [], [], [], []
    not_sent_in_run, not_sent = 0, {}
    for s in accepted:
        assert s.message_id is not None
        status, created_at, sent_at = stored[s.message_id]
        if sent_at is None:
            not_sent_in_run += 1
            not_sent[status] = not_sent.get(status, 0) + 1
            continue
        if sent_at > run_end:
            not_sent_in_run += 1
        server.append(sent_at - created_at)
        if s.message_id in sending:
            waited.append(sending[s.message_id].timestamp() - created_at)
            sending_to_sent.append(sent_at - sending[s.message_id].timestamp())
        after_202.append(sent_at - s.answered)
        after_post.append(sent_at - s.started)
    post = [s.answered - s.started for s in measured]
    lag = [s.started - s.scheduled for s in measured]
    # The rate the API kept up: measured requests over the time they took to be answered.
    span = max(s.answered for s in measured) - min(s.started for s in measured) if measured else 0
    kept_up = len(accepted) / span if span else 0.0

    print(
        f"\n{args.rate:g} messages/s over {args.sessions} sandbox sessions: "
        f"{len(measured)} measured in {args.duration:g} s after {warmup_count} in "
        f"{args.warmup:g} s of warm-up"
    )
    print(f"{'ms':<24}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}")
    print(row("created_at → sent_at", server))
    print(row("202 → sent_at", after_202))
    print(row("POST → sent_at", after_post))
    print(row("POST → 202", post))
    print(row("created_at → sending", waited))
    print(row("sending → sent_at", sending_to_sent))
    print(row("schedule lag", lag))
    statuses: dict[int, int] = {}
    for s in failed:
        statuses[s.status] = statuses.get(s.status, 0) + 1
    others = ", ".join(f"{n} x {'connection error' if c == 0 else c}" for c, n in statuses.items())
    print(f"requests: {len(accepted)} accepted (202) of {len(measured)}; other: {others or 'none'}")
    print(f"accepted at {kept_up:.0f}/s (scheduled {args.rate:g}/s)")
    if kept_up < args.rate * 0.95:
        print(
            "The API did not keep up with the rate: requests waited for a free connection "
            "(schedule lag), and the figures include that backlog."
        )
    print(f"not sent by the last 202: {not_sent_in_run}; drained in {drained:.1f} s")
    left = ", ".join(f"{n} {status}" for status, n in sorted(not_sent.items()))
    print(
        f"not sent after the drain timeout ({args.drain_timeout:g} s): "
        f"{sum(not_sent.values())}{f' ({left})' if left else ''}"
    )
    total = sum(1 for s in sent if s.status == 202)
    per_message = [
        f"{name} {seconds / total * 1000:.1f} ms"
        for name, seconds in cpu_used.items()
        if seconds is not None and total
    ]
    if per_message:
        print(
            "CPU per accepted message, from the first request until drained (idle work "
            f"included): {', '.join(per_message)}"
        )
    if after_202:
        values = sorted(after_202)
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        verdict = "met" if p50 < TARGET_P50 and p99 < TARGET_P99 and not not_sent else "not met"
        print(
            f"target (202 → sent, p50 < {TARGET_P50 * 1000:.0f} ms, "
            f"p99 < {TARGET_P99 * 1000:.0f} ms): {verdict}"
        )
    return 0 if accepted and not failed and not not_sent else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--generate"]:
        _generator_main()
        sys.exit(0)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
