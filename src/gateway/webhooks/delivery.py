"""Delivering one webhook attempt, and deciding what happens next.

Only 2xx succeeds; redirects are not followed; 410 disables the endpoint; 429 and 503
may say when to come back (``Retry-After``); everything else is retried on the schedule,
and an endpoint that has failed for too long is disabled with the reason. Every attempt
is logged with its status code, latency and the start of the answer.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.config import Settings
from gateway.events.schemas import EventOut
from gateway.kit.aftercommit import enqueue_after_commit
from gateway.kit.errors import GatewayError
from gateway.kit.safehttp import PostResult, post
from gateway.kit.time import utcnow
from gateway.models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from gateway.webhooks import repository, signing
from gateway.webhooks.fanout import delivery_job_id
from gateway.webhooks.service import unseal

log = structlog.get_logger(__name__)

USER_AGENT = "gateway-webhooks/1"


def http_client(settings: Settings) -> httpx.AsyncClient:
    """The one connection pool a worker delivers through."""
    return httpx.AsyncClient(
        timeout=settings.webhook_timeout_seconds,
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
    )


def _retry_after(result: PostResult | None) -> float | None:
    if result is None or result.status_code not in (429, 503):
        return None
    value = result.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None


async def deliver(
    db: AsyncSession, client: httpx.AsyncClient, settings: Settings, delivery_id: str
) -> str:
    """Make the delivery's next attempt if it is due; returns what happened."""
    delivery = await repository.lock_pending(db, delivery_id)
    if delivery is None:
        return "done"  # delivered, failed for good, or being attempted by another job
    now = utcnow()
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
        return "not due"  # an early wake-up (a sweep racing the deferred job)
    endpoint = await db.get(WebhookEndpoint, delivery.endpoint_id)
    event = await db.get(Event, delivery.event_id)
    assert endpoint is not None
    assert event is not None
    if not endpoint.enabled:
        delivery.status = "failed"
        delivery.last_error = f"endpoint disabled: {endpoint.disabled_reason}"
        return "endpoint disabled"

    body = EventOut.model_validate(event).model_dump_json().encode()
    secrets = [unseal(settings, endpoint.secret)]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_expires_at
        and (endpoint.previous_secret_expires_at > now)
    ):
        secrets.append(unseal(settings, endpoint.previous_secret))
    timestamp = int(time.time())
    headers = {
        **endpoint.headers,
        "Content-Type": "application/json",
        "webhook-id": event.id,  # the same on every retry: receivers deduplicate on it
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signing.signature_header(secrets, event.id, timestamp, body),
    }
    if endpoint.waha_hmac:
        headers["X-Webhook-Hmac"] = signing.waha_hmac(secrets[0], body)
        headers["X-Webhook-Hmac-Algorithm"] = "sha512"

    delivery.attempts += 1
    started = time.perf_counter()
    result: PostResult | None = None
    error: str | None = None
    try:
        result = await post(
            client,
            endpoint.url,
            content=body,
            headers=headers,
            allow_private=settings.private_targets_allowed,
        )
    except GatewayError as exc:
        error = exc.message
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    latency_ms = int((time.perf_counter() - started) * 1000)
    await repository.add_attempt(
        db,
        WebhookAttempt(
            delivery_id=delivery.id,
            attempted_at=now,
            status_code=result.status_code if result else None,
            latency_ms=latency_ms,
            response_excerpt=result.excerpt.decode("utf-8", "replace")[:1024] if result else None,
            error=error,
        ),
    )
    delivery.last_status_code = result.status_code if result else None
    delivery.last_error = error
    if result is not None and 200 <= result.status_code < 300:
        delivery.status = "succeeded"
        delivery.succeeded_at = utcnow()
        endpoint.failing_since = None
        return "succeeded"
    if result is not None and result.status_code == 410:
        _disable(endpoint, "the endpoint answered 410 Gone")
        delivery.status = "failed"
        return "gone"
    endpoint.failing_since = endpoint.failing_since or now
    if (now - endpoint.failing_since).total_seconds() >= settings.webhook_disable_after_seconds:
        _disable(endpoint, f"every delivery failed since {endpoint.failing_since.isoformat()}")
        delivery.status = "failed"
        return "endpoint disabled"
    return _schedule_retry(db, delivery, settings, _retry_after(result), now)


def _disable(endpoint: WebhookEndpoint, reason: str) -> None:
    endpoint.enabled = False
    endpoint.disabled_reason = reason
    log.warning("webhook.endpoint.disabled", endpoint_id=endpoint.id, reason=reason)


def _schedule_retry(
    db: AsyncSession,
    delivery: WebhookDelivery,
    settings: Settings,
    retry_after: float | None,
    now: datetime,
) -> str:
    schedule = settings.webhook_retry_schedule
    if delivery.attempts >= len(schedule):
        delivery.status = "failed"
        return "failed"
    delay = max(schedule[delivery.attempts], retry_after or 0.0)
    delivery.next_attempt_at = now + timedelta(seconds=delay)
    enqueue_after_commit(
        db,
        "deliver_webhook",
        delivery.id,
        job_id=delivery_job_id(delivery.id, delivery.attempts),
        defer_until=delivery.next_attempt_at,
    )
    return "retry"
