"""The engine host: runs the sessions leased to it, inside every worker process.

Each pass (on a timer, or at once when nudged) it renews its leases when they need it,
claims sessions that need a host (up to ``host_capacity``, of which ``web_host_capacity``
web sessions at most), and reconciles each held session's desired state with
what runs here: start, stop, restart on a new config generation, log out, delete. A pass
costs a handful of queries however many sessions the host runs: it reads a few columns of
every held session at once, decides in memory, and loads whole rows only for the sessions
it must act on. Engines that crash are restarted with backoff and FAIL after repeated
crashes. If the host cannot renew its leases in time it stops its engines itself, so
that a session never runs on two hosts.

Running sessions cost nothing while idle: engines and outboxes wait for a wake-up (a
nudge, a job, an in-memory timer), and a slow sweep per host (``SWEEP_SECONDS``, one query
per engine kind) catches what a lost nudge would have said.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.db import create_engine, create_sessionmaker
from gateway.engines import actions, leases
from gateway.engines.base import Engine, EngineResources, EngineSession, SessionStatus
from gateway.engines.control import ENGINE_NUDGE_PREFIX, NUDGE_CHANNEL
from gateway.engines.leases import SessionState
from gateway.engines.outbox import Claims, Outbox, SendRecords
from gateway.engines.registry import ENGINES
from gateway.engines.reports import (
    AckRecorder,
    LeaseLost,
    SessionReporter,
    status_change,
)
from gateway.events.service import publish_many
from gateway.kit.aftercommit import run_after_commit
from gateway.kit.channels import scoped
from gateway.kit.ids import new_id
from gateway.kit.time import utcnow
from gateway.metrics import process as metrics
from gateway.models import Session

__all__ = ["EngineHost", "LeaseLost", "Runner"]

log = structlog.get_logger(__name__)

MAX_CONSECUTIVE_CRASHES = 5
MAX_BACKOFF_SECONDS = 60.0
# The safety sweep: how often running engines check for changes a lost nudge hid.
SWEEP_SECONDS = 30.0
# Leases are renewed when a third of their time has passed, not on every pass.
RENEW_FRACTION = 1 / 3
# A pass reads the sessions updated since the previous one, less this: for clocks that
# differ a little, and for transactions that committed a while after they wrote.
READ_MARGIN = timedelta(seconds=5)


@dataclass
class Runner:
    """A session running on this host: its engine and its outbox."""

    session_id: str
    engine: Engine
    generation: int
    outbox: Outbox
    task: asyncio.Task[None] | None = None
    outbox_task: asyncio.Task[None] | None = None


@dataclass
class _Backoff:
    crashes: int = 0
    retry_at: float = 0.0


class EngineHost:
    def __init__(self, resources: EngineResources, *, host_id: str | None = None) -> None:
        settings = resources.settings
        self.resources = resources
        self.id = host_id or f"{socket.gethostname()[:20]}-{os.getpid()}-{new_id('host')[-8:]}"
        self.capacity = settings.host_capacity
        # A web session is a child process of its own (bench/README.md: ~55 MB and a
        # PostgreSQL connection each, idle), a sandbox one a few kB: web sessions have a
        # limit of their own within the host's capacity.
        self.engine_limits: dict[str, int] = {}
        if settings.web_host_capacity < settings.host_capacity:
            self.engine_limits["web"] = settings.web_host_capacity
        self.lease_seconds = settings.host_lease_seconds
        self.interval = settings.host_reconcile_seconds
        self.runners: dict[str, Runner] = {}
        self.held: set[str] = set()
        self.acks = AckRecorder(self)
        self.sends = SendRecords(self)
        self.claims = Claims(self)
        self._backoff: dict[str, _Backoff] = {}
        self._wake = asyncio.Event()
        self._last_renewal = time.monotonic()
        self._renewed_once = False
        self._next_sweep = time.monotonic() + SWEEP_SECONDS
        self._closing = False
        # What the last passes read of the held sessions, and what to read again.
        self._states: dict[str, SessionState] = {}
        self._dirty: set[str] = set()
        self._read_since: datetime | None = None
        self._next_full_read = 0.0
        # The pass has a connection of its own: a thousand engines starting at once must
        # not keep it from renewing the leases they run under.
        assert settings.database_url is not None
        self._pass_engine = create_engine(settings.database_url, pool_size=1)
        self._pass_sessionmaker = create_sessionmaker(self._pass_engine)

    # -- the loop ---------------------------------------------------------------------

    async def run(self) -> None:
        """Reconcile until cancelled; then stop everything and give the leases up."""
        listener = asyncio.create_task(self._listen_for_nudges(), name=f"nudges-{self.id}")
        try:
            while True:
                try:
                    await self.reconcile()
                    if time.monotonic() >= self._next_sweep:
                        await self.sweep()
                except (SQLAlchemyError, OSError) as exc:
                    log.warning("host.reconcile_failed", host_id=self.id, error=str(exc))
                    await self._fence()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.interval)
                self._wake.clear()
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
            await self.shutdown()

    def wake(self) -> None:
        self._wake.set()

    async def commit(self, db: AsyncSession) -> None:
        """Commit, then push what the transaction deferred (event notifications)."""
        await db.commit()
        await run_after_commit(db, self.resources.redis)

    def wake_outbox(self, session_id: str) -> bool:
        """New work for a session's outbox; False if this host does not run it."""
        runner = self.runners.get(session_id)
        if runner is None:
            return False
        runner.outbox.wake()
        return True

    async def reconcile(self) -> None:
        """One pass: renew, claim, and bring every held session to its desired state."""
        now, started_at = time.monotonic(), utcnow()
        renew = not self._renewed_once or (
            now - self._last_renewal >= self.lease_seconds * RENEW_FRACTION
        )
        # What changed since the last read (with a margin for clocks and for transactions
        # that committed late), the sessions nudged and those just claimed; everything
        # once per sweep, in case a change slipped past both.
        full = self._read_since is None or now >= self._next_full_read
        async with self._pass_sessionmaker() as db:
            held = await leases.renew(db, self.id, self.lease_seconds) if renew else set(self.held)
            claimed = leases.Claimed()
            if len(held) < self.capacity:
                claimed = await leases.claim(
                    db,
                    self.id,
                    self.lease_seconds,
                    self.capacity - len(held),
                    engine_limits=self.engine_limits,
                )
            held |= claimed
            metrics.leases_taken_over(len(claimed.taken_over))
            asked = (self._dirty | claimed | (held - set(self._states))) & held
            since = None if full or self._read_since is None else self._read_since - READ_MARGIN
            states = await leases.states_of(
                db, sorted(held), changed_since=since, also=sorted(asked)
            )
            await self.commit(db)
        if renew:
            self._last_renewal, self._renewed_once = now, True
        self._dirty -= asked
        self._read_since = started_at
        if full:
            self._next_full_read = now + SWEEP_SECONDS
            self._states = states
        else:
            self._states.update(states)
        gone = (held - set(states)) if full else (asked - set(states))
        for session_id in set(self._states) - held | gone:
            self._states.pop(session_id, None)
        for lost in set(self.runners) - held:
            log.warning("host.lease_lost", host_id=self.id, session_id=lost)
            await self._stop_runner(lost)
        self.held = held
        to_start: list[str] = []
        to_act: list[str] = []
        for session_id in sorted(held):
            state = self._states.get(session_id)
            if state is None:  # deleted meanwhile, lease and all
                await self._stop_runner(session_id)
                self.held.discard(session_id)
            elif self._needs_action(state):
                to_act.append(session_id)
            elif self._should_start(state):
                to_start.append(session_id)
        # What the host does to these sessions changes their rows: read them again.
        self._dirty |= set(to_act) | set(to_start)
        if to_act:
            async with self.resources.sessionmaker() as db:
                rows = await leases.sessions_of(db, to_act)
            for session_id in to_act:
                try:
                    await actions.reconcile_session(self, session_id, rows.get(session_id))
                except LeaseLost:
                    await self._stop_runner(session_id)
                    self.held.discard(session_id)
        if to_start:
            await self._start_runners(to_start)

    def nudged(self, session_id: str) -> None:
        """The API changed what it wants of ``session_id``: read it in the next pass, now."""
        self._dirty.add(session_id)
        self.wake()

    def _needs_action(self, state: SessionState) -> bool:
        """Whether the session must be logged out, deleted, stopped or released."""
        if state.logout_pending or state.desired_state in ("deleted", "stopped"):
            return True
        return state.failed_for_good

    def _should_start(self, state: SessionState) -> bool:
        """Whether a session that should run needs its engine (re)started now."""
        runner = self.runners.get(state.id)
        if runner is not None and runner.generation != state.generation:
            return True  # new config, or restart asked for
        if runner is not None and runner.task is not None and not runner.task.done():
            return False
        backoff = self._backoff.get(state.id)
        return backoff is None or time.monotonic() >= backoff.retry_at

    async def sweep(self) -> None:
        """The slow safety sweep: each kind of engine checks its running sessions for a
        change a lost nudge did not announce (one query per kind)."""
        self._next_sweep = time.monotonic() + SWEEP_SECONDS
        by_kind: dict[type[Engine], list[Engine]] = defaultdict(list)
        for runner in self.runners.values():
            by_kind[type(runner.engine)].append(runner.engine)
        for kind, engines in by_kind.items():
            await kind.sweep(self.resources, engines)

    async def _fence(self) -> None:
        """Could not renew: past most of the lease, another host may claim our sessions
        soon, so stop running them here first."""
        if time.monotonic() - self._last_renewal > self.lease_seconds * 0.75 and self.runners:
            log.warning("host.fencing", host_id=self.id, sessions=len(self.runners))
            for session_id in list(self.runners):
                await self._stop_runner(session_id)

    async def _listen_for_nudges(self) -> None:
        while True:
            pubsub = self.resources.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(scoped(self.resources.redis, NUDGE_CHANNEL))
                while True:
                    message = await pubsub.get_message(timeout=5.0)
                    if message is None or message["type"] != "message":
                        continue
                    data = message["data"]
                    text = data.decode() if isinstance(data, bytes) else str(data)
                    # An engine nudge concerns the engine alone (the sandbox phone did
                    # something): no pass needed.
                    engine_only = text.startswith(ENGINE_NUDGE_PREFIX)
                    session_id = text.removeprefix(ENGINE_NUDGE_PREFIX)
                    runner = self.runners.get(session_id)
                    if runner is not None:
                        runner.engine.poke()
                    if not engine_only:
                        self.nudged(session_id)
            except (RedisError, OSError) as exc:
                log.warning("host.nudges_unavailable", host_id=self.id, error=str(exc))
                await asyncio.sleep(1.0)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    # -- sessions ---------------------------------------------------------------------

    async def _start_runners(self, session_ids: list[str]) -> None:
        """Start (or restart) the engines of these sessions. STARTING and the generation
        each starts are written together under the lease, for all of them at once."""
        for session_id in session_ids:
            if session_id in self.runners:  # new config, or restart asked for
                await self._stop_runner(session_id)
                self._backoff.pop(session_id, None)
        async with self._pass_sessionmaker() as db:
            rows = await leases.lock_all_held(db, self.id, session_ids)
            lost = set(session_ids) - {row.id for row in rows}
            # The pass read the sessions before their engines reported (e.g. FAILED just
            # now): the locked rows are the truth, and the next pass acts on them.
            rows = [row for row in rows if _should_run(row)]
            events = []
            for row in rows:
                row.observed_generation = row.generation
                if row.status != SessionStatus.STARTING:  # a retry keeps the crash as reason
                    event = status_change(row, SessionStatus.STARTING, None)
                    if event is not None:
                        events.append(event)
            await publish_many(db, events)
            await self.commit(db)
        for session_id in lost:
            await self._stop_runner(session_id)
            self.held.discard(session_id)
        for row in rows:
            self._run(row)

    def _run(self, session: Session) -> None:
        engine = ENGINES[session.engine](
            EngineSession(
                id=session.id,
                account_id=session.account_id,
                name=session.name,
                engine=session.engine,
                config=dict(session.config),
            ),
            self.report(session.id),
            self.resources,
        )
        runner = Runner(session.id, engine, session.generation, Outbox(self, session, engine))
        runner.task = asyncio.create_task(self._supervise(runner), name=f"engine-{session.id}")
        runner.outbox_task = asyncio.create_task(runner.outbox.run(), name=f"outbox-{session.id}")
        self.runners[session.id] = runner
        log.info("host.session_started", host_id=self.id, session_id=session.id)

    async def _supervise(self, runner: Runner) -> None:
        try:
            await runner.engine.run()
            self._backoff.pop(runner.session_id, None)
        except asyncio.CancelledError:
            raise
        except LeaseLost:
            log.warning("host.lease_lost", host_id=self.id, session_id=runner.session_id)
        except Exception as exc:
            backoff = self._backoff.setdefault(runner.session_id, _Backoff())
            backoff.crashes += 1
            delay = min(MAX_BACKOFF_SECONDS, 2.0 ** (backoff.crashes - 1))
            backoff.retry_at = time.monotonic() + delay
            log.exception(
                "host.engine_crashed",
                host_id=self.id,
                session_id=runner.session_id,
                crashes=backoff.crashes,
                retry_in=delay,
            )
            metrics.engine_failed(runner.engine.name, "crash")
            final = backoff.crashes >= MAX_CONSECUTIVE_CRASHES
            with contextlib.suppress(LeaseLost):
                await self.report(runner.session_id).status(
                    SessionStatus.FAILED if final else SessionStatus.STARTING,
                    f"engine_crashed: {type(exc).__name__}",
                )
            if final:
                self._backoff.pop(runner.session_id, None)
        finally:
            if self.runners.get(runner.session_id) is runner:
                del self.runners[runner.session_id]
                if runner.outbox_task is not None:
                    runner.outbox_task.cancel()
            self.wake()

    def forgive_crashes(self, session_id: str) -> None:
        """The session connected: its past crashes no longer count towards FAILED."""
        self._backoff.pop(session_id, None)

    async def _stop_runner(self, session_id: str) -> None:
        runner = self.runners.pop(session_id, None)
        if runner is None or runner.task is None:
            return
        for task in (runner.outbox_task, runner.task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        log.info("host.session_stopped", host_id=self.id, session_id=session_id)

    async def shutdown(self) -> None:
        """Stop every engine and give the leases up, so another host takes over at once."""
        if self._closing:
            return
        self._closing = True
        for session_id in list(self.runners):
            await self._stop_runner(session_id)
        await self.acks.close()
        await self.sends.close()
        await self.claims.close()
        try:
            async with self.resources.sessionmaker() as db:
                await leases.release(db, self.id)
                await self.commit(db)
        except (SQLAlchemyError, OSError) as exc:
            log.warning("host.release_failed", host_id=self.id, error=str(exc))
        await self._pass_engine.dispose()
        log.info("host.stopped", host_id=self.id)

    def report(self, session_id: str) -> SessionReporter:
        return SessionReporter(self, session_id)


def _should_run(row: Session) -> bool:
    failed_for_good = (
        row.status == SessionStatus.FAILED and row.observed_generation == row.generation
    )
    return row.desired_state == "running" and not failed_for_good
