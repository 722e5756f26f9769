"""What engines report, turned into rows and events by the host that runs them.

Every report is a unit of work that checks the host still holds the session's lease. Most
lock the session row while they write (statuses, QR codes, inbound messages); acks, which
come by the hundred per second on a busy host, do not: the acks of all the host's
sessions are gathered for a moment and recorded together, the lease checked in the
statement that applies them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import structlog
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.engines import leases
from gateway.engines.base import (
    InboundEdit,
    InboundMessage,
    InboundRevoke,
    Me,
    MessageAck,
    SessionStatus,
)
from gateway.engines.records import GroupChange, IncomingCall, PresenceUpdate
from gateway.events.service import NewEvent, publish_many, publish_once, session_ref
from gateway.events.types import EventType
from gateway.kit.time import utcnow
from gateway.messages.delivery import Ack, record_acks
from gateway.messages.inbound_changes import (
    record_inbound_edit,
    record_inbound_revoke,
    record_reaction,
)
from gateway.messages.receiving import record_inbound_message
from gateway.models import Session

if TYPE_CHECKING:
    from gateway.engines.host import EngineHost

log = structlog.get_logger(__name__)

HISTORY_LENGTH = 20
# How long the first ack of a batch waits for others (of any session on the host), so
# that a busy host records many acks per transaction; acks are not latency-critical.
ACK_LINGER_SECONDS = 0.05


class LeaseLost(Exception):
    """The host no longer holds the session's lease: stop, write nothing."""


def status_change(row: Session, status: SessionStatus, reason: str | None) -> NewEvent | None:
    """Change the session's status in memory, keeping the history; returns the
    ``session.status`` event to publish (None when nothing changed)."""
    previous = row.status
    if previous == status.value and row.status_reason == reason:
        return None
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
    return NewEvent(
        account_id=row.account_id,
        type=EventType.session_status,
        session=session_ref(row),
        data={"status": status.value, "previous_status": previous, "reason": reason,
              "me": row.me},
        livemode=row.engine != "sandbox",
    )  # fmt: skip


async def set_status(
    db: AsyncSession, row: Session, status: SessionStatus, reason: str | None
) -> None:
    """Change the status and publish ``session.status``, in ``db``'s transaction."""
    event = status_change(row, status, reason)
    if event is not None:
        await publish_many(db, [event])


class AckRecorder:
    """The host's acks, recorded in batches: one transaction, one statement applying them
    and one insert of their events, whatever the number of sessions they come from."""

    def __init__(self, host: EngineHost) -> None:
        self.host = host
        self._waiting: list[tuple[str, Sequence[MessageAck], asyncio.Future[list[MessageAck]]]]
        self._waiting = []
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def record(self, session_id: str, acks: Sequence[MessageAck]) -> list[MessageAck]:
        """Record ``acks`` of ``session_id`` with the next batch; returns those whose
        message is not known yet."""
        if not acks:
            return []
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"acks-{self.host.id}")
        future: asyncio.Future[list[MessageAck]] = asyncio.get_running_loop().create_future()
        self._waiting.append((session_id, acks, future))
        self._arrived.set()
        return await future

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for _, _, future in self._waiting:
            future.cancel()
        self._waiting = []

    async def _run(self) -> None:
        while True:
            await self._arrived.wait()
            await asyncio.sleep(ACK_LINGER_SECONDS)
            self._arrived.clear()
            batch, self._waiting = self._waiting, []
            given = [
                Ack(session_id, ack.engine_message_id, ack.status, ack.at)
                for session_id, acks, _ in batch
                for ack in acks
            ]
            try:
                async with self.host.resources.sessionmaker() as db:
                    unknown = await record_acks(db, self.host.id, given)
                    await self.host.commit(db)
            except (SQLAlchemyError, OSError) as exc:
                # Not recorded: every ack is reported again, as an unknown one would be.
                log.warning("host.acks_failed", host_id=self.host.id, error=str(exc))
                unknown = given
            again = {(a.session_id, a.engine_message_id, a.status) for a in unknown}
            for session_id, acks, future in batch:
                if not future.done():
                    future.set_result(
                        [a for a in acks if (session_id, a.engine_message_id, a.status) in again]
                    )


class SessionReporter:
    """``EngineEvents`` for one session: every report is a transaction that checks the
    host still holds the lease, updates the session and publishes the event."""

    def __init__(self, host: EngineHost, session_id: str) -> None:
        self.host = host
        self.session_id = session_id

    async def _locked(self, db: AsyncSession) -> Session:
        row = await leases.lock_if_held(db, self.host.id, self.session_id)
        if row is None:
            raise LeaseLost(self.session_id)
        return row

    def _working(self, working: bool) -> None:
        runner = self.host.runners.get(self.session_id)
        if runner is not None:
            runner.outbox.set_working(working)
        if working:  # connected again: past crashes no longer count towards FAILED
            self.host.forgive_crashes(self.session_id)

    async def status(self, status: SessionStatus, reason: str | None = None) -> None:
        async with self.host.resources.sessionmaker() as db:
            row = await self._locked(db)
            await set_status(db, row, status, reason)
            await self.host.commit(db)
        self._working(status is SessionStatus.WORKING)

    async def qr(self, value: str, expires_at: datetime) -> None:
        async with self.host.resources.sessionmaker() as db:
            row = await self._locked(db)
            change = status_change(row, SessionStatus.SCAN_QR_CODE, None)
            row.qr_value = value
            row.qr_expires_at = expires_at
            qr = NewEvent(
                account_id=row.account_id,
                type=EventType.session_qr,
                session=session_ref(row),
                data={"qr": value, "expires_at": expires_at.isoformat()},
                livemode=row.engine != "sandbox",
            )
            await publish_many(db, [e for e in (change, qr) if e is not None])
            await self.host.commit(db)

    async def linked(self, me: Me) -> None:
        async with self.host.resources.sessionmaker() as db:
            row = await self._locked(db)
            row.me = me.model_dump(mode="json")
            # me is set first, so the WORKING event carries it.
            await set_status(db, row, SessionStatus.WORKING, None)
            await self.host.commit(db)
        self._working(True)

    async def message_received(
        self, message: InboundMessage, *, media_content: bytes | None = None
    ) -> None:
        settings = self.host.resources.settings
        async with self.host.resources.sessionmaker() as db:
            row = await self._locked(db)
            if message.type == "reaction" and message.reaction is not None:
                stored = await record_reaction(db, settings, row, message)
            else:
                stored = await record_inbound_message(
                    db, settings, row, message, media_content=media_content
                )
            if stored is None:  # the engine delivered it twice; it was reported once
                return
            await self.host.commit(db)

    async def message_edited(self, edit: InboundEdit) -> None:
        async with self.host.resources.sessionmaker() as db:
            row = await self._locked(db)
            if await record_inbound_edit(db, row, edit):
                await self.host.commit(db)

    async def message_revoked(self, revoke: InboundRevoke) -> None:
        async with self.host.resources.sessionmaker() as db:
            row = await self._locked(db)
            if await record_inbound_revoke(db, row, revoke):
                await self.host.commit(db)

    async def group_changed(self, change: GroupChange, *, key: str | None = None) -> None:
        await self._publish(change.event_type, change.model_dump(mode="json"), key)

    async def presence(self, update: PresenceUpdate, *, key: str | None = None) -> None:
        await self._publish(EventType.presence_update, update.model_dump(mode="json"), key)

    async def call_received(self, call: IncomingCall, *, key: str | None = None) -> None:
        await self._publish(EventType.call_received, call.model_dump(mode="json"), key)

    async def _publish(self, event_type: EventType, data: dict[str, Any], key: str | None) -> None:
        """One event per notification: reported again with its key (the engine crashed
        before acknowledging it), it publishes nothing and commits nothing."""
        async with self.host.resources.sessionmaker() as db:
            row = await self._locked(db)
            event = await publish_once(db, row, event_type, data, dedupe_key=key)
            if event is None:
                log.info("host.notification_again", session_id=self.session_id, key=key)
                return
            await self.host.commit(db)

    async def message_ack(self, engine_message_id: str, status: str) -> None:
        await self.message_acks([MessageAck(engine_message_id, status, utcnow())])

    async def message_acks(self, acks: Sequence[MessageAck]) -> list[MessageAck]:
        return await self.host.acks.record(self.session_id, acks)
