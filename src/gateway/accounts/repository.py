from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.pagination import Page, paginate
from gateway.models import Account


async def add(db: AsyncSession, account: Account) -> Account:
    db.add(account)
    await db.flush()
    return account


async def get(db: AsyncSession, account_id: str) -> Account | None:
    return await db.get(Account, account_id)


async def list_page(db: AsyncSession, page: Page) -> Sequence[Account]:
    return (await db.scalars(paginate(select(Account), Account.id, page))).all()


async def any_exist(db: AsyncSession) -> bool:
    return bool(await db.scalar(select(exists().select_from(Account))))
