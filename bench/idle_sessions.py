"""Many idle sandbox sessions on one worker process: how long until they are all WORKING,
then the worker's memory and CPU while nothing happens (DESIGN §10: 1,000 sessions, RSS
< 1 GB, idle CPU < 5 % of a core).

    .venv/bin/python bench/idle_sessions.py [--sessions 1000] [--idle 30] [--settle 5]

The API (``apps.py gateway``) and one real ``gateway worker`` process run as in the other
benchmarks, the worker with ``GATEWAY_HOST_CAPACITY`` set to the number of sessions. The
sessions are created through the API with ``{"sandbox": {"auto_link": true}}`` (each
starts at once and links itself); the clock runs from the first create until every
session's row says WORKING. After ``--settle`` seconds, the worker's CPU time and resident
memory are read over ``--idle`` seconds in which no request is made, and so are the
database's committed transactions (the worker's host makes a few per pass, for all its
sessions, however many they are).

``run()`` returns the rows a ``make bench`` runner prints (name, figure, bare, ratio,
target, held). PostgreSQL and Redis as in the other scripts (``GATEWAY_BENCH_*_URL`` or
embedded servers).
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from common import (
    Target,
    api,
    backing_services,
    gateway_env,
    install_sigterm_handler,
    prepare_database,
    process_cpu,
    process_rss,
    query,
    running_worker,
    serving,
)
from gateway.kit.logging import configure_logging
from gateway.runtime.embedded import free_port

TARGET_RSS_MB = 1024
TARGET_IDLE_CPU = 0.05  # of one core
WORKING = "SELECT count(*) FROM sessions WHERE status = 'WORKING'"
COMMITS = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"


def _create_sessions(port: int, api_key: str, count: int) -> list[str]:
    def create(n: int) -> str:
        status, body = api(
            port, api_key, "POST", "/v1/sessions",
            {"name": f"idle-{n}", "config": {"sandbox": {"auto_link": True}}},
        )  # fmt: skip
        if status != 201:
            raise RuntimeError(f"Creating a session failed: {status} {body}")
        return str(body["id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(create, range(count)))


def _wait_until_working(
    database_url: str, count: int, worker_pid: int, timeout: float
) -> tuple[float | None, list[tuple[float, int]]]:
    """Seconds until ``count`` sessions are WORKING (None after ``timeout``), and the
    count every few seconds on the way."""
    started = time.monotonic()
    progress: list[tuple[float, int]] = []
    while (elapsed := time.monotonic() - started) < timeout:
        [(working,)] = query(database_url, WORKING)
        if not progress or elapsed - progress[-1][0] >= 5 or working >= count:
            progress.append((elapsed, working))
        if working >= count:
            return elapsed, progress
        if process_cpu(worker_pid) is None:
            raise RuntimeError("The worker exited.")
        time.sleep(0.25)
    return None, progress


def run(sessions: int = 1000, idle: float = 30.0, settle: float = 5.0) -> list[dict[str, Any]]:
    """Measure and return the rows: the worker's RSS and idle CPU with ``sessions``
    WORKING sandbox sessions, and the time they took to get there."""
    configure_logging("WARNING")
    secret_key = secrets.token_urlsafe(48)
    with (
        backing_services(flush_redis=True) as backing,
        tempfile.TemporaryDirectory(prefix="gateway-bench-") as workdir,
    ):
        print(f"Using {backing.description}.", flush=True)
        api_key = prepare_database(backing.database_url, secret_key)
        env = gateway_env(backing, secret_key, Path(workdir))
        env["GATEWAY_HOST_CAPACITY"] = str(max(sessions, 1))
        port = free_port()
        target = Target(
            "gateway", "gateway", "/v1/account",
            headers={"Authorization": f"Bearer {api_key}"}, env=env,
        )  # fmt: skip
        with (
            serving(target, port, "auto", "auto") as _api_server,
            running_worker(env, Path(workdir)) as worker,
        ):
            started = time.monotonic()
            _create_sessions(port, api_key, sessions)
            created_in = time.monotonic() - started
            print(f"{sessions} sessions created in {created_in:.1f} s.", flush=True)
            waited, progress = _wait_until_working(
                backing.database_url, sessions, worker.pid, timeout=900
            )
            to_working = None if waited is None else created_in + waited
            for at, count in progress:
                print(f"  {created_in + at:6.1f} s: {count} WORKING")
            time.sleep(settle)
            cpu_before = process_cpu(worker.pid)
            [(commits_before,)] = query(backing.database_url, COMMITS)
            window_started = time.monotonic()
            peak = 0
            while time.monotonic() - window_started < idle:
                peak = max(peak, process_rss(worker.pid) or 0)
                time.sleep(1.0)
            seconds = time.monotonic() - window_started
            cpu_after = process_cpu(worker.pid)
            [(commits_after,)] = query(backing.database_url, COMMITS)
            rss_end = process_rss(worker.pid) or 0
        # The queries above are a handful of transactions of their own.
        commits = max(0, commits_after - commits_before - 2) / seconds
    idle_cpu = (
        (cpu_after - cpu_before) / seconds
        if cpu_before is not None and cpu_after is not None
        else float("nan")
    )
    rss_mb = max(peak, rss_end) / 2**20
    label = f"{sessions:,} idle sandbox sessions, one worker"
    run_note = f"{backing.description}; {commits:.1f} database commits/s while idle"
    return [
        {
            "name": f"{label}: RSS (MB)",
            "figure": round(rss_mb),
            "bare": None,
            "ratio": None,
            "target": f"< {TARGET_RSS_MB}",
            "held": rss_mb < TARGET_RSS_MB and to_working is not None,
            "run": run_note,
        },
        {
            "name": f"{label}: idle CPU (% of a core)",
            "figure": round(idle_cpu * 100, 1),
            "bare": None,
            "ratio": None,
            "target": f"< {TARGET_IDLE_CPU * 100:g}",
            "held": idle_cpu < TARGET_IDLE_CPU and to_working is not None,
            "run": f"{run_note}; measured over {seconds:.0f} s",
        },
        {
            "name": f"{label}: seconds until all WORKING",
            "figure": None if to_working is None else round(to_working, 1),
            "bare": None,
            "ratio": None,
            "target": "all WORKING",
            "held": to_working is not None,
            "run": run_note,
        },
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--idle", type=float, default=30.0, help="seconds measured idle")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds before measuring")
    args = parser.parse_args(argv)
    install_sigterm_handler()
    rows = run(args.sessions, args.idle, args.settle)
    print(rows[0]["run"])
    for row in rows:
        figure = "—" if row["figure"] is None else row["figure"]
        verdict = f"(target {row['target']}: {'held' if row['held'] else 'NOT held'})"
        print(f"{row['name']:<58} {figure:>8}   {verdict}")
    return 0 if all(row["held"] for row in rows) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
