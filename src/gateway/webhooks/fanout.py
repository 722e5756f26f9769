"""Fan-out: one delivery row per matching endpoint, in the events' own transaction, and a
job per endpoint and transaction (carrying its deliveries' ids) pushed after commit. An
event is never committed without its deliveries.

The account's endpoints come from the per-process cache when the session has one, so an
event costs no query beyond the insert; the rows of every event given are one insert.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.aftercommit import enqueue_after_commit
from gateway.kit.ids import new_id
from gateway.kit.time import utcnow
from gateway.models import Event
from gateway.webhooks import repository
from gateway.webhooks.cache import EndpointRoute, cache_of, changed_in

_JOBS_KEY = "gateway.webhooks.fan_out_jobs"


def delivery_job_id(delivery_id: str, attempt: int) -> str:
    return f"deliver-webhook:{delivery_id}:{attempt}"


async def fan_out(
    db: AsyncSession, events: Sequence[Event], *, endpoint_ids: Sequence[str] | None = None
) -> int:
    """Create the events' deliveries (to ``endpoint_ids`` when given, else to every
    enabled endpoint of the event's account that wants it); returns how many."""
    if not events:
        return 0
    now = utcnow()
    rows: list[dict[str, Any]] = []
    routes: dict[str, tuple[EndpointRoute, ...]] = {}
    for event in events:
        if endpoint_ids is not None:
            targets: Sequence[str] = endpoint_ids
        else:
            if event.account_id not in routes:
                routes[event.account_id] = await _routes(db, event.account_id)
            targets = [
                route.endpoint_id
                for route in routes[event.account_id]
                if route.wants(event.type, event.session_id)
            ]
        rows.extend(
            {
                "id": new_id("dlv"),
                "account_id": event.account_id,
                "endpoint_id": endpoint_id,
                "event_id": event.id,
                "event_type": event.type,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
            }
            for endpoint_id in targets
        )
    if not rows:
        return 0
    await repository.insert_deliveries(db, rows)
    jobs = _jobs_of_transaction(db)
    for row in rows:
        if (ids := jobs.get(row["endpoint_id"])) is not None:
            ids.append(row["id"])
            continue
        # One job per endpoint and transaction: a burst of events to one endpoint is
        # claimed, posted and recorded in chunks by one job, not a job (and its queue
        # round trips) per delivery. Its list is serialised when it is pushed, after the
        # commit, so deliveries the transaction fans out later join it.
        jobs[row["endpoint_id"]] = ids = [row["id"]]
        enqueue_after_commit(db, "deliver_webhook", ids, job_id=delivery_job_id(ids[0], 0))
    return len(rows)


def _jobs_of_transaction(db: AsyncSession) -> dict[str, list[str]]:
    """The delivery ids of the jobs this transaction will push, by endpoint."""
    transaction = db.sync_session.get_transaction()
    held = db.info.get(_JOBS_KEY)
    if held is None or held[0] is not transaction:
        held = db.info[_JOBS_KEY] = (transaction, {})
    jobs: dict[str, list[str]] = held[1]
    return jobs


async def _routes(db: AsyncSession, account_id: str) -> tuple[EndpointRoute, ...]:
    cache = cache_of(db)
    if cache is None or changed_in(db, account_id):
        return await repository.enabled_routes(db, account_id)
    found, cached = cache.get(account_id)
    if found and cached is not None:
        return cached
    generation = cache.generation
    loaded = await repository.enabled_routes(db, account_id)
    cache.put(account_id, loaded, generation)
    return loaded
