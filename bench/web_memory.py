"""Memory per idle web session: its child process, and what the engine host holds for it
(DESIGN §10: one idle web session's RSS measured and documented, aim < 40 MB).

    .venv/bin/python bench/web_memory.py [--sessions 1,10,50] [--clients fake,neonize]
                                         [--settle 3] [--samples 5] [--concurrency 4]

This process is the engine host: for each client and each N it runs N real ``WebEngine``
objects (``gateway.engines.web.engine``) over stored ``web`` sessions, as a worker's host
runs them (a child process each, its reader task, the engine's reporting and watchdog
tasks), reporting to a sink that only counts. Every child is measured from
``/proc/<pid>/smaps_rollup`` once all N are idle:

- ``fake``: the neonize adapter over the fake neonize client, with ``auto_link``: linked
  (``linked`` reported, the device recorded) and idle. It imports neonize's protobufs,
  which loads neonize's Go library too, but builds no whatsmeow client.
- ``neonize``: the real client, as far as it gets without WhatsApp: the Go library loaded,
  the device store opened in PostgreSQL (whatsmeow's own tables), ``NewAClient`` built,
  ``connect()`` running, dialling ``web.whatsapp.com``. The children's ``HTTPS_PROXY`` is a
  listener of this process that accepts the proxy's ``CONNECT`` and never answers, so the
  dial waits (without it the dial fails at once and the child exits). A session counts as
  idle once its ``CONNECT`` has arrived. What a *linked* session adds (the websocket, the
  Noise and Signal sessions, app state) is not measured here: no WhatsApp account.

Figures: per child RSS, PSS (shared pages, the Go library's and Python's, divided between
the processes that map them: the sum over children is what N children cost together),
USS (private pages only: what stopping one child frees), threads, and the PostgreSQL
connections the children hold; the host's RSS growth per session; the machine's
``MemAvailable`` drop per session (PostgreSQL's backends for those connections included,
when PostgreSQL is local). Before the runs, ``--samples`` children of each client are
timed one at a time (spawn → ``ready``, and ``start`` answered), and reference processes
say what a child's memory is made of: the bare interpreter, the child's own modules, and
those plus ``import neonize``.

Engines start ``--concurrency`` at a time (each spawn imports neonize, ~0.5 s of CPU; all
at once on 2 cores would run into the 15 s ready timeout). For ``neonize``, N is lowered
to what PostgreSQL's ``max_connections`` leaves room for, and the script says so.

PostgreSQL as in the other scripts (``GATEWAY_BENCH_DATABASE_URL``: a scratch database on
that server, dropped at the end; else an embedded one). ``run()`` returns the rows a
``make bench`` runner prints.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from arq.connections import ArqRedis
from sqlalchemy import text

from common import backing_services, install_sigterm_handler, process_rss
from gateway.accounts.service import create_account
from gateway.config import Settings
from gateway.db import create_engine, create_sessionmaker
from gateway.engines.base import (
    EngineResources,
    EngineSession,
    InboundEdit,
    InboundMessage,
    InboundRevoke,
    IncomingCall,
    Me,
    MessageAck,
    SessionStatus,
)
from gateway.engines.records import GroupChange, PresenceUpdate
from gateway.engines.web.devices import store_url_for
from gateway.engines.web.engine import WebEngine
from gateway.engines.web.process import ChildProcess
from gateway.kit.ids import new_id
from gateway.kit.logging import configure_logging
from gateway.models import Session
from gateway.runtime.migrate import upgrade

TARGET_RSS_MB = 40  # DESIGN §10's aim for one idle web session's child
CHILD_MODULE = b"gateway.engines.web.child"
START_TIMEOUT = 60.0
CLOSE_GRACE = 1.0  # a neonize child mid-dial ignores stop: no need to wait long for it
# Connections PostgreSQL keeps for superusers, and some for this script and the host.
RESERVED_CONNECTIONS = 3 + 6
_GO_LIBRARY = (
    "import ctypes, importlib.util, pathlib; ctypes.CDLL(str(next(pathlib.Path(importlib.util"
    ".find_spec('neonize').submodule_search_locations[0]).glob('neonize-*.so'))))"
)
# Processes that stop short of a child, each a layer more: what each layer costs.
REFERENCES = {
    "bare interpreter": "import time",
    "+ the child's modules": "import gateway.engines.web.child",
    "+ only the Go library": f"import gateway.engines.web.child; {_GO_LIBRARY}",
    "+ import neonize": "import gateway.engines.web.child; import neonize",
}
MB = 1024 * 1024


# --- /proc ------------------------------------------------------------------------------


@dataclass
class Memory:
    rss: int = 0
    pss: int = 0
    uss: int = 0
    # Private and written: what no other process shares, whatever else runs on the machine
    # (USS also counts the file pages no other process happens to map at the moment).
    anon: int = 0

    def __add__(self, other: Memory) -> Memory:
        return Memory(
            self.rss + other.rss, self.pss + other.pss, self.uss + other.uss,
            self.anon + other.anon,
        )  # fmt: skip

    def describe(self) -> str:
        return (
            f"RSS {self.rss / MB:5.1f}  PSS {self.pss / MB:5.1f}  USS {self.uss / MB:5.1f}  "
            f"anonymous {self.anon / MB:5.1f} MB"
        )


def memory_of(pid: int) -> Memory | None:
    """RSS, PSS, USS and anonymous memory of ``pid`` (bytes), from its smaps_rollup; None
    if it is gone."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return None
    kb: dict[str, int] = {}
    for line in lines[1:]:
        name, _, rest = line.partition(":")
        with contextlib.suppress(ValueError, IndexError):
            kb[name] = int(rest.split()[0])
    return Memory(
        kb.get("Rss", 0) * 1024,
        kb.get("Pss", 0) * 1024,
        (kb.get("Private_Clean", 0) + kb.get("Private_Dirty", 0)) * 1024,
        kb.get("Anonymous", 0) * 1024,
    )


def threads_of(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


def breakdown_of(pid: int) -> dict[str, Memory]:
    """The process's memory by kind of mapping: neonize's Go library (its file pages),
    other files (the interpreter, extension modules, libc), the malloc heap, and
    anonymous memory (Python's object arenas, Go's heap and stacks, thread stacks)."""
    parts: dict[str, Memory] = {}
    kind = "anonymous"
    values: dict[str, int] = {}

    def flush() -> None:
        if values:
            uss = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
            memory = Memory(
                values.get("Rss", 0) * 1024, values.get("Pss", 0) * 1024, uss * 1024,
                values.get("Anonymous", 0) * 1024,
            )  # fmt: skip
            parts[kind] = parts.get(kind, Memory()) + memory
        values.clear()

    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split(maxsplit=5)
        if len(head) >= 5 and "-" in head[0] and ":" not in head[0]:
            flush()
            path = head[5] if len(head) == 6 else ""
            if "neonize" in path and path.endswith(".so"):
                kind = "neonize's Go library (.so)"
            elif path.startswith("/"):
                kind = "other files (python, .so)"
            elif path == "[heap]":
                kind = "malloc heap"
            else:
                kind = "anonymous"
            continue
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss", "Private_Clean", "Private_Dirty", "Anonymous"):
            values[name] = values.get(name, 0) + int(rest.split()[0])
    flush()
    return parts


def children_of(pid: int) -> list[int]:
    """The live web session children of ``pid``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            command = (proc / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if int(stat[1]) == pid and stat[0] not in ("Z", "X") and CHILD_MODULE in command:
            found.append(int(proc.name))
    return found


def mem_available() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    return 0


# --- the engines' side ------------------------------------------------------------------


class CountingEvents:
    """EngineEvents that only counts what matters here: linked, and failures."""

    def __init__(self) -> None:
        self.linked_at: float | None = None
        self.failures: list[str] = []

    async def status(self, status: SessionStatus, reason: str | None = None) -> None:
        if status == SessionStatus.FAILED:
            self.failures.append(reason or "failed")

    async def qr(self, value: str, expires_at: datetime) -> None:
        return None

    async def linked(self, me: Me) -> None:
        self.linked_at = time.monotonic()

    async def message_received(
        self, message: InboundMessage, *, media_content: bytes | None = None
    ) -> None:
        return None

    async def message_edited(self, edit: InboundEdit) -> None:
        return None

    async def message_revoked(self, revoke: InboundRevoke) -> None:
        return None

    async def message_ack(self, engine_message_id: str, status: str) -> None:
        return None

    async def message_acks(self, acks: Sequence[MessageAck]) -> list[MessageAck]:
        return []

    async def group_changed(self, change: GroupChange, *, key: str | None = None) -> None:
        return None

    async def presence(self, update: PresenceUpdate, *, key: str | None = None) -> None:
        return None

    async def call_received(self, call: IncomingCall, *, key: str | None = None) -> None:
        return None


class StallingProxy:
    """An HTTPS proxy that takes a CONNECT and never answers: whatsmeow's dial waits."""

    def __init__(self) -> None:
        self.connects = 0
        self._writers: list[asyncio.StreamWriter] = []
        self._server: asyncio.Server | None = None
        self.url = ""

    async def __aenter__(self) -> StallingProxy:
        self._server = await asyncio.start_server(self._hold, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        for writer in self._writers:
            writer.close()
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            await reader.readuntil(b"\r\n\r\n")
            self.connects += 1
            await reader.read()  # until the child goes


@contextlib.contextmanager
def proxied(url: str) -> Iterator[None]:
    """Children spawned meanwhile dial WhatsApp through ``url`` (they inherit it)."""
    saved = {name: os.environ.get(name) for name in ("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY")}
    os.environ.update({"HTTPS_PROXY": url, "HTTP_PROXY": url, "NO_PROXY": ""})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass
class Fleet:
    """N engines running, and how to tell they are idle."""

    client: str
    engines: list[tuple[WebEngine, CountingEvents, asyncio.Task[None]]] = field(
        default_factory=list
    )


@dataclass
class Measured:
    client: str
    sessions: int
    ramp_seconds: float
    child: list[Memory]
    threads: list[int]
    host_growth: int
    available_drop: int
    connections: int
    failures: list[str]
    note: str = ""

    def per_child(self, attribute: str) -> float:
        return statistics.mean(getattr(m, attribute) for m in self.child) / MB

    def total(self, attribute: str) -> float:
        return sum(getattr(m, attribute) for m in self.child) / MB


async def _store_sessions(resources: EngineResources, account_id: str, count: int) -> list[str]:
    ids = [new_id("ses") for _ in range(count)]
    async with resources.sessionmaker() as db:
        db.add_all(
            Session(
                id=session_id, account_id=account_id, name=session_id, engine="web",
                config={}, desired_state="running",
            )
            for session_id in ids
        )  # fmt: skip
        await db.commit()
    return ids


def _engine(
    resources: EngineResources, account_id: str, session_id: str, client: str
) -> tuple[WebEngine, CountingEvents]:
    events = CountingEvents()
    web: dict[str, Any] = {"client": client}
    if client == "fake":
        web["auto_link"] = True
    session = EngineSession(
        id=session_id, account_id=account_id, name=session_id, engine="web",
        config={"web": web},
    )  # fmt: skip
    return WebEngine(session, events, resources), events


async def _connections(resources: EngineResources) -> int:
    """Connections to this database, other than the one asking."""
    async with resources.sessionmaker() as db:
        count = await db.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
            )
        )
    return int(count or 0)


async def _free_connections(resources: EngineResources) -> int:
    async with resources.sessionmaker() as db:
        limit = int(await db.scalar(text("SHOW max_connections")) or 0)
        used = int(await db.scalar(text("SELECT count(*) FROM pg_stat_activity")) or 0)
    return limit - used - RESERVED_CONNECTIONS


@contextlib.asynccontextmanager
async def running_fleet(
    resources: EngineResources,
    account_id: str,
    client: str,
    count: int,
    concurrency: int,
    proxy: StallingProxy | None,
) -> AsyncIterator[tuple[Fleet, float]]:
    """``count`` engines of ``client``, all idle; stopped (children closed) on exit.
    Yields the fleet and the seconds it took to get all of them idle."""
    fleet = Fleet(client)
    ids = await _store_sessions(resources, account_id, count)
    started = time.monotonic()
    try:
        for first in range(0, count, concurrency):
            for session_id in ids[first : first + concurrency]:
                engine, events = _engine(resources, account_id, session_id, client)
                task = asyncio.create_task(engine.run(), name=f"engine-{session_id}")
                fleet.engines.append((engine, events, task))
            await _until_idle(fleet, proxy, len(fleet.engines))
        yield fleet, time.monotonic() - started
    finally:
        for _, _, task in fleet.engines:
            task.cancel()
        await asyncio.gather(*(task for _, _, task in fleet.engines), return_exceptions=True)


async def _until_idle(fleet: Fleet, proxy: StallingProxy | None, count: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        ended = [task for _, _, task in fleet.engines if task.done()]
        failures = [f for _, events, _ in fleet.engines for f in events.failures]
        if ended or failures:
            errors = [repr(t.exception()) for t in ended if not t.cancelled() and t.exception()]
            raise RuntimeError(f"{fleet.client} engines ended: {failures + errors}")
        if proxy is not None:
            idle = proxy.connects
        else:
            idle = sum(events.linked_at is not None for _, events, _ in fleet.engines)
        if idle >= count:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{idle} of {count} {fleet.client} sessions idle after start")
        await asyncio.sleep(0.05)


async def measure(
    resources: EngineResources,
    account_id: str,
    client: str,
    count: int,
    *,
    concurrency: int,
    settle: float,
) -> Measured:
    note = ""
    async with contextlib.AsyncExitStack() as stack:
        proxy = None
        if client == "neonize":
            proxy = await stack.enter_async_context(StallingProxy())
            stack.enter_context(proxied(proxy.url))
        gc.collect()
        await asyncio.sleep(0.5)
        host_before = process_rss(os.getpid()) or 0
        available_before = mem_available()
        connections_before = await _connections(resources)
        fleet, ramp = await stack.enter_async_context(
            running_fleet(resources, account_id, client, count, concurrency, proxy)
        )
        await asyncio.sleep(settle)
        gc.collect()
        pids = children_of(os.getpid())
        memories = [m for m in map(memory_of, pids) if m is not None]
        threads = [threads_of(pid) for pid in pids]
        host_growth = (process_rss(os.getpid()) or 0) - host_before
        available_drop = available_before - mem_available()
        connections = await _connections(resources) - connections_before
        failures = [f for _, events, _ in fleet.engines for f in events.failures]
        if len(memories) != count:
            note = f"{len(memories)} children found for {count} sessions"
    return Measured(
        client, count, ramp, memories, threads, host_growth, available_drop, connections,
        failures, note,
    )  # fmt: skip


# --- one child at a time: timings, and what its memory is made of -----------------------


@dataclass
class Timing:
    client: str
    to_ready: list[float]
    to_started: list[float]
    breakdown: dict[str, Memory]


async def time_children(store: str, client: str, samples: int) -> Timing:
    """Spawn → ``ready`` and ``ready`` → ``start`` answered, one child at a time."""
    to_ready, to_started = [], []
    breakdown: dict[str, Memory] = {}
    async with contextlib.AsyncExitStack() as stack:
        if client == "neonize":
            proxy = await stack.enter_async_context(StallingProxy())
            stack.enter_context(proxied(proxy.url))
        for n in range(samples):
            began = time.monotonic()
            child = await ChildProcess.spawn(f"ses_timing_{n}", client, log_level="ERROR")
            try:
                ready = time.monotonic()
                options = {"device_store": store, "auto_link": True}
                await child.call("start", options=options)
                to_ready.append(ready - began)
                to_started.append(time.monotonic() - ready)
                if n == samples - 1:
                    await asyncio.sleep(1.0)
                    breakdown = breakdown_of(child.pid)
            finally:
                await child.close(CLOSE_GRACE)
    return Timing(client, to_ready, to_started, breakdown)


def reference_processes() -> dict[str, Memory]:
    """RSS, PSS and USS of each of ``REFERENCES``, one at a time."""
    found = {}
    for label, code in REFERENCES.items():
        program = f"{code}; import sys, time; sys.stdout.write('.'); sys.stdout.flush(); "
        program += "time.sleep(60)"
        process = subprocess.Popen(
            [sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        try:
            assert process.stdout is not None
            process.stdout.read(1)
            time.sleep(0.5)
            found[label] = memory_of(process.pid) or Memory()
        finally:
            process.kill()
            process.wait()
    return found


# --- the run ----------------------------------------------------------------------------


async def _measure_all(
    database_url: str,
    redis_url: str,
    sessions: Sequence[int],
    clients: Sequence[str],
    *,
    settle: float,
    samples: int,
    concurrency: int,
) -> tuple[list[Timing], list[Measured]]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url, redis_url=redis_url, log_level="ERROR",
        secret_key=secrets.token_urlsafe(48),
    )  # fmt: skip
    engine = create_engine(database_url, pool_size=2)
    redis = ArqRedis.from_url(redis_url)  # the web engine never uses it: never connected
    resources = EngineResources(settings, create_sessionmaker(engine), redis)
    try:
        async with resources.sessionmaker() as db:
            account, _, _ = await create_account(
                db, secret=settings.secret, name="Benchmark", default_rate_limit="10/second"
            )
            await db.commit()
        store = store_url_for(database_url)
        timings = [await time_children(store, client, samples) for client in clients]
        results = []
        for client in clients:
            # A first engine creates the store's tables and warms this process's imports.
            await measure(resources, account.id, client, 1, concurrency=1, settle=0.5)
            per_child_connections = 1
            for count in sessions:
                wanted = count
                if client == "neonize":
                    room = await _free_connections(resources)
                    count = min(count, max(1, room // per_child_connections))
                result = await measure(
                    resources, account.id, client, count, concurrency=concurrency, settle=settle
                )
                if count != wanted:
                    result.note = (
                        f"{wanted} asked; {count} fit PostgreSQL's max_connections at "
                        f"{per_child_connections} connections a child"
                    )
                per_child_connections = max(1, round(result.connections / count))
                results.append(result)
                _print_measured(result)
        return timings, results
    finally:
        await redis.aclose()
        await engine.dispose()


def _print_timing(timing: Timing) -> None:
    ready, started = timing.to_ready, timing.to_started
    print(
        f"{timing.client}: spawn → ready {statistics.median(ready):.2f} s median "
        f"(min {min(ready):.2f}, max {max(ready):.2f}, {len(ready)} children one at a time); "
        f"ready → start answered {statistics.median(started) * 1000:.0f} ms median"
    )
    for kind, memory in sorted(timing.breakdown.items(), key=lambda kv: -kv[1].rss):
        print(f"    {kind:<28} {memory.describe()}")


def _print_measured(m: Measured) -> None:
    n = m.sessions
    print(
        f"{m.client:>7} N={n:<3} per child RSS {m.per_child('rss'):5.1f}  PSS "
        f"{m.per_child('pss'):5.1f}  USS {m.per_child('uss'):5.1f}  anonymous "
        f"{m.per_child('anon'):5.1f} MB; "
        f"threads {statistics.mean(m.threads):.0f}; all children PSS {m.total('pss'):6.0f} MB; "
        f"host +{m.host_growth / n / MB:.2f} MB/session; MemAvailable drop "
        f"{m.available_drop / n / MB:.1f} MB/session; PostgreSQL connections "
        f"{m.connections / n:.1f}/session; idle after {m.ramp_seconds:.1f} s"
        + (f"; {m.note}" if m.note else ""),
        flush=True,
    )


def run(
    sessions: Sequence[int] = (1, 10, 50),
    clients: Sequence[str] = ("fake", "neonize"),
    settle: float = 3.0,
    samples: int = 5,
    concurrency: int = 4,
) -> list[dict[str, Any]]:
    """Measure and return the rows: per idle web session, its child's RSS and PSS (at the
    largest N of each client), and the host's growth."""
    configure_logging("ERROR")
    with backing_services() as backing:
        print(f"Using {backing.description}.", flush=True)
        upgrade(backing.database_url)
        references = reference_processes()
        for label, memory in references.items():
            print(f"reference, {label:<24} {memory.describe()}")
        timings, results = asyncio.run(
            _measure_all(
                backing.database_url, backing.redis_url, sessions, clients,
                settle=settle, samples=samples, concurrency=concurrency,
            )
        )  # fmt: skip
    for timing in timings:
        _print_timing(timing)
    rows: list[dict[str, Any]] = []
    for client in clients:
        largest = max((r for r in results if r.client == client), key=lambda r: r.sessions)
        label = f"idle web session ({client} client), N={largest.sessions}"
        rss, pss = largest.per_child("rss"), largest.per_child("pss")
        rows += [
            {"name": f"{label}: child RSS (MB)", "figure": round(rss, 1), "bare": None,
             "ratio": None, "target": f"< {TARGET_RSS_MB} (aim)", "held": rss < TARGET_RSS_MB},
            {"name": f"{label}: child PSS (MB)", "figure": round(pss, 1), "bare": None,
             "ratio": None, "target": "measured", "held": None},
            {"name": f"{label}: host growth per session (MB)",
             "figure": round(largest.host_growth / largest.sessions / MB, 2), "bare": None,
             "ratio": None, "target": "measured", "held": None},
        ]  # fmt: skip
    for timing in timings:
        rows.append(
            {"name": f"web child ({timing.client}) spawn → ready (s, median)",
             "figure": round(statistics.median(timing.to_ready), 2), "bare": None,
             "ratio": None, "target": "measured", "held": None}
        )  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,10,50", help="comma-separated N")
    parser.add_argument("--clients", default="fake,neonize", help="fake, neonize or both")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds idle before reading")
    parser.add_argument("--samples", type=int, default=5, help="children timed one at a time")
    parser.add_argument("--concurrency", type=int, default=4, help="engines started at once")
    args = parser.parse_args(argv)
    install_sigterm_handler()
    rows = run(
        [int(n) for n in args.sessions.split(",") if n],
        [name for name in args.clients.split(",") if name],
        settle=args.settle, samples=args.samples, concurrency=args.concurrency,
    )  # fmt: skip
    for row in rows:
        verdict = "" if row["held"] is None else ("held" if row["held"] else "NOT held")
        print(f"{row['name']:<62} {row['figure']:>8}   {row['target']} {verdict}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
