"""All SQL of usage: live messages counted from their rows, and the counts plans cap.

A live message is an outbound row of a session whose engine is not the sandbox, counted
in the period its row was created in (``created_at``, set when the send was accepted).
Rows are never moved between periods, so a period's count only grows while it is open
and is final once it is over: what overage is billed from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.billing.plans_repository import counted
from gateway.models import Event, Media, Message, Session


def _live_outbound(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(
        Message.direction == "outbound",
        Message.created_at >= start,
        Message.created_at < end,
        Session.engine != "sandbox",
    )


async def live_message_counts(
    db: AsyncSession, start: datetime, end: datetime, account_ids: Sequence[str] | None = None
) -> dict[str, int]:
    """Live outbound messages per account created in [start, end); accounts with none
    are absent. One statement over ``ix_messages_outbound_account_id_created_at``."""
    stmt = (
        select(Message.account_id, func.count())
        .join(Session, Session.id == Message.session_id)
        .where(_live_outbound(start, end))
        .group_by(Message.account_id)
    )
    if account_ids is not None:
        stmt = stmt.where(Message.account_id.in_(account_ids))
    return {account_id: count for account_id, count in (await db.execute(stmt)).all()}


async def outbound_breakdown(
    db: AsyncSession, account_id: str, start: datetime, end: datetime
) -> Sequence[tuple[str, str, str, date, int, bool]]:
    """The account's outbound messages of [start, end) grouped by session, status and UTC
    day: (session id, session name, status, day, count, live)."""
    day = func.date(func.timezone("UTC", Message.created_at))
    stmt = (
        select(
            Message.session_id,
            Session.name,
            Message.status,
            day,
            func.count(),
            Session.engine != "sandbox",
        )
        .join(Session, Session.id == Message.session_id)
        .where(
            Message.account_id == account_id,
            Message.direction == "outbound",
            Message.created_at >= start,
            Message.created_at < end,
        )
        .group_by(Message.session_id, Session.name, Session.engine, Message.status, day)
    )
    return [tuple(row) for row in (await db.execute(stmt)).all()]


async def resource_counts(db: AsyncSession, account_id: str) -> dict[str, int]:
    """What the plan's count limits cap, as they count it: live (non-sandbox) sessions not
    deleted, webhook endpoints, unrevoked live keys; and the bytes of stored media."""
    sessions, endpoints, keys = (
        counted(limit, account_id) for limit in ("sessions", "webhook_endpoints", "api_keys")
    )
    media = (
        select(func.coalesce(func.sum(Media.size), 0))
        .where(Media.account_id == account_id)
        .scalar_subquery()
    )
    row = (await db.execute(select(sessions, endpoints, keys, media))).one()
    return {
        "sessions": int(row[0]),
        "webhook_endpoints": int(row[1]),
        "api_keys": int(row[2]),
        "media_storage_bytes": int(row[3]),
    }


async def warning_published(
    db: AsyncSession, account_id: str, period: str, percent: int, event_type: str
) -> bool:
    """Whether the account's warning for ``percent`` of ``period`` is an event already,
    after taking the transaction's lock on it (two racing publishers run one at a time)."""
    await db.execute(
        select(func.pg_advisory_xact_lock(func.hashtextextended(
            f"quota-warning:{account_id}:{period}:{percent}", 0
        )))
    )  # fmt: skip
    stmt = select(Event.id).where(
        Event.account_id == account_id,
        Event.type == event_type,
        Event.data["period"].astext == period,
        Event.data["threshold_percent"].astext == str(percent),
    )
    return await db.scalar(stmt.limit(1)) is not None
