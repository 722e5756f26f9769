"""All SQL of the templates feature."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.pagination import Page, paginate
from gateway.models import CloudTemplate, CloudTemplateSync

# What Meta decides about a template; the rest of a row is ours or fixed at creation.
_FROM_META = ("graph_id", "category", "parameter_format", "status", "rejected_reason",
              "components", "synced_at")  # fmt: skip


async def get(db: AsyncSession, session_id: str, template_id: str) -> CloudTemplate | None:
    return await db.scalar(
        select(CloudTemplate).where(
            CloudTemplate.session_id == session_id, CloudTemplate.id == template_id
        )
    )


async def get_by_name(
    db: AsyncSession, session_id: str, name: str, language: str, *, lock: bool = False
) -> CloudTemplate | None:
    stmt = select(CloudTemplate).where(
        CloudTemplate.session_id == session_id,
        CloudTemplate.name == name,
        CloudTemplate.language == language,
    )
    if lock:
        stmt = stmt.with_for_update()
    return await db.scalar(stmt)


async def list_page(
    db: AsyncSession,
    session_id: str,
    page: Page,
    *,
    status: str | None = None,
    name: str | None = None,
) -> Sequence[CloudTemplate]:
    stmt = select(CloudTemplate).where(CloudTemplate.session_id == session_id)
    if status is not None:
        stmt = stmt.where(CloudTemplate.status == status)
    if name is not None:
        stmt = stmt.where(CloudTemplate.name == name)
    return (await db.scalars(paginate(stmt, CloudTemplate.id, page))).all()


async def was_synced(db: AsyncSession, session_id: str) -> bool:
    return await db.get(CloudTemplateSync, session_id) is not None


async def synced_at(db: AsyncSession, session_id: str) -> datetime | None:
    return await db.scalar(
        select(CloudTemplateSync.synced_at).where(CloudTemplateSync.session_id == session_id)
    )


async def replace_synced(
    db: AsyncSession, session_id: str, rows: Sequence[dict[str, Any]], now: datetime
) -> None:
    """Make the session's templates what Meta listed: insert or update each one, delete
    those Meta no longer has, and note the sync. One statement, so it is atomic on its
    own (a GET's autocommit session runs it) and costs one round trip."""
    seen = [(row["name"], row["language"]) for row in rows]
    removed = (
        delete(CloudTemplate)
        .where(
            CloudTemplate.session_id == session_id,
            tuple_(CloudTemplate.name, CloudTemplate.language).not_in(seen),
        )
        .returning(CloudTemplate.id)
        .cte("removed")
    )
    marker = insert(CloudTemplateSync).values(session_id=session_id, synced_at=now)
    marked = (
        marker.on_conflict_do_update(
            index_elements=[CloudTemplateSync.session_id], set_={"synced_at": now}
        )
        .returning(CloudTemplateSync.session_id)
        .cte("marked")
    )
    counts = [
        select(func.count()).select_from(removed).scalar_subquery(),
        select(func.count()).select_from(marked).scalar_subquery(),
    ]
    if rows:
        stmt = insert(CloudTemplate).values(list(rows))
        upserted = (
            stmt.on_conflict_do_update(
                constraint="uq_cloud_templates_session_id_name_language",
                set_={
                    **{name: stmt.excluded[name] for name in _FROM_META},
                    "updated_at": func.now(),
                },
            )
            .returning(CloudTemplate.id)
            .cte("upserted")
        )
        counts.append(select(func.count()).select_from(upserted).scalar_subquery())
    # Data-modifying CTEs run whether or not the outer query reads them, but SQLAlchemy
    # only renders those it references: the counts reference them all.
    await db.execute(select(*counts))


async def save_created(db: AsyncSession, values: dict[str, Any]) -> CloudTemplate:
    """Store a template just created at Meta. A row may be there already (a sync or a
    status notification got to it first): Meta's newer word on its status is kept."""
    stmt = insert(CloudTemplate).values(**values)
    upsert = stmt.on_conflict_do_update(
        constraint="uq_cloud_templates_session_id_name_language",
        set_={
            **{name: stmt.excluded[name] for name in _FROM_META if name != "status"},
            "status": case(
                (CloudTemplate.graph_id == stmt.excluded.graph_id, CloudTemplate.status),
                else_=stmt.excluded.status,
            ),
            "updated_at": func.now(),
        },
    ).returning(CloudTemplate)
    row: CloudTemplate | None = await db.scalar(
        upsert, execution_options={"populate_existing": True}
    )
    assert row is not None
    return row


async def insert_if_missing(db: AsyncSession, values: dict[str, Any]) -> CloudTemplate | None:
    """Insert a template unless one with its name and language is there (then None)."""
    stmt = (
        insert(CloudTemplate)
        .values(**values)
        .on_conflict_do_nothing(constraint="uq_cloud_templates_session_id_name_language")
        .returning(CloudTemplate)
    )
    return await db.scalar(stmt, execution_options={"populate_existing": True})


async def remove(db: AsyncSession, template_id: str) -> None:
    await db.execute(delete(CloudTemplate).where(CloudTemplate.id == template_id))
