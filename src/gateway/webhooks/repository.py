from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.pagination import Page, paginate
from gateway.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


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


async def matching_endpoints(
    db: AsyncSession, account_id: str, event_type: str, session_id: str | None
) -> list[str]:
    """Enabled endpoints of the account that want this event."""
    stmt = select(WebhookEndpoint.id).where(
        WebhookEndpoint.account_id == account_id,
        WebhookEndpoint.enabled.is_(True),
        or_(
            WebhookEndpoint.event_types.contains(["*"]),
            WebhookEndpoint.event_types.contains([event_type]),
        ),
    )
    if session_id is None:
        stmt = stmt.where(WebhookEndpoint.session_ids.is_(None))
    else:
        stmt = stmt.where(
            or_(
                WebhookEndpoint.session_ids.is_(None),
                WebhookEndpoint.session_ids.contains([session_id]),
            )
        )
    return list((await db.scalars(stmt)).all())


async def add_deliveries(db: AsyncSession, deliveries: list[WebhookDelivery]) -> None:
    db.add_all(deliveries)
    await db.flush()


async def lock_pending(db: AsyncSession, delivery_id: str) -> WebhookDelivery | None:
    return await db.scalar(
        select(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending")
        .with_for_update(skip_locked=True)
    )


async def add_attempt(db: AsyncSession, attempt: WebhookAttempt) -> None:
    db.add(attempt)
    await db.flush()


async def due_deliveries(
    db: AsyncSession, before: datetime, limit: int = 1000
) -> list[tuple[str, int]]:
    rows = await db.execute(
        select(WebhookDelivery.id, WebhookDelivery.attempts)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= before)
        .limit(limit)
    )
    return [(delivery_id, attempts) for delivery_id, attempts in rows.all()]


async def delivery_page(
    db: AsyncSession,
    endpoint_id: str,
    page: Page,
    *,
    status: str | None = None,
    event_type: str | None = None,
) -> Sequence[WebhookDelivery]:
    stmt = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    if status is not None:
        stmt = stmt.where(WebhookDelivery.status == status)
    if event_type is not None:
        stmt = stmt.where(WebhookDelivery.event_type == event_type)
    return (await db.scalars(paginate(stmt, WebhookDelivery.id, page))).all()


async def get_delivery(
    db: AsyncSession, endpoint_id: str, delivery_id: str, *, lock: bool = False
) -> WebhookDelivery | None:
    stmt = select(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint_id
    )
    if lock:
        stmt = stmt.with_for_update()
    return await db.scalar(stmt)


async def attempts_of(db: AsyncSession, delivery_id: str) -> Sequence[WebhookAttempt]:
    return (
        await db.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id == delivery_id)
            .order_by(WebhookAttempt.id)
        )
    ).all()


async def failed_since(
    db: AsyncSession, endpoint_id: str, since: datetime
) -> Sequence[WebhookDelivery]:
    return (
        await db.scalars(
            select(WebhookDelivery)
            .where(
                WebhookDelivery.endpoint_id == endpoint_id,
                WebhookDelivery.status == "failed",
                WebhookDelivery.created_at >= since,
            )
            .with_for_update()
        )
    ).all()


async def delivery_of(db: AsyncSession, endpoint_id: str, event_id: str) -> WebhookDelivery | None:
    return await db.scalar(
        select(WebhookDelivery).where(
            WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.event_id == event_id
        )
    )
