"""All SQL of Meta's webhook notifications: storing them once, taking them for processing,
and what the sweep looks for."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import CloudNotification, CloudNumber, Session


async def store(db: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Insert the rows in one statement; a row already stored (same session and digest:
    Meta sent the notification again) is skipped. Returns the ids inserted."""
    if not rows:
        return []
    inserted = await db.scalars(
        insert(CloudNotification)
        .values(list(rows))
        .on_conflict_do_nothing(
            index_elements=[CloudNotification.session_id, CloudNotification.digest]
        )
        .returning(CloudNotification.id)
    )
    return list(inserted.all())


def _due(ids: Sequence[str]) -> Select[CloudNotification]:
    return (
        select(CloudNotification)
        .where(
            CloudNotification.id.in_(ids),
            CloudNotification.processed_at.is_(None),
            CloudNotification.next_attempt_at <= func.now(),
        )
        .order_by(CloudNotification.id)
    )


async def due(db: AsyncSession, ids: Sequence[str]) -> Sequence[CloudNotification]:
    """The rows among ``ids`` waiting to be processed now (read without a lock)."""
    return (await db.scalars(_due(ids))).all()


async def lock_due(db: AsyncSession, ids: Sequence[str]) -> Sequence[CloudNotification]:
    """Lock the rows among ``ids`` still waiting to be processed; rows another
    transaction holds are skipped (it processes them)."""
    return (await db.scalars(_due(ids).with_for_update(skip_locked=True))).all()


async def mark_processed(
    db: AsyncSession, ids: Sequence[str], *, outcome: str, error: str | None = None
) -> None:
    if not ids:
        return
    await db.execute(
        update(CloudNotification)
        .where(CloudNotification.id.in_(ids))
        .values(
            processed_at=func.now(),
            outcome=outcome,
            last_error=error[:500] if error else None,
            attempts=CloudNotification.attempts + 1,
        )
    )


async def defer(db: AsyncSession, notification_id: str, until: datetime, reason: str) -> int:
    """Process the row again at ``until``; returns its attempts so far."""
    attempts = await db.scalar(
        update(CloudNotification)
        .where(CloudNotification.id == notification_id)
        .values(
            next_attempt_at=until,
            attempts=CloudNotification.attempts + 1,
            last_error=reason[:500],
        )
        .returning(CloudNotification.attempts)
    )
    return int(attempts or 0)


async def overdue(db: AsyncSession, before: datetime, limit: int) -> list[tuple[str, int]]:
    """(id, attempts) of rows that should have been processed before ``before``, oldest
    first: their job was lost (Redis down, a worker killed mid-batch)."""
    rows = await db.execute(
        select(CloudNotification.id, CloudNotification.attempts)
        .where(
            CloudNotification.processed_at.is_(None),
            CloudNotification.next_attempt_at <= before,
        )
        .order_by(CloudNotification.next_attempt_at)
        .limit(limit)
    )
    return [(row_id, attempts) for row_id, attempts in rows.all()]


async def sessions_and_numbers(
    db: AsyncSession, session_ids: Sequence[str]
) -> dict[str, tuple[Session, CloudNumber | None]]:
    """The sessions (deleted ones too: their notifications are closed, not processed)
    and their cloud numbers."""
    if not session_ids:
        return {}
    rows = await db.execute(
        select(Session, CloudNumber)
        .outerjoin(CloudNumber, CloudNumber.session_id == Session.id)
        .where(Session.id.in_(session_ids))
    )
    return {session.id: (session, number) for session, number in rows.all()}
