"""All SQL of plans: the admin's CRUD, an account's limits, and the counts the limits cap."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.billing.limits import PlanLimits
from gateway.kit.pagination import Page, paginate
from gateway.models import Account, ApiKey, Plan, Session, WebhookEndpoint


async def get(db: AsyncSession, plan_id: str, *, lock: bool = False) -> Plan | None:
    stmt = select(Plan).where(Plan.id == plan_id)
    if lock:
        stmt = stmt.with_for_update()
    return await db.scalar(stmt)


async def list_page(db: AsyncSession, page: Page) -> Sequence[Plan]:
    return (await db.scalars(paginate(select(Plan), Plan.id, page))).all()


async def name_taken(db: AsyncSession, name: str, *, besides: str | None = None) -> bool:
    stmt = select(Plan.id).where(func.lower(Plan.name) == name.lower())
    if besides is not None:
        stmt = stmt.where(Plan.id != besides)
    return await db.scalar(stmt) is not None


async def default_plan(db: AsyncSession) -> Plan | None:
    return await db.scalar(select(Plan).where(Plan.is_default))


async def insert_default_unless_any(db: AsyncSession, values: dict[str, Any]) -> None:
    """Insert ``values`` as the default plan, unless a default exists (or appears)."""
    await db.execute(
        insert(Plan)
        .values(**values, is_default=True)
        .on_conflict_do_nothing(index_elements=[Plan.is_default], index_where=text("is_default"))
    )


async def clear_default(db: AsyncSession, *, besides: str) -> None:
    await db.execute(
        update(Plan).where(Plan.is_default, Plan.id != besides).values(is_default=False)
    )


async def has_accounts(db: AsyncSession, plan_id: str) -> bool:
    return bool(await db.scalar(select(exists().where(Account.plan_id == plan_id))))


async def delete(db: AsyncSession, plan: Plan) -> None:
    await db.delete(plan)
    await db.flush()


async def limits_of_account(db: AsyncSession, account_id: str) -> PlanLimits | None:
    row = (
        await db.execute(
            select(
                Plan.id,
                Plan.name,
                Plan.rate_limit,
                Plan.messages_per_month,
                Plan.overage_allowed,
                Plan.sessions,
                Plan.webhook_endpoints,
                Plan.api_keys,
                Plan.media_storage_bytes,
            )
            .join(Account, Account.plan_id == Plan.id)
            .where(Account.id == account_id)
        )
    ).first()
    return None if row is None else PlanLimits(*row)


async def lock_account_counts(db: AsyncSession, account_id: str) -> None:
    """Serialise the account's creates of counted objects until the transaction ends.

    An advisory lock rather than ``SELECT … FOR UPDATE`` of the account row: the row lock
    would also wait for (and block) every insert that references the account (they take
    ``FOR KEY SHARE`` on it) and every change of the account itself, while this one only
    orders the creates that count against a limit."""
    await db.execute(
        select(func.pg_advisory_xact_lock(func.hashtextextended("plan_limits:" + account_id, 0)))
    )


def _live_sessions(account_id: str, *, sandbox: bool) -> ColumnElement[bool]:
    engine = Session.engine == "sandbox" if sandbox else Session.engine != "sandbox"
    return (Session.account_id == account_id) & Session.deleted_at.is_(None) & engine


def counted(limit: str, account_id: str, *, test_mode: bool = False) -> Any:
    """How many of the account's objects count against ``limit``, as a scalar subquery
    (deleted sessions and revoked keys do not; the usage figures count the same way)."""
    if limit == "sessions":
        where = _live_sessions(account_id, sandbox=test_mode)
        return select(func.count()).select_from(Session).where(where).scalar_subquery()
    if limit == "webhook_endpoints":
        return (
            select(func.count())
            .select_from(WebhookEndpoint)
            .where(WebhookEndpoint.account_id == account_id)
            .scalar_subquery()
        )
    if limit == "api_keys":
        return (
            select(func.count())
            .select_from(ApiKey)
            .where(
                ApiKey.account_id == account_id,
                ApiKey.revoked_at.is_(None),
                ApiKey.mode == ("test" if test_mode else "live"),
            )
            .scalar_subquery()
        )
    raise ValueError(f"not a count limit: {limit}")


async def count_with_limit(
    db: AsyncSession, account_id: str, limit: str, *, test_mode: bool = False
) -> tuple[str, int | None, int] | None:
    """(plan name, the plan's ``limit``, how many count against it) in one statement;
    ``None`` if there is no such account."""
    row = (
        await db.execute(
            select(
                Plan.name,
                getattr(Plan, limit),
                counted(limit, account_id, test_mode=test_mode),
            )
            .join(Account, Account.plan_id == Plan.id)
            .where(Account.id == account_id)
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])
