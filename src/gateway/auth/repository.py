from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import Account, ApiKey, Plan


async def key_with_account(
    db: AsyncSession, secret_hashes: Sequence[str]
) -> tuple[ApiKey, Account, str | None] | None:
    """The key whose hash is one of ``secret_hashes`` (the key hashed under each key of
    the keyring), its account and the rate limit of the account's plan, in one query."""
    condition = (
        ApiKey.secret_hash == secret_hashes[0]
        if len(secret_hashes) == 1
        else ApiKey.secret_hash.in_(list(secret_hashes))
    )
    row = (
        await db.execute(
            select(ApiKey, Account, Plan.rate_limit)
            .join(Account, Account.id == ApiKey.account_id)
            .join(Plan, Plan.id == Account.plan_id)
            .where(condition)
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])


async def rehash(
    db: AsyncSession, key_id: str, *, old_hash: str, new_hash: str, secret_key_id: str
) -> bool:
    """Store the key's hash under the current secret key, unless another process changed
    it meanwhile. True when the row was updated."""
    result = await db.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id, ApiKey.secret_hash == old_hash)
        .values(secret_hash=new_hash, secret_key_id=secret_key_id)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))
