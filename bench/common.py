"""What the benchmarks share: the load generator, PostgreSQL and Redis, the servers, the
worker process and the sandbox sessions.

The scripts import this module by name (``bench/`` is on ``sys.path`` when one of them is
run). Run as a script, it is the load generator process: ``python bench/common.py
generate-load`` reads a ``LoadSpec`` as JSON on stdin and writes a ``LoadResult`` on stdout.
"""

from __future__ import annotations

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
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from gateway.accounts.service import create_account
from gateway.db import create_engine, create_sessionmaker, normalise_database_url
from gateway.runtime.embedded import EmbeddedPostgres, EmbeddedRedis
from gateway.runtime.migrate import upgrade

BENCH_DIR = Path(__file__).resolve().parent
HOST = "127.0.0.1"
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
# So generous that no request of the run is refused: the 429 path is not what is measured.
RATE_LIMIT = "1000000/second"
# Above this share of a core the generator, not the server, may have set the pace.
GENERATOR_SATURATED = 0.9

T = TypeVar("T")


def run_async(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine on a fresh event loop, with uvloop when it is installed."""

    async def main() -> T:
        return await factory()

    try:
        import uvloop
    except ImportError:
        return asyncio.run(main())
    return uvloop.run(main())


# --- Load generator: keep-alive connections sending back to back (closed loop) ----------


@dataclass
class LoadSpec:
    host: str
    port: int
    path: str
    headers: dict[str, str]
    connections: int
    warmup: float
    duration: float
    method: str = "GET"
    body: str = ""
    # Requests go to these paths in turn; empty means ``path`` only.
    paths: list[str] = field(default_factory=list)
    # Set: every request carries ``Idempotency-Key: <prefix><n>``, a new n each time.
    idempotency_prefix: str | None = None
    # Processes whose CPU use over the measured seconds is reported, by name.
    watch: dict[str, int] = field(default_factory=dict)

    def heads(self) -> list[bytes]:
        """The request up to its last header line, one per path; ``request`` ends it."""
        heads = []
        for path in self.paths or [self.path]:
            lines = [f"{self.method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
            lines += [f"{name}: {value}" for name, value in self.headers.items()]
            if self.body or self.method not in ("GET", "HEAD"):
                lines.append(f"Content-Length: {len(self.body.encode())}")
            heads.append(("\r\n".join(lines) + "\r\n").encode())
        return heads


class _Requests:
    """The next request to send: paths in turn, a fresh idempotency key each time."""

    def __init__(self, spec: LoadSpec) -> None:
        self.heads = spec.heads()
        self.body = spec.body.encode()
        self.prefix = spec.idempotency_prefix
        self.count = 0

    def next(self) -> bytes:
        head = self.heads[self.count % len(self.heads)]
        self.count += 1
        if self.prefix is not None:
            head += f"Idempotency-Key: {self.prefix}{self.count}\r\n".encode()
        return head + b"\r\n" + self.body


@dataclass
class LoadResult:
    ok: int = 0  # 2xx responses
    other_statuses: dict[int, int] = field(default_factory=dict)
    connection_errors: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    # Cores used by the watched processes and by the whole machine ("machine").
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def cpu_share(self) -> float:
        """The generator's CPU use over the run; near 1.0 means it, not the server, limited
        the rate."""
        return self.cpu_seconds / self.seconds if self.seconds else 0.0

    def to_json(self) -> str:
        return json.dumps(asdict(self))

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


async def _read_chunked_body(reader: asyncio.StreamReader) -> bytes:
    chunks = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                pass
            return b"".join(chunks)
        chunks.append((await reader.readexactly(size + 2))[:-2])


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """Read one HTTP/1.1 response; returns its status, whether the server will close, and
    its body."""
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
    body = b""
    if chunked:
        body = await _read_chunked_body(reader)
    elif length is not None:
        body = await reader.readexactly(length)
    elif status >= 200 and status not in (204, 304):
        body = await reader.read()  # delimited by the end of the connection
        close = True
    return status, close, body


CONNECTION_ERRORS = (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError)


async def _drive_connection(spec: LoadSpec, requests: _Requests, run: _Run) -> None:
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
                writer.write(requests.next())
                status, close, _ = await read_response(reader)
                if run.measuring:
                    if 200 <= status < 300:
                        run.ok += 1
                    else:
                        run.statuses[status] += 1
        except CONNECTION_ERRORS:
            if run.measuring:
                run.connection_errors += 1
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def generate_load(spec: LoadSpec) -> LoadResult:
    run = _Run()
    requests = _Requests(spec)
    tasks = [
        asyncio.create_task(_drive_connection(spec, requests, run)) for _ in range(spec.connections)
    ]
    meter = CpuMeter(spec.watch)
    await asyncio.sleep(spec.warmup)
    run.measuring = True
    meter.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.sleep(spec.duration)
    run.measuring = False
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    meter.stop()
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
        cpu=meter.shares,
    )


RESULT_FILE_ENV = "GATEWAY_BENCH_RESULT_FILE"


def run_json_process(command: list[str], payload: object, timeout: float) -> Any:
    """Run ``command`` (a Python script of this directory and its arguments) in a process
    of its own, ``payload`` as JSON on its stdin; returns the JSON it writes (see
    ``write_result``). A generator in its own process competes with the server for the
    machine's cores as an outside client would, not for the server's interpreter."""
    with tempfile.TemporaryDirectory(prefix="gateway-bench-result-") as directory:
        result_file = Path(directory) / "result.json"
        with subprocess.Popen(
            [sys.executable, *command],
            stdin=subprocess.PIPE,
            env={**os.environ, RESULT_FILE_ENV: str(result_file)},
            text=True,
            start_new_session=True,  # Ctrl-C reaches only the parent, which stops the rest
        ) as process:
            try:
                process.communicate(json.dumps(payload), timeout=timeout)
            except BaseException:
                process.kill()
                raise
        if process.returncode != 0:
            raise RuntimeError(
                f"{Path(command[0]).name} failed (exit status {process.returncode})."
            )
        return json.loads(result_file.read_text())


def write_result(text: str) -> None:
    """How a process run by ``run_json_process`` answers: to a file, since a large answer
    on a pipe left non-blocking by an event loop can be cut short."""
    Path(os.environ[RESULT_FILE_ENV]).write_text(text)


def run_load(spec: LoadSpec) -> LoadResult:
    data = run_json_process(
        [str(BENCH_DIR / "common.py"), "generate-load"],
        asdict(spec),
        timeout=spec.warmup + spec.duration + 60,
    )
    return LoadResult.from_json(json.dumps(data))


def describe(result: LoadResult) -> str:
    others = ", ".join(f"{n} x {s}" for s, n in sorted(result.other_statuses.items()))
    return (
        f"{result.ok} x 2xx in {result.seconds:.1f} s"
        f"; non-2xx: {others or 'none'}; connection errors: {result.connection_errors}"
        f"; load generator CPU {result.cpu_share:.0%}"
    )


def describe_cpu(shares: dict[str, float]) -> str:
    """``shares`` (cores used, by process name) as one line."""
    parts = [f"{name} {share:.2f}" for name, share in shares.items()]
    return f"CPU used, in cores of {os.cpu_count()}: {', '.join(parts)}" if parts else ""


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


async def _redis_db_size(url: str, *, flush: bool = False) -> int:
    client = Redis.from_url(url)
    try:
        if flush:
            await client.flushdb()
        return int(await client.dbsize())
    finally:
        await client.aclose()


@contextlib.contextmanager
def emptied_on_exit(redis_url: str) -> Iterator[None]:
    """Flush the Redis database on exit if it was empty at the start (a database of the
    benchmark's own: arq jobs and results, counters); otherwise leave it alone."""
    empty = asyncio.run(_redis_db_size(redis_url)) == 0
    if not empty:
        print("The Redis database is not empty: it will not be flushed at the end.")
    try:
        yield
    finally:
        if empty:
            asyncio.run(_redis_db_size(redis_url, flush=True))


@contextlib.contextmanager
def backing_services(*, flush_redis: bool = False) -> Iterator[Backing]:
    """The configured servers (with a scratch database), or embedded ones in a temporary
    directory; everything started here is stopped on exit. With ``flush_redis`` a
    configured Redis database that was empty at the start is flushed at the end."""
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
            if flush_redis:
                stack.enter_context(emptied_on_exit(redis_url))
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


def gateway_env(backing: Backing, secret_key: str, data_dir: Path) -> dict[str, str]:
    """The environment of the gateway's processes (API and worker)."""
    return {
        "GATEWAY_DATABASE_URL": backing.database_url,
        "GATEWAY_REDIS_URL": backing.redis_url,
        "GATEWAY_SECRET_KEY": secret_key,
        "GATEWAY_LOG_LEVEL": "WARNING",
        "GATEWAY_DATA_DIR": str(data_dir),
        # The benchmarks drive sandbox sessions hard: test mode's allowances are not what
        # they measure.
        "GATEWAY_TEST_MODE_SESSIONS": "1000000",
        "GATEWAY_TEST_MODE_MESSAGES_PER_DAY": "1000000000",
    }


# --- Servers and the worker ------------------------------------------------------------


@dataclass
class Target:
    label: str
    app: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    # A GET answering 200 once the server is ready; ``path`` when unset.
    ready_path: str | None = None


def _get_status(port: int, path: str, headers: dict[str, str]) -> int | None:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def stop_process(process: subprocess.Popen[Any]) -> None:
    """SIGTERM, then SIGKILL if it has not exited within ``STOP_TIMEOUT``."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def serving(
    target: Target, port: int, loop: str, http_impl: str
) -> Iterator[subprocess.Popen[bytes]]:
    """The target's server, started and answering 200 on its ready path; stopped on exit."""
    command = [sys.executable, str(BENCH_DIR / "apps.py"), target.app]
    command += ["--host", HOST, "--port", str(port), "--loop", loop, "--http", http_impl]
    process = subprocess.Popen(
        command,
        env={**os.environ, **target.env},
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches only the parent, which stops the server
    )
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        ready_path = target.ready_path or target.path
        while (status := _get_status(port, ready_path, target.headers)) != 200:
            if process.poll() is not None:
                raise RuntimeError(f"The {target.app} server exited ({process.returncode}).")
            if time.monotonic() > deadline:
                raise RuntimeError(f"The {target.app} server was not ready (last: {status}).")
            time.sleep(0.1)
        yield process
    finally:
        stop_process(process)


@contextlib.contextmanager
def running_worker(env: dict[str, str], workdir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``gateway worker`` (the real command, from this interpreter's environment), its
    output in ``workdir/worker.log``; stopped on exit."""
    command = [str(Path(sys.executable).parent / "gateway"), "worker"]
    log_path = workdir / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            env={**os.environ, **env},
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        stop_process(process)
        output = log_path.read_text(errors="replace")
        if process.returncode not in (0, -signal.SIGTERM):
            print(f"The worker exited with status {process.returncode}:\n{output[-2000:]}")
        elif problems := _log_problems(output):
            print(f"The worker logged: {problems}")


def _log_problems(output: str) -> str:
    """The worker's warnings and errors (JSON log lines), counted by event."""
    counts: Counter[str] = Counter()
    for line in output.splitlines():
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            if isinstance(entry, dict) and entry.get("level") in ("warning", "error", "critical"):
                counts[f"{entry['level']} {entry.get('event', '?')}"] += 1
    return ", ".join(f"{name} x {n}" for name, n in counts.most_common())


def _api(
    port: int, api_key: str, method: str, path: str, body: object | None = None
) -> tuple[int, Any]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    headers = {"Authorization": f"Bearer {api_key}"}
    payload = None
    if body is not None:
        payload = json.dumps(body)
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


def api(
    port: int, api_key: str, method: str, path: str, body: object | None = None
) -> tuple[int, Any]:
    """One request to the gateway's API on ``port``: (status, parsed JSON body)."""
    return _api(port, api_key, method, path, body)


def create_working_sessions(
    port: int, api_key: str, count: int, worker: subprocess.Popen[bytes]
) -> list[str]:
    """Create ``count`` sandbox sessions that link by themselves, and wait until the
    worker's engine host has them all WORKING; returns their ids."""
    ids = []
    for n in range(count):
        status, body = _api(
            port,
            api_key,
            "POST",
            "/v1/sessions",
            {"name": f"bench-{n}", "config": {"sandbox": {"auto_link": True}}},
        )
        if status != 201:
            raise RuntimeError(f"Creating a session failed: {status} {body}")
        ids.append(body["id"])
    deadline = time.monotonic() + READY_TIMEOUT
    waiting = set(ids)
    while waiting:
        for session_id in sorted(waiting):
            status, body = _api(port, api_key, "GET", f"/v1/sessions/{session_id}")
            if status == 200 and body["status"] == "WORKING":
                waiting.discard(session_id)
        if not waiting:
            break
        if worker.poll() is not None:
            raise RuntimeError(f"The worker exited ({worker.returncode}).")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Sessions not WORKING after {READY_TIMEOUT:g} s: {waiting}")
        time.sleep(0.1)
    return ids


# --- Measuring the machine --------------------------------------------------------------


def query(database_url: str, statement: str) -> list[tuple[Any, ...]]:
    """The rows of one SQL statement, on a connection of its own."""

    async def run() -> list[tuple[Any, ...]]:
        engine = create_async_engine(normalise_database_url(database_url), poolclass=NullPool)
        try:
            async with engine.connect() as connection:
                return [tuple(row) for row in await connection.execute(text(statement))]
        finally:
            await engine.dispose()

    return asyncio.run(run())


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by the process ``pid``; None off Linux."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_rss(pid: int) -> int | None:
    """The resident memory of the process ``pid`` now, in bytes; None off Linux."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return None


def _machine_cpu() -> tuple[float, float] | None:
    """(busy, total) CPU seconds of the whole machine so far, all cores; None off Linux."""
    try:
        line = Path("/proc/stat").read_text().splitlines()[0]
    except OSError:
        return None
    ticks = [int(v) for v in line.split()[1:]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - idle) / hz, sum(ticks) / hz


class CpuMeter:
    """The CPU share of some processes and of the machine between ``start`` and ``stop``,
    in cores (1.0 = one core busy all the time)."""

    def __init__(self, processes: dict[str, int]) -> None:
        self.processes = processes
        self.shares: dict[str, float] = {}

    def start(self) -> None:
        self._wall = time.monotonic()
        self._before = {name: process_cpu(pid) for name, pid in self.processes.items()}
        self._machine = _machine_cpu()

    def stop(self) -> None:
        seconds = time.monotonic() - self._wall
        for name, pid in self.processes.items():
            before, after = self._before[name], process_cpu(pid)
            if before is not None and after is not None:
                self.shares[name] = (after - before) / seconds
        machine = _machine_cpu()
        if self._machine is not None and machine is not None:
            busy, total = machine[0] - self._machine[0], machine[1] - self._machine[1]
            cores = os.cpu_count() or 1
            self.shares["machine"] = busy / total * cores if total else 0.0


# --- Process ---------------------------------------------------------------------------


def exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def install_sigterm_handler() -> None:
    """SIGTERM unwinds like Ctrl-C, so every ``finally`` stops what it started."""
    signal.signal(signal.SIGTERM, exit_on_sigterm)


def _generator_main() -> None:
    spec = LoadSpec(**json.load(sys.stdin))
    write_result(run_async(lambda: generate_load(spec)).to_json())


if __name__ == "__main__":
    if sys.argv[1:] != ["generate-load"]:
        sys.exit("usage: python bench/common.py generate-load < spec.json")
    _generator_main()
