from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.pagination import Page, paginate
from gateway.models import WebhookEndpoint


async def add(db: AsyncSession, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    db.add(endpoint)
    await db.flush()
    return endpoint


async def get(db: AsyncSession, account_id: str, endpoint_id: str) -> WebhookEndpoint | None:
    return await db.scalar(
        select(WebhookEndpoint).where(
            WebhookEndpoint.id == endpoint_id, WebhookEndpoint.account_id == account_id
        )
    )


async def list_page(db: AsyncSession, account_id: str, page: Page) -> Sequence[WebhookEndpoint]:
    stmt = select(WebhookEndpoint).where(WebhookEndpoint.account_id == account_id)
    return (await db.scalars(paginate(stmt, WebhookEndpoint.id, page))).all()


async def remove(db: AsyncSession, endpoint: WebhookEndpoint) -> None:
    await db.execute(delete(WebhookEndpoint).where(WebhookEndpoint.id == endpoint.id))
