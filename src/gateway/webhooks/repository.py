from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ARRAY,
    DateTime,
    String,
    Table,
    any_,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.pagination import Page, paginate
from gateway.models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from gateway.webhooks.cache import EndpointRoute

# Core statements on the tables: no unit of work on the delivery path.
_deliveries = cast(Table, WebhookDelivery.__table__)
_endpoints = cast(Table, WebhookEndpoint.__table__)
_events = cast(Table, Event.__table__)
_attempts = cast(Table, WebhookAttempt.__table__)


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


async def enabled_routes(db: AsyncSession, account_id: str) -> tuple[EndpointRoute, ...]:
    """Every enabled endpoint of the account, as fan-out matches them (and caches them)."""
    rows = await db.execute(
        select(WebhookEndpoint.id, WebhookEndpoint.event_types, WebhookEndpoint.session_ids)
        .where(WebhookEndpoint.account_id == account_id, WebhookEndpoint.enabled.is_(True))
        .order_by(WebhookEndpoint.id)
    )
    return tuple(
        EndpointRoute(
            endpoint_id,
            frozenset(event_types),
            frozenset(session_ids) if session_ids is not None else None,
        )
        for endpoint_id, event_types, session_ids in rows.all()
    )


async def insert_deliveries(db: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """All the rows in one ``INSERT … VALUES (…), (…)``: one round trip however many
    endpoints and events."""
    await db.execute(insert(_deliveries).values(rows))


# -- claiming and recording attempts (the delivery job) --------------------------------


@dataclass(frozen=True)
class Claim:
    """A delivery leased for one attempt, with what its POST needs."""

    delivery_id: str
    attempt: int  # the attempts count this attempt makes (the lease's fencing token)
    endpoint_enabled: bool
    account_id: str
    endpoint_id: str
    url: str
    headers: dict[str, str]
    waha_hmac: bool
    secret: bytes
    previous_secret: bytes | None
    previous_secret_expires_at: datetime | None
    failing_since: datetime | None
    event: dict[str, Any]  # the event row's columns, as EventOut reads them


_now = bindparam("now", type_=DateTime(timezone=True))
# A disabled endpoint's delivery fails in the claim itself, without an attempt.
_CLAIM = (
    update(_deliveries)
    .where(
        _deliveries.c.id == any_(bindparam("delivery_ids", type_=ARRAY(String))),
        _deliveries.c.status == "pending",
        or_(_deliveries.c.next_attempt_at.is_(None), _deliveries.c.next_attempt_at <= _now),
        or_(_deliveries.c.leased_until.is_(None), _deliveries.c.leased_until < _now),
        _endpoints.c.id == _deliveries.c.endpoint_id,
        _events.c.id == _deliveries.c.event_id,
    )
    .values(
        leased_until=case(
            (_endpoints.c.enabled, bindparam("leased_until", type_=DateTime(timezone=True))),
            else_=None,
        ),
        attempts=_deliveries.c.attempts + case((_endpoints.c.enabled, 1), else_=0),
        status=case((_endpoints.c.enabled, "pending"), else_="failed"),
        last_error=case(
            (_endpoints.c.enabled, _deliveries.c.last_error),
            else_=func.concat(
                "endpoint disabled: ", func.coalesce(_endpoints.c.disabled_reason, "no reason")
            ),
        ),
        updated_at=func.now(),
    )
    .returning(
        _deliveries.c.id,
        _deliveries.c.attempts,
        _endpoints.c.enabled,
        _endpoints.c.account_id,
        _endpoints.c.id.label("endpoint_id"),
        _endpoints.c.url,
        _endpoints.c.headers,
        _endpoints.c.waha_hmac,
        _endpoints.c.secret,
        _endpoints.c.previous_secret,
        _endpoints.c.previous_secret_expires_at,
        _endpoints.c.failing_since,
        _events.c.id.label("event_id"),
        _events.c.type.label("event_type"),
        _events.c.created_at.label("event_created_at"),
        _events.c.livemode,
        _events.c.session,
        _events.c.data,
    )
)


async def claim(
    db: AsyncSession, delivery_ids: Sequence[str], now: datetime, leased_until: datetime
) -> list[Claim]:
    """Lease those of the deliveries that are pending, due and unleased, for one attempt
    each, in one statement that also reads their endpoints and events; in the order
    given. The others are finished, not due, or leased to another attempt."""
    rows = await db.execute(
        _CLAIM, {"delivery_ids": list(delivery_ids), "now": now, "leased_until": leased_until}
    )
    claims = {
        row.id: Claim(
            delivery_id=row.id,
            attempt=row.attempts,
            endpoint_enabled=row.enabled,
            account_id=row.account_id,
            endpoint_id=row.endpoint_id,
            url=row.url,
            headers=row.headers,
            waha_hmac=row.waha_hmac,
            secret=row.secret,
            previous_secret=row.previous_secret,
            previous_secret_expires_at=row.previous_secret_expires_at,
            failing_since=row.failing_since,
            event={
                "id": row.event_id,
                "type": row.event_type,
                "created_at": row.event_created_at,
                "livemode": row.livemode,
                "session": row.session,
                "data": row.data,
            },
        )
        for row in rows
    }
    return [claims[i] for i in delivery_ids if i in claims]


@dataclass(frozen=True)
class AttemptRecord:
    """One attempt as logged, and what it decided for its delivery."""

    delivery_id: str
    attempt: int  # the claim's fencing token
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    response_excerpt: str | None
    error: str | None
    status: str  # the delivery's status now: pending (a retry), succeeded or failed
    next_attempt_at: datetime | None  # None: left as it is
    succeeded_at: datetime | None  # None: left as it is


@dataclass(frozen=True)
class EndpointChange:
    """What a run of attempts did to their endpoint."""

    # keep | clear | first (set to ``since`` unless set) | restart (set to ``since``)
    failing_since: str = "keep"
    since: datetime | None = None
    disabled_reason: str | None = None  # disable the endpoint, with this reason


# One statement whatever the outcomes: the attempts logged, the deliveries settled (only
# those whose lease this run still holds: ``attempts`` is the fencing token), and the
# endpoint changed if any settled. The endpoint row is only written when it changes.
_RECORD = text(
    """
    WITH input AS (
        SELECT * FROM unnest(
            CAST(:delivery_ids AS varchar[]), CAST(:attempts AS integer[]),
            CAST(:attempted_at AS timestamptz[]), CAST(:status_codes AS smallint[]),
            CAST(:latencies AS integer[]), CAST(:excerpts AS varchar[]),
            CAST(:errors AS varchar[]), CAST(:statuses AS varchar[]),
            CAST(:next_attempt_at AS timestamptz[]), CAST(:succeeded_at AS timestamptz[])
        ) AS i (delivery_id, attempt, attempted_at, status_code, latency_ms,
                response_excerpt, error, status, next_attempt_at, succeeded_at)
    ),
    logged AS (
        INSERT INTO webhook_attempts
            (delivery_id, attempted_at, status_code, latency_ms, response_excerpt, error)
        SELECT delivery_id, attempted_at, status_code, latency_ms, response_excerpt, error
        FROM input
    ),
    settled AS (
        UPDATE webhook_deliveries AS d SET
            status = i.status,
            last_status_code = i.status_code,
            last_error = i.error,
            next_attempt_at = COALESCE(i.next_attempt_at, d.next_attempt_at),
            succeeded_at = COALESCE(i.succeeded_at, d.succeeded_at),
            leased_until = NULL,
            updated_at = now()
        FROM input AS i
        WHERE d.id = i.delivery_id AND d.status = 'pending' AND d.attempts = i.attempt
        RETURNING d.id
    ),
    endpoint AS (
        UPDATE webhook_endpoints SET
            failing_since = CASE CAST(:failing AS varchar)
                WHEN 'clear' THEN NULL
                WHEN 'first' THEN COALESCE(failing_since, CAST(:since AS timestamptz))
                WHEN 'restart' THEN CAST(:since AS timestamptz)
                ELSE failing_since END,
            enabled = CASE WHEN CAST(:reason AS varchar) IS NULL THEN enabled ELSE false END,
            disabled_reason = COALESCE(CAST(:reason AS varchar), disabled_reason)
        WHERE id = :endpoint_id AND EXISTS (SELECT 1 FROM settled) AND (
            CAST(:reason AS varchar) IS NOT NULL
            OR (CAST(:failing AS varchar) = 'clear' AND failing_since IS NOT NULL)
            OR (CAST(:failing AS varchar) = 'first' AND failing_since IS NULL)
            OR CAST(:failing AS varchar) = 'restart')
    )
    SELECT id FROM settled
    """
)


async def record_attempts(
    db: AsyncSession, endpoint_id: str, records: Sequence[AttemptRecord], change: EndpointChange
) -> set[str]:
    """Log the attempts of one endpoint's deliveries, settle the deliveries and update
    the endpoint, in one statement. A delivery claimed again since its attempt (its lease
    ran out, or it was resent) is not settled: that later attempt settles it; this one
    stays in the log. Returns the deliveries settled."""
    rows = await db.execute(
        _RECORD,
        {
            "delivery_ids": [r.delivery_id for r in records],
            "attempts": [r.attempt for r in records],
            "attempted_at": [r.attempted_at for r in records],
            "status_codes": [r.status_code for r in records],
            "latencies": [r.latency_ms for r in records],
            "excerpts": [r.response_excerpt for r in records],
            "errors": [r.error for r in records],
            "statuses": [r.status for r in records],
            "next_attempt_at": [r.next_attempt_at for r in records],
            "succeeded_at": [r.succeeded_at for r in records],
            "endpoint_id": endpoint_id,
            "failing": change.failing_since,
            "since": change.since,
            "reason": change.disabled_reason,
        },
    )
    return {delivery_id for (delivery_id,) in rows}


async def due_deliveries(
    db: AsyncSession, before: datetime, now: datetime, limit: int = 1000
) -> list[tuple[str, int]]:
    """Pending deliveries due before ``before`` that no attempt holds (never leased, or
    the lease ran out: the attempt was lost with its worker)."""
    rows = await db.execute(
        select(WebhookDelivery.id, WebhookDelivery.attempts)
        .where(
            WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at <= before,
            or_(WebhookDelivery.leased_until.is_(None), WebhookDelivery.leased_until < now),
        )
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
