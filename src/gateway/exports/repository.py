from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from gateway.kit.pagination import Page, paginate
from gateway.models import Export, WebhookAttempt

_ACTIVE = ("queued", "running")


async def add_unless_active(db: AsyncSession, export_id: str, account_id: str) -> Export | None:
    """The new queued export, or ``None`` when the account has one queued or running
    (one statement, so two requests racing cannot both start one)."""
    inserted = await db.scalar(
        insert(Export)
        .values(id=export_id, account_id=account_id, status="queued")
        .on_conflict_do_nothing(
            # The partial index's predicate as literal SQL: given as bound parameters, a
            # prepared statement's generic plan no longer infers the index from it.
            index_elements=[Export.account_id],
            index_where=text("status IN ('queued', 'running')"),
        )
        .returning(Export.id)
    )
    if inserted is None:
        return None
    return await db.get(Export, inserted)


async def active(db: AsyncSession, account_id: str) -> Export | None:
    return await db.scalar(
        select(Export).where(Export.account_id == account_id, Export.status.in_(_ACTIVE))
    )


async def get(db: AsyncSession, account_id: str, export_id: str) -> Export | None:
    return await db.scalar(
        select(Export).where(Export.id == export_id, Export.account_id == account_id)
    )


async def list_page(db: AsyncSession, account_id: str, page: Page) -> Sequence[Export]:
    stmt = paginate(select(Export).where(Export.account_id == account_id), Export.id, page)
    return (await db.scalars(stmt)).all()


async def claim(
    db: AsyncSession, export_id: str, now: datetime, lease_until: datetime
) -> tuple[str, int, datetime] | None:
    """Start a run: the export's account, the run's number and the export's creation
    time, if it is queued or its last run's lease ran out; ``None`` otherwise (finished,
    or a live run holds it)."""
    row = (
        await db.execute(
            update(Export)
            .where(
                Export.id == export_id,
                (Export.status == "queued")
                | ((Export.status == "running") & (Export.leased_until < now)),
            )
            .values(
                status="running",
                attempts=Export.attempts + 1,
                leased_until=lease_until,
                progress=0,
                counts={},
            )
            .returning(Export.account_id, Export.attempts, Export.created_at)
        )
    ).one_or_none()
    return (row[0], row[1], row[2]) if row is not None else None


def _held(export_id: str, attempt: int) -> Any:
    return (Export.id == export_id) & (Export.attempts == attempt) & (Export.status == "running")


async def renew(
    db: AsyncSession, export_id: str, attempt: int, progress: float, lease_until: datetime
) -> bool:
    """Record progress and extend the run's lease; false when another run took over."""
    result = await db.execute(
        update(Export)
        .where(_held(export_id, attempt))
        .values(progress=progress, leased_until=lease_until)
        .returning(Export.id)
    )
    return result.one_or_none() is not None


async def finish(
    db: AsyncSession,
    export_id: str,
    attempt: int,
    *,
    counts: dict[str, int],
    file_key: str,
    size: int,
    now: datetime,
    expires_at: datetime,
) -> bool:
    result = await db.execute(
        update(Export)
        .where(_held(export_id, attempt))
        .values(
            status="succeeded",
            progress=1,
            counts=counts,
            file_key=file_key,
            size=size,
            completed_at=now,
            expires_at=expires_at,
            leased_until=None,
        )
        .returning(Export.id)
    )
    return result.one_or_none() is not None


async def fail(db: AsyncSession, export_id: str, attempt: int, error: str, now: datetime) -> bool:
    result = await db.execute(
        update(Export)
        .where(_held(export_id, attempt))
        .values(status="failed", error=error[:500], completed_at=now, leased_until=None)
        .returning(Export.id)
    )
    return result.one_or_none() is not None


async def unfinished(
    db: AsyncSession, queued_before: datetime, now: datetime
) -> Sequence[tuple[str, int]]:
    """Exports whose job seems lost: queued for a while, or running past their lease."""
    rows = await db.execute(
        select(Export.id, Export.attempts).where(
            ((Export.status == "queued") & (Export.created_at < queued_before))
            | ((Export.status == "running") & (Export.leased_until < now))
        )
    )
    return [(r[0], r[1]) for r in rows]


async def past_expiry(db: AsyncSession, now: datetime, limit: int) -> Sequence[Export]:
    stmt = (
        select(Export)
        .where(Export.status == "succeeded", Export.expires_at < now)
        .order_by(Export.expires_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await db.scalars(stmt)).all()


async def file_keys_of_account(db: AsyncSession, account_id: str) -> Sequence[str]:
    rows = await db.scalars(
        select(Export.file_key).where(Export.account_id == account_id, Export.file_key.is_not(None))
    )
    return [k for k in rows if k is not None]


# --- reading what goes into an archive ------------------------------------------------


async def count(db: AsyncSession, stmt: Select[Any]) -> int:
    return int(await db.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


async def batch_after(
    db: AsyncSession,
    stmt: Select[Any],
    keys: Sequence[InstrumentedAttribute[Any]],
    after: tuple[Any, ...] | None,
    limit: int,
) -> Sequence[Any]:
    """The next ``limit`` rows of ``stmt`` in key order after ``after`` (keyset paging:
    each batch costs the same however deep into the account it is)."""
    if after is not None:
        stmt = stmt.where(tuple_(*keys) > tuple_(*after))
    return (await db.scalars(stmt.order_by(*keys).limit(limit))).all()


async def attempts_of(
    db: AsyncSession, delivery_ids: Sequence[str]
) -> dict[str, list[WebhookAttempt]]:
    rows = await db.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(delivery_ids))
        .order_by(WebhookAttempt.id)
    )
    by_delivery: dict[str, list[WebhookAttempt]] = {}
    for attempt in rows:
        by_delivery.setdefault(attempt.delivery_id, []).append(attempt)
    return by_delivery
