from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Float, Select, String, column, func, select, update, values
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.pagination import Page, paginate
from gateway.models import ApiKey


async def add(db: AsyncSession, key: ApiKey) -> ApiKey:
    db.add(key)
    await db.flush()
    return key


@dataclass(frozen=True)
class Reach:
    """The keys a caller may see: its account's, narrowed to test keys for a test-mode
    caller and to its session's keys for a session-restricted one."""

    account_id: str
    mode: str | None = None
    session_id: str | None = None


def _visible(reach: Reach) -> Select[ApiKey]:
    stmt = select(ApiKey).where(ApiKey.account_id == reach.account_id)
    if reach.mode is not None:
        stmt = stmt.where(ApiKey.mode == reach.mode)
    if reach.session_id is not None:
        stmt = stmt.where(ApiKey.session_id == reach.session_id)
    return stmt


async def get(db: AsyncSession, reach: Reach, key_id: str) -> ApiKey | None:
    return await db.scalar(_visible(reach).where(ApiKey.id == key_id))


async def list_page(db: AsyncSession, reach: Reach, page: Page) -> Sequence[ApiKey]:
    return (await db.scalars(paginate(_visible(reach), ApiKey.id, page))).all()


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
