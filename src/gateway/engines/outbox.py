"""A session's outbox, on the host that runs the session: it delivers the session's due
outbound messages one at a time, oldest first, with pacing, while the session is WORKING.

Messages are rows; the outbox claims the next due one (only while its host holds the
session's lease), marks it ``sending``, sends, and records the outcome. Jobs and nudges
only wake it, and it also looks by itself every few seconds, so a lost job only delays a
message. A crash between send and record leaves the row ``sending``: the next claim sends
again, and engines deduplicate by message id.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import structlog
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.engines.base import Engine, OutboundMessage, SendFailed
from gateway.kit.time import utcnow
from gateway.messages import repository
from gateway.messages.service import publish_reaction_sent, set_status
from gateway.models import Message, Session
from gateway.sessions.schemas import PacingConfig

if TYPE_CHECKING:
    from gateway.engines.host import EngineHost

log = structlog.get_logger(__name__)

IDLE_LOOK_SECONDS = 2.0
MAX_RETRY_SECONDS = 300.0
TYPING_CAP_SECONDS = 8.0


@dataclass(frozen=True)
class Pacing:
    enabled: bool
    min_gap: float
    jitter: float
    typing: bool
    typing_per_char: float

    @classmethod
    def of(cls, config: dict[str, object], engine: str) -> Pacing:
        pacing = PacingConfig.model_validate(config.get("pacing", {}))
        enabled = pacing.enabled if pacing.enabled is not None else engine != "sandbox"
        return cls(
            enabled,
            pacing.min_gap_ms / 1000,
            pacing.jitter_ms / 1000,
            pacing.typing,
            pacing.typing_ms_per_char / 1000,
        )

    def gap(self) -> float:
        return self.min_gap + random.uniform(0, self.jitter) if self.enabled else 0.0  # noqa: S311

    def typing_time(self, message: Message) -> float:
        if not (self.enabled and self.typing and message.type == "text"):
            return 0.0
        return min(TYPING_CAP_SECONDS, len(message.content.get("text", "")) * self.typing_per_char)


class Outbox:
    def __init__(self, host: EngineHost, session: Session, engine: Engine) -> None:
        self.host = host
        self.session_id = session.id
        self.engine = engine
        self.pacing = Pacing.of(session.config, session.engine)
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
            wait = IDLE_LOOK_SECONDS
            if self.working:
                try:
                    wait = await self._deliver_next()
                except SQLAlchemyError as exc:
                    log.warning("outbox.failed", session_id=self.session_id, error=str(exc))
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)
                self._wake.clear()
            # Pacing: the gap after the previous send must have passed.
            delay = self._next_send_at - loop.time()
            if delay > 0 and self.working:
                await asyncio.sleep(delay)

    async def _deliver_next(self) -> float:
        """Deliver one due message; returns how long to wait before looking again."""
        sessionmaker = self.host.resources.sessionmaker
        async with sessionmaker() as db:
            message = await repository.claim_next_due(db, self.session_id, self.host.id)
            if message is None:
                due = await repository.next_due_at(db, self.session_id)
                return _seconds_until(due)
            session = await db.get(Session, self.session_id)
            assert session is not None
            if message.expires_at is not None and message.expires_at <= utcnow():
                await set_status(
                    db, session, message, "failed", error_code="expired",
                    error_message="Not sent before expires_at.",
                )  # fmt: skip
                await self.host.commit(db)
                return 0.0
            message.attempts += 1
            await set_status(db, session, message, "sending")
            reply_to = None
            if message.reply_to:
                quoted = await repository.in_session(db, self.session_id, message.reply_to)
                reply_to = quoted.engine_message_id if quoted else None
            outbound = OutboundMessage(
                message.id, message.chat_id, message.type, dict(message.content), reply_to
            )
            typing = self.pacing.typing_time(message)
            await self.host.commit(db)

        if typing:
            await asyncio.sleep(typing)
        try:
            engine_id = await self.engine.send(outbound)
            outcome: SendFailed | str = engine_id
        except SendFailed as failure:
            outcome = failure
        loop = asyncio.get_running_loop()
        self._next_send_at = loop.time() + self.pacing.gap()

        async with sessionmaker() as db:
            row = await db.get(Message, outbound.id, with_for_update=True)
            session = await db.get(Session, self.session_id)
            assert row is not None
            assert session is not None
            if isinstance(outcome, str):
                row.engine_message_id = outcome
                await set_status(db, session, row, "sent")
                if row.type == "reaction":
                    await publish_reaction_sent(db, session, row)
            elif outcome.transient:
                await self._retry_later(db, session, row, outcome)
            else:
                await set_status(
                    db, session, row, "failed", error_code=outcome.code,
                    error_message=outcome.message,
                )  # fmt: skip
            await self.host.commit(db)
        return 0.0

    async def _retry_later(
        self, db: AsyncSession, session: Session, row: Message, failure: SendFailed
    ) -> None:
        delay = failure.retry_after or min(MAX_RETRY_SECONDS, 2.0 ** (row.attempts - 1))
        next_attempt = utcnow() + timedelta(seconds=delay)
        if row.expires_at is not None and next_attempt >= row.expires_at:
            await set_status(
                db, session, row, "failed", error_code=failure.code,
                error_message=f"{failure.message} (gave up: expires_at reached)",
            )  # fmt: skip
            return
        row.next_attempt_at = next_attempt
        row.error_code = failure.code
        row.error_message = failure.message
        await set_status(db, session, row, "queued")
        log.info("outbox.retry", session_id=self.session_id, message_id=row.id, retry_in=delay)


def _seconds_until(when: datetime | None) -> float:
    if when is None:
        return IDLE_LOOK_SECONDS
    return max(0.0, min(IDLE_LOOK_SECONDS, (when - utcnow()).total_seconds()))
