"""The engine host: runs the sessions leased to it, inside every worker process.

Each pass (on a timer, or at once when nudged) it renews its leases, claims sessions that
need a host, and reconciles each held session's desired state with what runs here:
start, stop, restart on a new config generation, log out, delete. Engines that crash are
restarted with backoff and FAIL after repeated crashes. If the host cannot renew its
leases in time it stops its engines itself, so that a session never runs on two hosts.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.engines import leases
from gateway.engines.base import (
    Engine,
    EngineResources,
    EngineSession,
    InboundMessage,
    Me,
    SessionStatus,
)
from gateway.engines.control import NUDGE_CHANNEL
from gateway.engines.outbox import Outbox
from gateway.engines.records import GroupChange, PresenceUpdate
from gateway.engines.registry import ENGINES
from gateway.events.service import publish_about
from gateway.events.types import EventType
from gateway.kit.aftercommit import run_after_commit
from gateway.kit.ids import new_id
from gateway.kit.time import utcnow
from gateway.media.service import store_inbound_media
from gateway.messages import repository as messages_repository
from gateway.messages.service import set_status as set_message_status
from gateway.models import Session

log = structlog.get_logger(__name__)

HISTORY_LENGTH = 20
_ACK_RANK = {"sent": 1, "delivered": 2, "read": 3, "played": 3}
MAX_CONSECUTIVE_CRASHES = 5
MAX_BACKOFF_SECONDS = 60.0


class LeaseLost(Exception):
    """The host no longer holds the session's lease: stop, write nothing."""


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
        self.lease_seconds = settings.host_lease_seconds
        self.interval = settings.host_reconcile_seconds
        self.runners: dict[str, Runner] = {}
        self.held: set[str] = set()
        self._backoff: dict[str, _Backoff] = {}
        self._wake = asyncio.Event()
        self._last_renewal = time.monotonic()
        self._closing = False

    # -- the loop ---------------------------------------------------------------------

    async def run(self) -> None:
        """Reconcile until cancelled; then stop everything and give the leases up."""
        listener = asyncio.create_task(self._listen_for_nudges(), name=f"nudges-{self.id}")
        try:
            while True:
                try:
                    await self.reconcile()
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
        async with self.resources.sessionmaker() as db:
            held = await leases.renew(db, self.id, self.lease_seconds)
            await self.commit(db)
        self._last_renewal = time.monotonic()
        for lost in set(self.runners) - held:
            log.warning("host.lease_lost", host_id=self.id, session_id=lost)
            await self._stop_runner(lost)
        async with self.resources.sessionmaker() as db:
            held |= await leases.claim(db, self.id, self.lease_seconds, self.capacity - len(held))
            await self.commit(db)
        self.held = held
        async with self.resources.sessionmaker() as db:
            sessions = await leases.sessions_of(db, sorted(held))
        for session_id in sorted(held):
            try:
                await self._reconcile_session(session_id, sessions.get(session_id))
            except LeaseLost:
                await self._stop_runner(session_id)
                self.held.discard(session_id)

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
                await pubsub.subscribe(NUDGE_CHANNEL)
                while True:
                    message = await pubsub.get_message(timeout=5.0)
                    if message is None or message["type"] != "message":
                        continue
                    data = message["data"]
                    session_id = data.decode() if isinstance(data, bytes) else str(data)
                    runner = self.runners.get(session_id)
                    if runner is not None:
                        runner.engine.poke()
                    self.wake()
            except (RedisError, OSError) as exc:
                log.warning("host.nudges_unavailable", host_id=self.id, error=str(exc))
                await asyncio.sleep(1.0)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    # -- one session ------------------------------------------------------------------

    async def _reconcile_session(self, session_id: str, session: Session | None) -> None:
        if session is None:  # deleted meanwhile, lease and all
            await self._stop_runner(session_id)
            self.held.discard(session_id)
            return
        if session.logout_generation > session.observed_logout_generation:
            await self._logout(session)
        if session.desired_state == "deleted":
            await self._delete(session)
        elif session.desired_state == "stopped":
            await self._stop_runner(session_id)
            if session.status != SessionStatus.STOPPED:
                await self.report(session_id).status(SessionStatus.STOPPED, "stopped")
            await self._release(session_id)
        elif (
            session.status == SessionStatus.FAILED
            and session.observed_generation == session.generation
        ):
            # Failed for good (logged out from the phone, QR never scanned, crashing):
            # it waits for a start or restart, which bumps the generation.
            await self._stop_runner(session_id)
            await self._release(session_id)
        else:
            await self._keep_running(session)

    async def _keep_running(self, session: Session) -> None:
        runner = self.runners.get(session.id)
        if runner is not None and runner.generation != session.generation:
            await self._stop_runner(session.id)  # new config, or restart asked for
            self._backoff.pop(session.id, None)
            runner = None
        if runner is not None and runner.task is not None and not runner.task.done():
            return
        backoff = self._backoff.get(session.id)
        if backoff is not None and time.monotonic() < backoff.retry_at:
            return
        await self._start_runner(session)

    async def _start_runner(self, session: Session) -> None:
        # STARTING and the generation it starts are written together, under the lease.
        async with self.resources.sessionmaker() as db:
            row = await leases.lock_if_held(db, self.id, session.id)
            if row is None:
                raise LeaseLost(session.id)
            if not _should_run(row):
                # The pass read the session before its engine reported (e.g. FAILED just
                # now): the locked row is the truth, and the next pass acts on it.
                return
            row.observed_generation = session.generation
            if row.status != SessionStatus.STARTING:  # a retry keeps the crash as reason
                await self._set_status(db, row, SessionStatus.STARTING, None)
            await self.commit(db)
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

    async def _logout(self, session: Session) -> None:
        await self._stop_runner(session.id)
        engine = ENGINES[session.engine](
            EngineSession(session.id, session.account_id, session.name, session.engine),
            self.report(session.id),
            self.resources,
        )
        await engine.logout()
        async with self.resources.sessionmaker() as db:
            row = await leases.lock_if_held(db, self.id, session.id)
            if row is None:
                raise LeaseLost(session.id)
            row.observed_logout_generation = session.logout_generation
            row.me = None
            # A running session comes back unlinked, showing a QR code again.
            if session.desired_state == "running":
                row.observed_generation = 0
            await self.commit(db)
        session.observed_generation = 0
        self._backoff.pop(session.id, None)

    async def _delete(self, session: Session) -> None:
        await self._stop_runner(session.id)
        if session.logout_generation <= session.observed_logout_generation:
            await self._logout(session)
        async with self.resources.sessionmaker() as db:
            row = await leases.lock_if_held(db, self.id, session.id)
            if row is None:
                raise LeaseLost(session.id)
            if row.status != SessionStatus.STOPPED:
                await self._set_status(db, row, SessionStatus.STOPPED, "deleted")
            # The row stays as a tombstone (deleted_at is set), so a repeated DELETE still
            # succeeds; "stopped" takes it out of every host's work.
            row.desired_state = "stopped"
            await leases.release(db, self.id, [session.id])
            await self.commit(db)
        self.held.discard(session.id)
        self._backoff.pop(session.id, None)
        log.info("host.session_deleted", host_id=self.id, session_id=session.id)

    async def _release(self, session_id: str) -> None:
        async with self.resources.sessionmaker() as db:
            await leases.release(db, self.id, [session_id])
            await self.commit(db)
        self.held.discard(session_id)

    async def shutdown(self) -> None:
        """Stop every engine and give the leases up, so another host takes over at once."""
        if self._closing:
            return
        self._closing = True
        for session_id in list(self.runners):
            await self._stop_runner(session_id)
        try:
            async with self.resources.sessionmaker() as db:
                await leases.release(db, self.id)
                await self.commit(db)
        except (SQLAlchemyError, OSError) as exc:
            log.warning("host.release_failed", host_id=self.id, error=str(exc))
        log.info("host.stopped", host_id=self.id)

    # -- what engines report ----------------------------------------------------------

    def report(self, session_id: str) -> SessionReporter:
        return SessionReporter(self, session_id)

    async def _set_status(
        self, db: AsyncSession, row: Session, status: SessionStatus, reason: str | None
    ) -> None:
        """Change the status, keep the history, and publish ``session.status``."""
        previous = row.status
        if previous == status.value and row.status_reason == reason:
            return
        now = utcnow()
        row.status = status.value
        row.status_reason = reason
        row.status_history = [
            *row.status_history[-(HISTORY_LENGTH - 1) :],
            {"status": status.value, "reason": reason, "at": now.isoformat()},
        ]
        if status is not SessionStatus.SCAN_QR_CODE:
            row.qr_value = None
            row.qr_expires_at = None
        if status is not SessionStatus.WORKING:
            row.me = None
        row.updated_at = now
        await db.flush()
        await publish_about(
            db,
            row,
            EventType.session_status,
            {
                "status": status.value,
                "previous_status": previous,
                "reason": reason,
                "me": row.me,
            },
        )


def _should_run(row: Session) -> bool:
    failed_for_good = (
        row.status == SessionStatus.FAILED and row.observed_generation == row.generation
    )
    return row.desired_state == "running" and not failed_for_good


class SessionReporter:
    """``EngineEvents`` for one session: every report is a transaction that checks the
    host still holds the lease, updates the session and publishes the event."""

    def __init__(self, host: EngineHost, session_id: str) -> None:
        self.host = host
        self.session_id = session_id

    async def _locked(self, db: Any) -> Session:
        row = await leases.lock_if_held(db, self.host.id, self.session_id)
        if row is None:
            raise LeaseLost(self.session_id)
        return row

    def _working(self, working: bool) -> None:
        runner = self.host.runners.get(self.session_id)
        if runner is not None:
            runner.outbox.set_working(working)
        if working:  # connected again: past crashes no longer count towards FAILED
            self.host._backoff.pop(self.session_id, None)

    async def status(self, status: SessionStatus, reason: str | None = None) -> None:
        async with self.host.resources.sessionmaker() as db:
            row = await self._locked(db)
            await self.host._set_status(db, row, status, reason)
            await self.host.commit(db)
        self._working(status is SessionStatus.WORKING)

    async def qr(self, value: str, expires_at: datetime) -> None:
        async with self.host.resources.sessionmaker() as db:
            row = await self._locked(db)
            await self.host._set_status(db, row, SessionStatus.SCAN_QR_CODE, None)
            row.qr_value = value
            row.qr_expires_at = expires_at
            await publish_about(
                db,
                row,
                EventType.session_qr,
                {"qr": value, "expires_at": expires_at.isoformat()},
            )
            await self.host.commit(db)

    async def linked(self, me: Me) -> None:
        async with self.host.resources.sessionmaker() as db:
            row = await self._locked(db)
            row.me = me.model_dump(mode="json")
            # me is set first, so the WORKING event carries it.
            await self.host._set_status(db, row, SessionStatus.WORKING, None)
            await self.host.commit(db)
        self._working(True)

    async def message_received(self, message: InboundMessage) -> None:
        async with self.host.resources.sessionmaker() as db:
            row = await self._locked(db)
            if message.media is not None and message.media.data_base64 is not None:
                # Received files are stored and exposed like uploaded ones.
                stored_file = await store_inbound_media(
                    db,
                    settings=self.host.resources.settings,
                    account_id=row.account_id,
                    session_id=row.id,
                    content=base64.b64decode(message.media.data_base64),
                    mime_type=message.media.mime_type,
                    filename=message.media.filename,
                )
                message.media.id = stored_file.id
                message.media.size = stored_file.size
                message.media.mime_type = stored_file.mime_type
            stored = await messages_repository.add_inbound(
                db,
                {
                    "id": new_id("msg"),
                    "account_id": row.account_id,
                    "session_id": row.id,
                    "direction": "inbound",
                    "chat_id": message.chat_id,
                    "type": message.type,
                    "content": message.model_dump(
                        mode="json", exclude={"engine_message_id", "chat_id", "type"}
                    ),
                    "status": "delivered",
                    "engine_message_id": message.engine_message_id,
                    "attempts": 0,
                },
            )
            if stored is None:  # the engine delivered it twice; it was reported once
                return
            await publish_about(
                db,
                row,
                EventType.message_received,
                {"message": {"id": stored.id, **message.model_dump(mode="json")}},
            )
            await self.host.commit(db)

    async def group_changed(self, change: GroupChange) -> None:
        await self._publish(change.event_type, change.model_dump(mode="json"))

    async def presence(self, update: PresenceUpdate) -> None:
        await self._publish(EventType.presence_update, update.model_dump(mode="json"))

    async def _publish(self, event_type: EventType, data: dict[str, Any]) -> None:
        async with self.host.resources.sessionmaker() as db:
            row = await self._locked(db)
            await publish_about(db, row, event_type, data)
            await self.host.commit(db)

    async def message_ack(self, engine_message_id: str, status: str) -> None:
        async with self.host.resources.sessionmaker() as db:
            row = await self._locked(db)
            message = await messages_repository.by_engine_id(
                db, self.session_id, engine_message_id, lock=True
            )
            # Acks only move a message forward (a late "delivered" after "read" is old news).
            if message is None or _ACK_RANK.get(status, 0) <= _ACK_RANK.get(message.status, 9):
                return
            await set_message_status(db, row, message, status)
            await self.host.commit(db)
