"""Requests per second of the send-message endpoint against a bare FastAPI endpoint (DESIGN §10).

    .venv/bin/python bench/send_rps.py [--duration 10] [--connections 32] [--warmup 2]
                                       [--sessions 4]

``POST /v1/sessions/{id}/messages`` with a text message: authentication (cached key), the
rate limit (Redis), and one statement that claims the fresh ``Idempotency-Key``, checks
the session (cached per process) and stores the message with its stored response, then
the delivery job pushed to the engine host's queue. The baseline is a bare FastAPI ``POST``
that parses the same JSON body into a model, served by the same uvicorn settings.

A real ``gateway worker`` process runs meanwhile, so the sessions are WORKING and the
accepted messages are delivered as they would be; what is measured is the API's accept
rate. The load is spread over a few sandbox sessions of one account whose rate limit no
request reaches.

PostgreSQL and Redis come from ``GATEWAY_BENCH_DATABASE_URL`` and ``GATEWAY_BENCH_REDIS_URL``
(a scratch database is created on that server and dropped afterwards) or, when unset, from
embedded servers in a temporary directory.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
from pathlib import Path

from common import (
    GENERATOR_SATURATED,
    HOST,
    LoadResult,
    LoadSpec,
    Target,
    backing_services,
    create_working_sessions,
    describe,
    describe_cpu,
    gateway_env,
    install_sigterm_handler,
    prepare_database,
    query,
    run_load,
    running_worker,
    serving,
)
from gateway.kit.ids import new_id
from gateway.kit.logging import configure_logging
from gateway.runtime.embedded import free_port
from table import Row, render

CHAT_ID = "+12025550123"


def message_body(text: str = "Benchmark message") -> str:
    return json.dumps({"type": "text", "chat_id": CHAT_ID, "text": text})


def load_spec(
    port: int, prefix: str, session_ids: list[str], api_key: str, args: argparse.Namespace
) -> LoadSpec:
    """The same requests for both servers, but for the path prefix and the session ids."""
    paths = [f"{prefix}/sessions/{session_id}/messages" for session_id in session_ids]
    return LoadSpec(
        HOST,
        port,
        paths[0],
        {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
        args.connections,
        args.warmup,
        args.duration,
        method="POST",
        body=message_body(),
        paths=paths,
        idempotency_prefix=f"bench-{secrets.token_hex(6)}-",
    )


def report(label: str, result: LoadResult) -> None:
    print(f"  {describe(result)}")
    if result.cpu:
        print(f"  {describe_cpu(result.cpu)}")
        server = result.cpu.get("api", result.cpu.get("server"))
        if server is not None and result.rate:
            print(f"  server CPU per 2xx request: {server / result.rate * 1000:.2f} ms")
    if result.cpu_share > GENERATOR_SATURATED:
        print(f"  The load generator was saturated: the {label} figure is a lower bound.")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument("--sessions", type=int, default=4, help="sandbox sessions sent to")
    parser.add_argument("--loop", default="auto", help="uvicorn --loop for both servers")
    parser.add_argument("--http", default="auto", help="uvicorn --http for both servers")
    return parser.parse_args(argv)


def measure(args: argparse.Namespace) -> tuple[list[Row], bool]:
    """Both servers, one after the other; the table's rows, and whether every response
    was a 2xx."""
    secret_key = secrets.token_urlsafe(48)
    with (
        backing_services(flush_redis=True) as backing,
        tempfile.TemporaryDirectory(prefix="gateway-bench-") as workdir,
    ):
        print(f"Using {backing.description}.", flush=True)
        api_key = prepare_database(backing.database_url, secret_key)
        env = gateway_env(backing, secret_key, Path(workdir))

        # One server at a time; the worker only runs beside the gateway.
        print("Measuring bare FastAPI POST /bare/sessions/{id}/messages ...", flush=True)
        port = free_port()
        with serving(Target("bare FastAPI", "bare", "/bare"), port, args.loop, args.http) as api:
            placeholders = [new_id("ses") for _ in range(args.sessions)]
            spec = load_spec(port, "/bare", placeholders, api_key, args)
            spec.watch = {"server": api.pid}
            bare = run_load(spec)
        report("bare", bare)

        print("Measuring gateway POST /v1/sessions/{id}/messages ...", flush=True)
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
            print(f"  {len(session_ids)} sandbox sessions WORKING.", flush=True)
            spec = load_spec(port, "/v1", session_ids, api_key, args)
            spec.watch = {"api": api.pid, "worker": worker.pid}
            gateway = run_load(spec)
            statuses = dict(
                query(backing.database_url, "SELECT status, count(*) FROM messages GROUP BY 1")
            )
            [(keys,)] = query(backing.database_url, "SELECT count(*) FROM idempotency_keys")
        report("gateway", gateway)
        accepted = sum(statuses.values())
        print(
            f"  At the end: {accepted} messages stored (warm-up and drain included), "
            f"{keys} idempotency keys; by status: "
            + ", ".join(f"{status} {count}" for status, count in sorted(statuses.items()))
        )

    ratio = gateway.rate / bare.rate if bare.rate else 0.0
    print(
        f"\n{args.connections} connections, {args.sessions} sessions, "
        f"{args.duration:g} s after {args.warmup:g} s warm-up"
    )
    for label, result in (("bare", bare), ("gateway", gateway)):
        others = sum(result.other_statuses.values())
        if others or result.connection_errors:
            print(f"{label}: {others} non-2xx, {result.connection_errors} connection errors")
    api_cpu = gateway.cpu.get("api") if gateway.cpu else None
    per_send = api_cpu / gateway.rate * 1000 if api_cpu is not None and gateway.rate else None
    rows = [
        Row(
            "POST …/messages vs bare POST",
            f"{gateway.rate:.0f} req/s",
            f"{bare.rate:.0f} req/s",
            ratio,
            ">= 0.25x",
            ratio >= 0.25,
        ),
        Row(
            "API CPU per accepted send",
            "—" if per_send is None else f"{per_send:.2f} ms",
            "",
            None,
            "<= 1 ms",
            None if per_send is None else per_send <= 1.0,
        ),
    ]
    return rows, bare.ok and gateway.ok


def bench_rows(argv: list[str]) -> list[Row]:
    """The rows of ``make bench``."""
    rows, _ = measure(parse_args(argv))
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    configure_logging("WARNING")
    install_sigterm_handler()
    rows, ok = measure(args)
    print(render(rows))
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
