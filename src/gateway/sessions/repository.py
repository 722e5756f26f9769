from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.pagination import Page, paginate
from gateway.models import Session, SessionLease


@dataclass(frozen=True)
class Reach:
    """The sessions a caller may reach: its account's live ones, narrowed to sandbox
    sessions for a test-mode key and to one session for a session-restricted key."""

    account_id: str
    sandbox_only: bool = False
    session_id: str | None = None


def _visible(reach: Reach, *, deleted: bool = False) -> Select[Session]:
    stmt = select(Session).where(
        Session.account_id == reach.account_id,
        Session.deleted_at.is_not(None) if deleted else Session.deleted_at.is_(None),
    )
    if reach.sandbox_only:
        stmt = stmt.where(Session.engine == "sandbox")
    if reach.session_id is not None:
        stmt = stmt.where(Session.id == reach.session_id)
    return stmt


async def get(
    db: AsyncSession, reach: Reach, session_id: str, *, lock: bool = False
) -> Session | None:
    stmt = _visible(reach).where(Session.id == session_id)
    if lock:
        stmt = stmt.with_for_update(key_share=True)  # inserts referencing it need not wait
    return await db.scalar(stmt)


async def get_deleted(db: AsyncSession, reach: Reach, session_id: str) -> Session | None:
    """A deleted session (kept as a tombstone) the caller could reach."""
    return await db.scalar(_visible(reach, deleted=True).where(Session.id == session_id))


async def name_taken(
    db: AsyncSession, account_id: str, name: str, *, besides: str | None = None
) -> bool:
    stmt = select(Session.id).where(
        Session.account_id == account_id, Session.name == name, Session.deleted_at.is_(None)
    )
    if besides is not None:
        stmt = stmt.where(Session.id != besides)
    return await db.scalar(stmt) is not None


async def list_page(
    db: AsyncSession, reach: Reach, page: Page, *, status: str | None = None
) -> Sequence[Session]:
    stmt = _visible(reach)
    if status is not None:
        stmt = stmt.where(Session.status == status)
    return (await db.scalars(paginate(stmt, Session.id, page))).all()


async def lease_holder(db: AsyncSession, session_id: str) -> str | None:
    """The engine host running the session now, if any."""
    return await db.scalar(
        select(SessionLease.host_id).where(
            SessionLease.session_id == session_id, SessionLease.expires_at > func.now()
        )
    )


async def route(db: AsyncSession, session_id: str) -> tuple[str, str, str, dict[str, Any]] | None:
    """(id, account id, engine, config) of a live session, for the routing cache."""
    row = (
        await db.execute(
            select(Session.id, Session.account_id, Session.engine, Session.config).where(
                Session.id == session_id, Session.deleted_at.is_(None)
            )
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2], dict(row[3]))
