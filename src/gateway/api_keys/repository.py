from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Float, String, column, func, select, update, values
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.pagination import Page, paginate
from gateway.models import ApiKey


async def add(db: AsyncSession, key: ApiKey) -> ApiKey:
    db.add(key)
    await db.flush()
    return key


async def get(db: AsyncSession, account_id: str, key_id: str) -> ApiKey | None:
    return await db.scalar(
        select(ApiKey).where(ApiKey.id == key_id, ApiKey.account_id == account_id)
    )


async def list_page(db: AsyncSession, account_id: str, page: Page) -> Sequence[ApiKey]:
    stmt = select(ApiKey).where(ApiKey.account_id == account_id)
    return (await db.scalars(paginate(stmt, ApiKey.id, page))).all()


async def record_last_used(db: AsyncSession, used: dict[str, float]) -> None:
    """Move usage stamps into ``last_used_at`` in one statement, never backwards."""
    if not used:
        return
    stamps = values(column("id", String), column("ts", Float), name="stamps").data(
        list(used.items())
    )
    await db.execute(
        update(ApiKey)
        .where(ApiKey.id == stamps.c.id)
        .values(
            last_used_at=func.greatest(
                func.coalesce(ApiKey.last_used_at, func.to_timestamp(0)),
                func.to_timestamp(stamps.c.ts),
            )
        )
    )


async def get_any(db: AsyncSession, key_id: str) -> ApiKey | None:
    return await db.get(ApiKey, key_id)
