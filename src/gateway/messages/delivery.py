"""Messages, the hosts' side: the status changes of delivery, made in bulk.

The outbox of a session claims a batch of due messages, sends them, and records what
became of each; engines report acks in batches. Each step is one statement in
``repository`` plus one multi-row insert of the ``message.status`` events it causes, so
the cost of a message does not grow with the number of steps it takes. The rules are the
ones ``service.set_status`` applies to a single message, which the API's own changes
(cancel, edit) still use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.events.service import NewEvent, SessionRef, publish_many
from gateway.events.types import EventType
from gateway.kit.time import utcnow
from gateway.messages import repository
from gateway.messages.repository import ACK_RANK, Ack, Outcome
from gateway.messages.schemas import message_out

__all__ = ["Ack", "Claimed", "SendResult", "claim_due", "record_acks", "record_sends"]

# Transient failures are retried after 1, 2, 4 … seconds, at most this long apart.
MAX_RETRY_SECONDS = 300.0
EXPIRED = ("expired", "Not sent before expires_at.")


def message_payload(message: Any, **data: Any) -> dict[str, Any]:
    """The data of a message event: the message as the API shows it, and what else the
    event type carries."""
    return {"message": message_out(message).model_dump(mode="json"), **data}


def _about(row: Row[Any], type: EventType, **data: Any) -> NewEvent:
    """An event about the message ``row``, which carries its session's snapshot."""
    return NewEvent(
        account_id=row.session_account_id,
        type=type,
        session=SessionRef(row.session_id, row.session_name, dict(row.session_metadata)),
        data=message_payload(row, **data),
        livemode=row.session_engine != "sandbox",
    )


def _status_event(row: Row[Any], previous: str) -> NewEvent:
    return _about(row, EventType.message_status, previous_status=previous)


@dataclass(frozen=True)
class Claimed:
    """A message the outbox took, ready for the engine."""

    id: str
    chat_id: str
    type: str
    content: dict[str, Any]
    reply_to_engine_id: str | None
    attempts: int
    expires_at: datetime | None


async def claim_due(
    db: AsyncSession, host_id: str, wanted: Sequence[tuple[str, int]]
) -> dict[str, tuple[list[Claimed], int]]:
    """For each (session id, limit) of ``wanted``: take up to ``limit`` due messages of
    the session (oldest due first) if ``host_id`` holds its lease; each goes ``sending``,
    or ``failed`` (``expired``) once past its ``expires_at``. Returns, per session, the
    messages to send and how many expired."""
    now = utcnow()
    rows = await repository.claim_due(
        db, host_id, wanted, now=now, expired_code=EXPIRED[0], expired_message=EXPIRED[1]
    )
    await publish_many(db, [_status_event(r, r.previous_status) for r in rows], at=now)
    claimed: dict[str, list[Claimed]] = {session_id: [] for session_id, _ in wanted}
    expired: dict[str, int] = dict.fromkeys(claimed, 0)
    for r in rows:
        if r.status == "sending":
            claimed[r.session_id].append(
                Claimed(r.id, r.chat_id, r.type, dict(r.content), r.reply_to_engine_id,
                        r.attempts, r.expires_at)
            )  # fmt: skip
        else:
            expired[r.session_id] += 1
    return {session_id: (claimed[session_id], expired[session_id]) for session_id in claimed}


@dataclass(frozen=True)
class SendResult:
    """What the engine answered for a claimed message: its engine id, or why not."""

    message: Claimed
    engine_message_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    transient: bool = False
    retry_after: float | None = None
    engine_code: str | None = None
    # When the engine answered: a message's ``sent_at`` is when it went out, not when a
    # batch of answers was written (pacing gaps are measured between these).
    at: datetime = field(default_factory=utcnow)


def _outcome(result: SendResult, now: datetime) -> Outcome:
    message = result.message
    if result.engine_message_id is not None:
        return Outcome(
            message.id, "sent", engine_message_id=result.engine_message_id, sent_at=result.at
        )
    if result.transient:
        delay = result.retry_after or min(MAX_RETRY_SECONDS, 2.0 ** (message.attempts - 1))
        next_attempt = now + timedelta(seconds=delay)
        if message.expires_at is None or next_attempt < message.expires_at:
            return Outcome(
                message.id, "queued", next_attempt_at=next_attempt,
                error_code=result.error_code, error_message=result.error_message,
                error_engine_code=result.engine_code,
            )  # fmt: skip
        return Outcome(
            message.id, "failed", error_code=result.error_code,
            error_message=f"{result.error_message} (gave up: expires_at reached)",
            error_engine_code=result.engine_code,
        )  # fmt: skip
    return Outcome(
        message.id, "failed", error_code=result.error_code, error_message=result.error_message,
        error_engine_code=result.engine_code,
    )  # fmt: skip


async def record_sends(db: AsyncSession, results: Sequence[SendResult]) -> list[Outcome]:
    """Record what became of claimed messages: ``sent``; back to ``queued`` with backoff
    after a transient failure (``failed`` if that would pass ``expires_at``); ``failed``
    otherwise. A sent reaction also publishes ``message.reaction``."""
    now = utcnow()
    outcomes = [_outcome(result, now) for result in results]
    rows = await repository.record_outcomes(db, outcomes, now=now)
    events = []
    for row in rows:
        events.append(_status_event(row, "sending"))
        if row.status == "sent" and row.type == "reaction":
            content = row.content
            reaction = {"target_message_id": content["message_id"], "emoji": content["emoji"]}
            events.append(_about(row, EventType.message_reaction, **reaction))
    await publish_many(db, events, at=now)
    return outcomes


async def record_acks(db: AsyncSession, host_id: str, acks: Sequence[Ack]) -> list[Ack]:
    """Apply acks (``delivered``, ``read``, ``played``) of sessions ``host_id`` holds, each
    only moving its message forward (a late ``delivered`` after ``read`` is old news), and
    publish a ``message.status`` for every move. Returns the acks whose message is not
    known (yet): its send is still being recorded, so the engine should report it again
    shortly."""
    applied: set[int] = set()
    events = []
    # At most one ack per message in a statement: a message acked twice in the batch
    # (delivered, then read) moves twice, in order, each with its event.
    for round_ in rounds(acks):
        rows = await repository.apply_acks(db, host_id, [acks[i] for i in round_])
        for row in rows:
            applied.add(round_[row.position])
            events.append(_status_event(row, row.previous_status))
    await publish_many(db, events)
    missing = [acks[n] for n in range(len(acks)) if n not in applied]
    if not missing:
        return []
    statuses = await repository.statuses_by_engine_ids(
        db, [(a.session_id, a.engine_message_id) for a in missing]
    )
    # Not applied because the message is not there, or because its send was recorded
    # just after the statement above looked (it would move now): report again. Applied
    # already, or failed, cancelled: nothing to do.
    return [
        a
        for a in missing
        if (status := statuses.get((a.session_id, a.engine_message_id))) is None
        or ACK_RANK.get(a.status, 0) > ACK_RANK.get(status, 9)
    ]


class _NamesAMessage(Protocol):
    @property
    def session_id(self) -> str: ...

    @property
    def engine_message_id(self) -> str: ...


def rounds(reports: Sequence[_NamesAMessage]) -> list[list[int]]:
    """Indexes of ``reports`` (acks, status reports) split so that no round names a
    message twice, in order: one statement per round moves each message once."""
    levels: list[list[int]] = []
    seen: dict[tuple[str, str], int] = {}
    for n, report in enumerate(reports):
        key = (report.session_id, report.engine_message_id)
        level = seen.get(key, -1) + 1
        seen[key] = level
        if level == len(levels):
            levels.append([])
        levels[level].append(n)
    return levels
