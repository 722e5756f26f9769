from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import Account, ApiKey


async def key_with_account(db: AsyncSession, secret_hash: str) -> tuple[ApiKey, Account] | None:
    row = (
        await db.execute(
            select(ApiKey, Account)
            .join(Account, Account.id == ApiKey.account_id)
            .where(ApiKey.secret_hash == secret_hash)
        )
    ).first()
    return None if row is None else (row[0], row[1])
