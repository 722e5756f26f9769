from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import Account, ApiKey, Plan


async def key_with_account(
    db: AsyncSession, secret_hash: str
) -> tuple[ApiKey, Account, str | None] | None:
    """The key, its account and the rate limit of the account's plan, in one query."""
    row = (
        await db.execute(
            select(ApiKey, Account, Plan.rate_limit)
            .join(Account, Account.id == ApiKey.account_id)
            .join(Plan, Plan.id == Account.plan_id)
            .where(ApiKey.secret_hash == secret_hash)
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])
