"""All SQL of the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.pagination import Page, paginate
from gateway.models import AuditEntry


async def list_entries(
    db: AsyncSession,
    page: Page,
    *,
    account_id: str | None,
    action: str | None,
    resource_id: str | None,
    actor_id: str | None,
    since: datetime | None,
    test_only: bool = False,
) -> Sequence[AuditEntry]:
    stmt = select(AuditEntry)
    if test_only:
        stmt = stmt.where(AuditEntry.livemode.is_(False))
    if account_id is not None:
        stmt = stmt.where(AuditEntry.account_id == account_id)
    if action is not None:
        # ``session.*`` lists every action on sessions.
        if action.endswith(".*"):
            stmt = stmt.where(AuditEntry.action.startswith(action[:-1], autoescape=True))
        else:
            stmt = stmt.where(AuditEntry.action == action)
    if resource_id is not None:
        stmt = stmt.where(AuditEntry.resource_id == resource_id)
    if actor_id is not None:
        if actor_id == "admin":
            stmt = stmt.where(AuditEntry.actor_type == "admin")
        else:
            stmt = stmt.where(AuditEntry.actor_id == actor_id)
    if since is not None:
        stmt = stmt.where(AuditEntry.created_at >= since)
    return (await db.scalars(paginate(stmt, AuditEntry.id, page))).all()
