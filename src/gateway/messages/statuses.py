"""Status reports about sent messages that come from outside the engine host (Meta's
webhook for cloud sessions), applied with the rules acks follow: forward only, one
``message.status`` event per move, ``failed`` (with the error) for a sent message that
could not be delivered after all.

A report can arrive before the send it is about is recorded (Meta answers the send and
posts ``sent`` at nearly the same moment): such a report is handed back as waiting, for
the caller to apply again shortly; it is never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.events.service import NewEvent, publish_many
from gateway.messages.delivery import _status_event, rounds
from gateway.messages.status_repository import (
    StatusReport,
    apply_reports,
    current_statuses,
    moves,
)

__all__ = ["ReportOutcome", "StatusReport", "apply_status_reports"]

# The send of a message in these statuses is not recorded yet.
NOT_RECORDED = ("scheduled", "queued", "sending")


@dataclass
class ReportOutcome:
    applied: int = 0
    waiting: list[StatusReport] = field(default_factory=list)  # its send is not recorded yet
    unknown: list[StatusReport] = field(default_factory=list)  # no such message in the session


async def apply_status_reports(db: AsyncSession, reports: Sequence[StatusReport]) -> ReportOutcome:
    """Apply ``reports`` in order (``sent`` only confirms what the engine recorded)."""
    events: list[NewEvent] = []
    applied = await _apply(db, reports, range(len(reports)), events)
    missing = [n for n in range(len(reports)) if n not in applied]
    # Read locked: the engine may have recorded a send since the statement above looked,
    # and a report about it is applied now rather than taken for old news.
    statuses = await current_statuses(db, [reports[n] for n in missing])
    now_movable = [n for k, n in enumerate(missing) if _moves(reports[n], statuses.get(k))]
    applied |= await _apply(db, reports, now_movable, events)
    await publish_many(db, events)
    outcome = ReportOutcome(applied=len(applied))
    for k, n in enumerate(missing):
        status = statuses.get(k)
        if status is None:
            outcome.unknown.append(reports[n])
        elif status in NOT_RECORDED and n not in applied:
            outcome.waiting.append(reports[n])
    return outcome


async def _apply(
    db: AsyncSession,
    reports: Sequence[StatusReport],
    indexes: Iterable[int],
    events: list[NewEvent],
) -> set[int]:
    """Apply the reports at ``indexes``; returns the indexes that moved their message."""
    chosen = list(indexes)
    applied: set[int] = set()
    # At most one report per message in a statement: a message reported twice in the
    # batch (delivered, then read) moves twice, in order, each with its event.
    for round_ in rounds([reports[i] for i in chosen]):
        rows = await apply_reports(db, [reports[chosen[i]] for i in round_])
        for row in rows:
            applied.add(chosen[round_[row.position]])
            events.append(_status_event(row, row.previous_status))
    return applied


def _moves(report: StatusReport, status: str | None) -> bool:
    return status is not None and moves(report, status)
