"""Requests per second of ``GET /v1/account`` against a bare FastAPI endpoint (DESIGN §10).

    .venv/bin/python bench/account_rps.py [--duration 10] [--connections 32] [--warmup 2]

``GET /v1/account`` is the cheapest authenticated request: the key and its account are
found in the per-process cache (no query), and the rate limit costs one Redis round trip.
Its throughput over that of a bare endpoint, served by the same uvicorn settings on the
same machine, is the gateway's fixed cost per request.

PostgreSQL and Redis come from ``GATEWAY_BENCH_DATABASE_URL`` and ``GATEWAY_BENCH_REDIS_URL``
(a scratch database is created on that server and dropped afterwards) or, when unset, from
embedded servers in a temporary directory.
"""

from __future__ import annotations

import argparse
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
    describe,
    gateway_env,
    install_sigterm_handler,
    prepare_database,
    run_load,
    serving,
)
from gateway.kit.logging import configure_logging
from gateway.runtime.embedded import free_port
from table import Row, render


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument("--loop", default="auto", help="uvicorn --loop for both servers")
    parser.add_argument("--http", default="auto", help="uvicorn --http for both servers")
    return parser.parse_args(argv)


def measure(args: argparse.Namespace) -> tuple[list[Row], bool]:
    """Both servers measured one after the other; the table's row, and whether every
    response was a 2xx."""
    secret_key = secrets.token_urlsafe(48)
    results: dict[str, LoadResult] = {}
    with (
        backing_services() as backing,
        tempfile.TemporaryDirectory(prefix="gateway-bench-") as workdir,
    ):
        print(f"Using {backing.description}.", flush=True)
        api_key = prepare_database(backing.database_url, secret_key)
        targets = [
            Target("bare FastAPI", "bare", "/bare"),
            Target(
                "gateway",
                "gateway",
                "/v1/account",
                headers={"Authorization": f"Bearer {api_key}"},
                env=gateway_env(backing, secret_key, Path(workdir)),
            ),
        ]
        # One server at a time, so the idle one takes nothing from the measured one.
        for target in targets:
            print(f"Measuring {target.label} GET {target.path} ...", flush=True)
            port = free_port()
            with serving(target, port, args.loop, args.http) as server:
                spec = LoadSpec(
                    HOST, port, target.path, target.headers,
                    args.connections, args.warmup, args.duration,
                )  # fmt: skip
                spec.watch = {"server": server.pid}
                result = run_load(spec)
            results[target.label] = result
            print(f"  {describe(result)}")
            if result.cpu_share > GENERATOR_SATURATED:
                print("  The load generator was saturated: this figure is a lower bound.")

    bare, gateway = results["bare FastAPI"], results["gateway"]
    ratio = gateway.rate / bare.rate if bare.rate else 0.0
    row = Row(
        "GET /v1/account vs bare GET",
        f"{gateway.rate:.0f} req/s",
        f"{bare.rate:.0f} req/s",
        ratio,
        ">= 0.4x",
        ratio >= 0.4,
    )
    return [row], bare.ok and gateway.ok


def bench_rows(argv: list[str]) -> list[Row]:
    """The rows of ``make bench``."""
    rows, _ = measure(parse_args(argv))
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    configure_logging("WARNING")
    install_sigterm_handler()
    rows, ok = measure(args)
    print(f"\n{args.connections} connections, {args.duration:g} s after {args.warmup:g} s warm-up")
    print(render(rows))
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
