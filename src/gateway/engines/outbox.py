"""A session's outbox, on the host that runs the session: it delivers the session's due
outbound messages, oldest first, with pacing, while the session is WORKING.

Messages are rows; the outbox claims a batch of due ones in one statement (only while its
host holds the session's lease), sends them one after the other, and records their
outcomes in one statement. Jobs (one per accepted message) wake it; when nothing is due
it sleeps, with an in-memory timer for the earliest pending row it knows of (a scheduled
message, a retry), so an idle session makes no query. A lost job only delays a message
until the sweep's job. A crash between send and record leaves rows ``sending``: the next
claim sends them again, and engines deduplicate by message id.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import structlog
from sqlalchemy.exc import SQLAlchemyError

from gateway.engines.base import Engine, OutboundMessage, SendFailed
from gateway.engines.batching import Batcher
from gateway.kit.time import utcnow
from gateway.messages import delivery, repository
from gateway.messages.delivery import Claimed, SendResult
from gateway.messages.repository import Outcome
from gateway.metrics import process as metrics
from gateway.models import Session
from gateway.sessions.schemas import PacingConfig

if TYPE_CHECKING:
    from gateway.engines.host import EngineHost

log = structlog.get_logger(__name__)

# Messages claimed at once by an unpaced session; a paced one takes them one at a time.
BATCH_SIZE = 32
# After a database error, look again this much later.
RETRY_SECONDS = 1.0
MIN_LOOK_SECONDS = 0.02
TYPING_CAP_SECONDS = 8.0


@dataclass(frozen=True)
class Pacing:
    enabled: bool
    min_gap: float
    jitter: float
    typing: bool
    typing_per_char: float

    @classmethod
    def of(cls, config: dict[str, object], by_default: bool) -> Pacing:
        pacing = PacingConfig.model_validate(config.get("pacing", {}))
        enabled = pacing.enabled if pacing.enabled is not None else by_default
        return cls(
            enabled,
            pacing.min_gap_ms / 1000,
            pacing.jitter_ms / 1000,
            pacing.typing,
            pacing.typing_ms_per_char / 1000,
        )

    def gap(self) -> float:
        return self.min_gap + random.uniform(0, self.jitter) if self.enabled else 0.0  # noqa: S311

    def typing_time(self, message: Claimed) -> float:
        if not (self.enabled and self.typing and message.type == "text"):
            return 0.0
        return min(TYPING_CAP_SECONDS, len(message.content.get("text", "")) * self.typing_per_char)


Recorded = tuple[list[Outcome], datetime | None]
# What a claim brings an outbox: the messages to send, how many expired instead, and (when
# it found nothing to send) when its earliest pending row falls due.
Taken = tuple[list[Claimed], int, datetime | None]


class Claims:
    """The outboxes of a host claim together: one transaction (one statement for the due
    rows of every session asking, one insert of their events) for all that woke in the
    same moment, as the arq worker hands out the jobs it polled."""

    def __init__(self, host: EngineHost) -> None:
        self.host = host
        self._batcher: Batcher[tuple[str, int], Taken] = Batcher(self._take)

    async def submit(self, session_id: str, limit: int) -> Taken:
        return await self._batcher.submit((session_id, limit))

    async def close(self) -> None:
        await self._batcher.close()

    async def _take(self, wanted: Sequence[tuple[str, int]]) -> list[Taken]:
        # An outbox asks once at a time; should two ask for one session (a runner being
        # replaced), the first gets the messages and the other nothing, not the same ones.
        first = list(dict(reversed(wanted)).items())
        async with self.host.resources.sessionmaker() as db:
            claimed = await delivery.claim_due(db, self.host.id, first)
            idle = sorted(sid for sid, (messages, _) in claimed.items() if not messages)
            due = await repository.next_due_by_session(db, idle)
            await self.host.commit(db)
        taken: list[Taken] = []
        for session_id, _ in wanted:
            messages, expired = claimed.pop(session_id, ([], 0))
            taken.append((messages, expired, due.get(session_id) if not messages else None))
        return taken


class SendRecords:
    """What the outboxes of a host sent, recorded together: one transaction (one
    statement for the outcomes, one insert of their events, one read of each session's
    next due row) for the batches of every session that finished sending meanwhile."""

    def __init__(self, host: EngineHost) -> None:
        self.host = host
        self._batcher: Batcher[tuple[str, list[SendResult]], Recorded] = Batcher(self._write)

    async def submit(self, batch: tuple[str, list[SendResult]]) -> Recorded:
        """Record one outbox's batch; returns its outcomes and its next due row's time."""
        return await self._batcher.submit(batch)

    async def close(self) -> None:
        await self._batcher.close()

    async def _write(self, batches: Sequence[tuple[str, list[SendResult]]]) -> list[Recorded]:
        results = [result for _, session_results in batches for result in session_results]
        async with self.host.resources.sessionmaker() as db:
            outcomes = await delivery.record_sends(db, results)
            due = await repository.next_due_by_session(db, sorted({sid for sid, _ in batches}))
            await self.host.commit(db)
        by_id = {outcome.message_id: outcome for outcome in outcomes}
        return [
            ([by_id[result.message.id] for result in session_results], due.get(session_id))
            for session_id, session_results in batches
        ]


class Outbox:
    def __init__(self, host: EngineHost, session: Session, engine: Engine) -> None:
        self.host = host
        self.session_id = session.id
        self.engine = engine
        self.pacing = Pacing.of(session.config, engine.paced_by_default)
        self.working = False
        self._wake = asyncio.Event()
        self._next_send_at = 0.0

    def wake(self) -> None:
        self._wake.set()

    def set_working(self, working: bool) -> None:
        self.working = working
        self.wake()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            wait: float | None = None  # until woken
            if self.working:
                # Pacing: the gap after the previous send must have passed.
                delay = self._next_send_at - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                try:
                    wait = await self._deliver_due()
                except SQLAlchemyError as exc:
                    log.warning("outbox.failed", session_id=self.session_id, error=str(exc))
                    wait = RETRY_SECONDS
            if wait is None or wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)
            self._wake.clear()

    async def _deliver_due(self) -> float | None:
        """Deliver a batch of due messages; returns how long to wait before looking again
        (None: until woken)."""
        limit = 1 if self.pacing.enabled else BATCH_SIZE
        claimed, expired, due = await self.host.claims.submit(self.session_id, limit)
        if not claimed:
            return 0.0 if expired >= limit else _seconds_until(due)

        results: list[SendResult] = []
        try:
            await self._send(claimed, results)
        finally:
            # What was sent is recorded even if a send broke off (the rest stay
            # ``sending`` and go out with the next claim), and even if the outbox is being
            # stopped: the session may have gone away because of what it just sent.
            if results:
                outcomes, due = await asyncio.shield(self._record(results))
                for outcome in outcomes:
                    if outcome.status == "queued":
                        log.info(
                            "outbox.retry", session_id=self.session_id,
                            message_id=outcome.message_id, retry_at=outcome.next_attempt_at,
                        )  # fmt: skip
        if len(claimed) + expired >= limit or len(results) < len(claimed):
            return 0.0  # more may be due at once, or the session went away meanwhile
        # Everything due was claimed (new messages wake the outbox with their job): sleep
        # until the earliest pending row falls due, without another claim.
        return _seconds_until(due)

    async def _record(self, results: list[SendResult]) -> tuple[list[Outcome], datetime | None]:
        return await self.host.sends.submit((self.session_id, results))

    async def _send(self, claimed: list[Claimed], results: list[SendResult]) -> None:
        loop = asyncio.get_running_loop()
        for message in claimed:
            if not self.working:
                # Disconnected mid-batch: the rest stay ``sending``, claimed again (and
                # counted as a new attempt) once the session is back.
                return
            typing = self.pacing.typing_time(message)
            if typing:
                await asyncio.sleep(typing)
            outbound = OutboundMessage(
                message.id, message.chat_id, message.type, message.content,
                message.reply_to_engine_id,
            )  # fmt: skip
            try:
                engine_message_id = await self.engine.send(outbound)
            except SendFailed as failure:
                metrics.engine_failed(self.engine.name, failure.code)
                results.append(
                    SendResult(
                        message,
                        error_code=failure.code,
                        error_message=failure.message,
                        transient=failure.transient,
                        retry_after=failure.retry_after,
                        engine_code=failure.engine_code,
                    )
                )
            else:
                results.append(SendResult(message, engine_message_id=engine_message_id))
            self._next_send_at = loop.time() + self.pacing.gap()


def _seconds_until(when: datetime | None) -> float | None:
    if when is None:
        return None
    # Not less than a moment: a due row the claim skipped is locked by someone (an edit
    # in progress), and looking again at once would only spin.
    return max(MIN_LOOK_SECONDS, (when - utcnow()).total_seconds())
