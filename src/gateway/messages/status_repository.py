"""The SQL of statuses reported about sent messages by a party other than the engine
host (Meta's webhook for cloud sessions): no lease to check, and a message is found by
its engine id or by the gateway's own id, which the engine sent along."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, Row, String, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.sql import unnested
from gateway.messages.repository import _SESSION_SNAPSHOT, ACK_RANK, _messages, _rank, _sessions

# A failure reported after the send: Meta tells of an undeliverable message once it gave
# up, after ``sent`` (rarely after ``delivered``), never after it was read.
FAILABLE = ("sent", "delivered")


@dataclass(frozen=True)
class StatusReport:
    """What the other side says became of a sent message: ``delivered``, ``read``,
    ``played`` or ``failed`` (with our code, message and its own code)."""

    session_id: str
    engine_message_id: str
    message_id: str | None  # ours, when the report carries it
    status: str
    at: datetime
    error_code: str | None = None
    error_message: str | None = None
    error_engine_code: str | None = None


def moves(report: StatusReport, current: str) -> bool:
    """Whether ``report`` moves a message now in ``current``: the rule the statement of
    ``apply_reports`` applies, for rows already read."""
    if report.status == "failed":
        return current in FAILABLE
    return ACK_RANK.get(report.status, 0) > ACK_RANK.get(current, 9)


def _given() -> Any:
    return unnested(
        "report",
        session_id=("session_ids", String()),
        engine_message_id=("engine_ids", String()),
        message_id=("message_ids", String()),
        status=("statuses", String()),
        at=("ats", DateTime(timezone=True)),
        error_code=("error_codes", String()),
        error_message=("error_messages", String()),
        error_engine_code=("error_engine_codes", String()),
        position=("positions", Integer()),
    )


def _found_by(given: Any) -> Any:
    return and_(
        _messages.c.session_id == given.c.session_id,
        _messages.c.direction == "outbound",
        or_(
            _messages.c.engine_message_id == given.c.engine_message_id,
            _messages.c.id == given.c.message_id,
        ),
    )


def _apply_statement() -> Any:
    given = _given()
    failing = and_(given.c.status == "failed", _messages.c.status.in_(FAILABLE))
    moving = and_(
        given.c.status != "failed", _rank(given.c.status, 0) > _rank(_messages.c.status, 9)
    )
    # Locked first, so the forward-only test and the update see the same row.
    target = (
        select(
            _messages.c.id,
            _messages.c.status.label("previous_status"),
            *(c.label(f"report_{c.name}") for c in given.c),
        )
        .select_from(_messages.join(given, _found_by(given)))
        .where(or_(failing, moving))
        .with_for_update(of=_messages)
        .cte("target")
    )
    status = target.c.report_status
    failed = status == "failed"
    read = status.in_(("read", "played"))
    return (
        update(_messages)
        .where(_messages.c.id == target.c.id, _sessions.c.id == _messages.c.session_id)
        .values(
            status=status,
            delivered_at=case(
                (failed, _messages.c.delivered_at),
                else_=func.coalesce(_messages.c.delivered_at, target.c.report_at),
            ),
            read_at=case(
                (read, func.coalesce(_messages.c.read_at, target.c.report_at)),
                else_=_messages.c.read_at,
            ),
            error_code=case((failed, target.c.report_error_code), else_=_messages.c.error_code),
            error_message=case(
                (failed, target.c.report_error_message), else_=_messages.c.error_message
            ),
            error_engine_code=case(
                (failed, target.c.report_error_engine_code), else_=_messages.c.error_engine_code
            ),
            updated_at=func.now(),
        )
        .returning(
            *_messages.c,
            target.c.previous_status,
            target.c.report_position.label("position"),
            *_SESSION_SNAPSHOT,
        )
    )


_APPLY = _apply_statement()


def _parameters(reports: Sequence[StatusReport]) -> dict[str, Any]:
    return {
        "session_ids": [r.session_id for r in reports],
        "engine_ids": [r.engine_message_id for r in reports],
        "message_ids": [r.message_id for r in reports],
        "statuses": [r.status for r in reports],
        "ats": [r.at for r in reports],
        "error_codes": [r.error_code for r in reports],
        "error_messages": [r.error_message for r in reports],
        "error_engine_codes": [r.error_engine_code for r in reports],
        "positions": list(range(len(reports))),
    }


async def apply_reports(db: AsyncSession, reports: Sequence[StatusReport]) -> list[Row[Any]]:
    """Apply status reports in one statement: ``delivered``/``read``/``played`` only move
    a message forward, ``failed`` fails a message that was sent. At most one report per
    message. Returns the rows changed with their ``previous_status``, ``position`` (the
    report's index) and session snapshot, in the order of ``reports``."""
    if not reports:
        return []
    result = await db.execute(_APPLY, _parameters(reports))
    return sorted(result.all(), key=lambda r: r.position)


def _statuses_statement() -> Any:
    given = _given()
    # Locked (in one order, as two jobs may name the same messages): a send the engine
    # records after this read cannot commit before the caller's next statement.
    return (
        select(given.c.position, _messages.c.status)
        .select_from(_messages.join(given, _found_by(given)))
        .order_by(_messages.c.id)
        .with_for_update(of=_messages)
    )


_STATUSES = _statuses_statement()


async def current_statuses(db: AsyncSession, reports: Sequence[StatusReport]) -> dict[int, str]:
    """The status of the message each report names, by the report's index (absent: no
    such message in the session), locked until the transaction ends."""
    if not reports:
        return {}
    rows = await db.execute(_STATUSES, _parameters(reports))
    return {position: status for position, status in rows.all()}
