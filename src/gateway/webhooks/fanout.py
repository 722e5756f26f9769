"""Fan-out: one delivery row per matching endpoint, in the event's own transaction, and a
job per delivery pushed after commit. An event is never committed without its deliveries."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.aftercommit import enqueue_after_commit
from gateway.kit.ids import new_id
from gateway.kit.time import utcnow
from gateway.models import Event, WebhookDelivery
from gateway.webhooks import repository


def delivery_job_id(delivery_id: str, attempt: int) -> str:
    return f"deliver-webhook:{delivery_id}:{attempt}"


async def fan_out(db: AsyncSession, event: Event, *, endpoint_ids: list[str] | None = None) -> int:
    """Create the event's deliveries (to ``endpoint_ids`` when given, else to every
    matching endpoint); returns how many."""
    if endpoint_ids is None:
        endpoint_ids = await repository.matching_endpoints(
            db, event.account_id, event.type, event.session_id
        )
    if not endpoint_ids:
        return 0
    now = utcnow()
    deliveries = [
        WebhookDelivery(
            id=new_id("dlv"),
            account_id=event.account_id,
            endpoint_id=endpoint_id,
            event_id=event.id,
            event_type=event.type,
            status="pending",
            attempts=0,
            next_attempt_at=now,
        )
        for endpoint_id in endpoint_ids
    ]
    await repository.add_deliveries(db, deliveries)
    for delivery in deliveries:
        enqueue_after_commit(
            db, "deliver_webhook", delivery.id, job_id=delivery_job_id(delivery.id, 0)
        )
    return len(deliveries)
