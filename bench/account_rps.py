"""Requests per second of ``GET /v1/account`` against a bare FastAPI endpoint (DESIGN §10).

    .venv/bin/python bench/account_rps.py [--duration 10] [--connections 32] [--warmup 2]

``GET /v1/account`` is the cheapest authenticated request: the key is found in the
per-process cache (no query), the rate limit costs one Redis round trip, and the account is
one query in the request's transaction. Its throughput over that of a bare endpoint, served
by the same uvicorn settings on the same machine, is the gateway's fixed cost per request.

PostgreSQL and Redis come from ``GATEWAY_BENCH_DATABASE_URL`` and ``GATEWAY_BENCH_REDIS_URL``
(a scratch database is created on that server and dropped afterwards) or, when unset, from
embedded servers in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from gateway.accounts.service import create_account
from gateway.db import create_engine, create_sessionmaker, normalise_database_url
from gateway.kit.logging import configure_logging
from gateway.runtime.embedded import EmbeddedPostgres, EmbeddedRedis, free_port
from gateway.runtime.migrate import upgrade

BENCH_DIR = Path(__file__).resolve().parent
HOST = "127.0.0.1"
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
# So generous that no request of the run is refused: the 429 path is not what is measured.
RATE_LIMIT = "1000000/second"
# Above this share of a core the generator, not the server, may have set the pace.
GENERATOR_SATURATED = 0.9


# --- Load generator (runs in a process of its own) --------------------------------------


@dataclass
class LoadSpec:
    host: str
    port: int
    path: str
    headers: dict[str, str]
    connections: int
    warmup: float
    duration: float

    def request(self) -> bytes:
        lines = [f"GET {self.path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()


@dataclass
class LoadResult:
    ok: int = 0
    other_statuses: dict[int, int] = field(default_factory=dict)
    connection_errors: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def cpu_share(self) -> float:
        """The generator's CPU use over the run; near 1.0 means it, not the server, limited
        the rate."""
        return self.cpu_seconds / self.seconds if self.seconds else 0.0

    def to_json(self) -> str:
        return json.dumps(
            {
                "ok": self.ok,
                "other_statuses": self.other_statuses,
                "connection_errors": self.connection_errors,
                "seconds": self.seconds,
                "cpu_seconds": self.cpu_seconds,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> LoadResult:
        data = json.loads(text)
        data["other_statuses"] = {int(k): v for k, v in data["other_statuses"].items()}
        return cls(**data)


class _Run:
    """Counters shared by the connections; only responses completed while ``measuring``
    count, so warm-up and the drain at the end are left out."""

    def __init__(self) -> None:
        self.measuring = False
        self.stopped = False
        self.ok = 0
        self.statuses: Counter[int] = Counter()
        self.connection_errors = 0


async def _skip_chunked_body(reader: asyncio.StreamReader) -> None:
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                pass
            return
        await reader.readexactly(size + 2)


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; returns its status and whether the server will close."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head[:-4].split(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    length: int | None = None
    chunked = close = False
    for line in header_lines:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            close = b"close" in value.lower()
    if chunked:
        await _skip_chunked_body(reader)
    elif length is not None:
        await reader.readexactly(length)
    elif status >= 200 and status not in (204, 304):
        await reader.read()  # delimited by the end of the connection
        close = True
    return status, close


async def _drive_connection(spec: LoadSpec, request: bytes, run: _Run) -> None:
    """One keep-alive connection sending requests back to back; reconnects if dropped."""
    while not run.stopped:
        try:
            reader, writer = await asyncio.open_connection(spec.host, spec.port)
        except OSError:
            if run.measuring:
                run.connection_errors += 1
            await asyncio.sleep(0.05)
            continue
        try:
            close = False
            while not run.stopped and not close:
                writer.write(request)
                status, close = await read_response(reader)
                if run.measuring:
                    if status == 200:
                        run.ok += 1
                    else:
                        run.statuses[status] += 1
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            if run.measuring:
                run.connection_errors += 1
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def generate_load(spec: LoadSpec) -> LoadResult:
    run = _Run()
    request = spec.request()
    tasks = [
        asyncio.create_task(_drive_connection(spec, request, run)) for _ in range(spec.connections)
    ]
    await asyncio.sleep(spec.warmup)
    run.measuring = True
    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.sleep(spec.duration)
    run.measuring = False
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    run.stopped = True
    _, pending = await asyncio.wait(tasks, timeout=5.0)
    for task in pending:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return LoadResult(
        ok=run.ok,
        other_statuses=dict(run.statuses),
        connection_errors=run.connection_errors,
        seconds=seconds,
        cpu_seconds=cpu_seconds,
    )


def load_process_main() -> None:
    """Entry point of the generator process: a ``LoadSpec`` as JSON on stdin, a
    ``LoadResult`` as JSON on stdout."""
    spec = LoadSpec(**json.load(sys.stdin))
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(generate_load(spec))
    else:
        result = uvloop.run(generate_load(spec))
    print(result.to_json())


def run_load(spec: LoadSpec) -> LoadResult:
    """Run the generator in its own process, so that it competes with the server for the
    machine's cores as an outside client would, not for the server's interpreter."""
    with subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--generate-load"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # Ctrl-C reaches only this process, which stops the rest
    ) as process:
        try:
            out, _ = process.communicate(
                json.dumps(asdict(spec)), timeout=spec.warmup + spec.duration + 60
            )
        except BaseException:
            process.kill()
            raise
    if process.returncode != 0:
        raise RuntimeError(f"The load generator failed (exit status {process.returncode}).")
    return LoadResult.from_json(out)


# --- PostgreSQL, Redis and the account ---------------------------------------------------


@dataclass
class Backing:
    database_url: str
    redis_url: str
    description: str


async def _admin_execute(server_url: str, statement: str) -> None:
    # CREATE and DROP DATABASE cannot run inside a transaction.
    engine = create_async_engine(
        normalise_database_url(server_url), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@contextlib.contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``server_url``, dropped on exit."""
    name = f"gateway_bench_{secrets.token_hex(4)}"
    asyncio.run(_admin_execute(server_url, f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(normalise_database_url(server_url)).set(database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin_execute(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextlib.contextmanager
def backing_services() -> Iterator[Backing]:
    """The configured servers (with a scratch database), or embedded ones in a temporary
    directory; everything started here is stopped on exit."""
    database_url = os.environ.get("GATEWAY_BENCH_DATABASE_URL")
    redis_url = os.environ.get("GATEWAY_BENCH_REDIS_URL")
    used: list[str] = []
    with contextlib.ExitStack() as stack:
        data_dir = Path(tempfile.mkdtemp(prefix="gateway-bench-"))
        stack.callback(shutil.rmtree, data_dir, ignore_errors=True)
        if database_url:
            used.append("PostgreSQL at GATEWAY_BENCH_DATABASE_URL (scratch database)")
            database_url = stack.enter_context(scratch_database(database_url))
        else:
            used.append("embedded PostgreSQL")
            postgres = EmbeddedPostgres(data_dir)
            stack.callback(postgres.stop)
            database_url = postgres.start()
        if redis_url:
            used.append("Redis at GATEWAY_BENCH_REDIS_URL")
        else:
            used.append("embedded Redis")
            redis = EmbeddedRedis(data_dir)
            stack.callback(redis.stop)
            redis_url = redis.start()
        yield Backing(database_url, redis_url, ", ".join(used))


async def _create_account(database_url: str, secret_key: str) -> str:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with create_sessionmaker(engine)() as db:
            _, _, plaintext = await create_account(
                db, secret=secret_key.encode(), name="Benchmark", default_rate_limit=RATE_LIMIT
            )
            await db.commit()
    finally:
        await engine.dispose()
    return plaintext


def prepare_database(database_url: str, secret_key: str) -> str:
    """Migrate the database and create an account; returns its API key."""
    upgrade(database_url)
    return asyncio.run(_create_account(database_url, secret_key))


# --- Servers ---------------------------------------------------------------------------


@dataclass
class Target:
    label: str
    app: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)


def _get_status(port: int, target: Target) -> int | None:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", target.path, headers=target.headers)
        return connection.getresponse().status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


@contextlib.contextmanager
def serving(
    target: Target, port: int, loop: str, http_impl: str
) -> Iterator[subprocess.Popen[bytes]]:
    """The target's server, started and answering 200 on its path; stopped on exit."""
    command = [sys.executable, str(BENCH_DIR / "apps.py"), target.app]
    command += ["--host", HOST, "--port", str(port), "--loop", loop, "--http", http_impl]
    process = subprocess.Popen(
        command,
        env={**os.environ, **target.env},
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches only this process, which stops the server
    )
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while (status := _get_status(port, target)) != 200:
            if process.poll() is not None:
                raise RuntimeError(f"The {target.app} server exited ({process.returncode}).")
            if time.monotonic() > deadline:
                raise RuntimeError(f"The {target.app} server was not ready (last: {status}).")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- The benchmark ---------------------------------------------------------------------


def _describe(result: LoadResult) -> str:
    others = ", ".join(f"{n} x {s}" for s, n in sorted(result.other_statuses.items()))
    return (
        f"{result.ok} x 200 in {result.seconds:.1f} s"
        f"; non-200: {others or 'none'}; connection errors: {result.connection_errors}"
        f"; load generator CPU {result.cpu_share:.0%}"
    )


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument("--loop", default="auto", help="uvicorn --loop for both servers")
    parser.add_argument("--http", default="auto", help="uvicorn --http for both servers")
    parser.add_argument("--generate-load", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate_load:
        load_process_main()
        return 0

    configure_logging("WARNING")
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    secret_key = secrets.token_urlsafe(48)
    results: dict[str, LoadResult] = {}
    with backing_services() as backing:
        print(f"Using {backing.description}.", flush=True)
        api_key = prepare_database(backing.database_url, secret_key)
        targets = [
            Target("bare FastAPI", "bare", "/bare"),
            Target(
                "gateway",
                "gateway",
                "/v1/account",
                headers={"Authorization": f"Bearer {api_key}"},
                env={
                    "GATEWAY_DATABASE_URL": backing.database_url,
                    "GATEWAY_REDIS_URL": backing.redis_url,
                    "GATEWAY_SECRET_KEY": secret_key,
                    "GATEWAY_LOG_LEVEL": "WARNING",
                },
            ),
        ]
        # One server at a time, so the idle one takes nothing from the measured one.
        for target in targets:
            print(f"Measuring {target.label} GET {target.path} ...", flush=True)
            port = free_port()
            with serving(target, port, args.loop, args.http):
                spec = LoadSpec(
                    HOST, port, target.path, target.headers,
                    args.connections, args.warmup, args.duration,
                )  # fmt: skip
                result = run_load(spec)
            results[target.label] = result
            print(f"  {_describe(result)}")
            if result.cpu_share > GENERATOR_SATURATED:
                print("  The load generator was saturated: this figure is a lower bound.")

    bare, gateway = results["bare FastAPI"], results["gateway"]
    rows: list[tuple[str, str, str]] = [
        ("bare FastAPI", "GET /bare", f"{bare.rate:8.0f} req/s"),
        ("gateway", "GET /v1/account", f"{gateway.rate:8.0f} req/s"),
        ("ratio", "", f"{gateway.rate / bare.rate if bare.rate else 0.0:8.2f}"),
    ]
    print(f"\n{args.connections} connections, {args.duration:g} s after {args.warmup:g} s warm-up")
    for label, route, figure in rows:
        print(f"{label:<14} {route:<16} {figure}")
    return 0 if bare.ok and gateway.ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
