from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.pagination import Page, paginate
from gateway.models import Media, Session


@dataclass(frozen=True)
class Reach:
    """The files a caller may see: its account's, narrowed for a test-mode key to files
    not tied to a live session, and for a session-restricted key to files not tied to
    another session. Files received by a real number are a real person's."""

    account_id: str
    sandbox_only: bool = False
    session_id: str | None = None


def _visible(reach: Reach) -> Select[Media]:
    stmt = select(Media).where(Media.account_id == reach.account_id)
    if reach.sandbox_only:
        sandbox_sessions = select(Session.id).where(
            Session.account_id == reach.account_id, Session.engine == "sandbox"
        )
        stmt = stmt.where(or_(Media.session_id.is_(None), Media.session_id.in_(sandbox_sessions)))
    if reach.session_id is not None:
        stmt = stmt.where(or_(Media.session_id.is_(None), Media.session_id == reach.session_id))
    return stmt


async def add(db: AsyncSession, media: Media) -> Media:
    db.add(media)
    await db.flush()
    return media


async def get(db: AsyncSession, reach: Reach, media_id: str) -> Media | None:
    return await db.scalar(_visible(reach).where(Media.id == media_id))


async def list_page(db: AsyncSession, reach: Reach, page: Page) -> Sequence[Media]:
    return (await db.scalars(paginate(_visible(reach), Media.id, page))).all()


async def existing_storage_keys(db: AsyncSession, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` a media row refers to, across accounts: the retention sweep's
    check for files no row refers to. Keys end in the media id, so the primary key finds
    the rows (``storage_key`` has no index of its own)."""
    ids = [key.rpartition("/")[2] for key in keys]
    if not ids:
        return set()
    rows = await db.scalars(select(Media.storage_key).where(Media.id.in_(ids)))
    return set(rows) & set(keys)
