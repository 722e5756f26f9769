"""Delivering webhook attempts, and deciding what happens next.

An attempt is three steps, and only the first and last touch the database, each in one
short statement: ``claim`` leases the deliveries and reads what their POSTs need,
``attempt`` signs and POSTs with no connection held, ``record`` logs the attempts and
settles the deliveries and their endpoint. A worker that dies in between leaves leases
that run out; the sweep then sends those deliveries again, with the same ``webhook-id``
(at-least-once). A job may carry several deliveries (an event burst fanned out to one
endpoint): they are claimed, posted and recorded ``CHUNK`` at a time, so the statements
and the job's queue round trips are shared instead of paid per delivery.

Only 2xx succeeds; redirects are not followed; 410 disables the endpoint; 429 and 503
may say when to come back (``Retry-After``); everything else is retried on the schedule,
and an endpoint that has failed for too long is disabled with the reason. Every attempt
is logged with its status code, latency and the start of the answer.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.config import Settings
from gateway.events.schemas import EventOut
from gateway.kit.aftercommit import enqueue_after_commit
from gateway.kit.errors import GatewayError
from gateway.kit.safepost import PostFailed, PostResult, TargetPools, post
from gateway.kit.time import utcnow
from gateway.metrics import process as metrics
from gateway.webhooks import repository, signing
from gateway.webhooks.cache import invalidate_after_commit
from gateway.webhooks.fanout import delivery_job_id
from gateway.webhooks.repository import AttemptRecord, Claim, EndpointChange
from gateway.webhooks.service import unseal

log = structlog.get_logger(__name__)

# Deliveries claimed, posted (concurrently) and recorded together by one job.
CHUNK = 10
# Beyond the exchange's deadline (the webhook timeout): the time to record it on a
# loaded machine.
LEASE_MARGIN_SECONDS = 5.0


def lease_seconds(settings: Settings) -> float:
    """How long a claimed delivery is left to its attempt before the sweep presumes the
    attempt lost: longer than the exchange may last (the POST is cut at the timeout)."""
    return settings.webhook_timeout_seconds + LEASE_MARGIN_SECONDS


def http_client(settings: Settings) -> TargetPools:
    """The keep-alive connections a worker delivers through, kept per receiver, and at
    most ``worker_max_jobs`` POSTs in flight at once, as when a job was one delivery."""
    return TargetPools(
        timeout=settings.webhook_timeout_seconds, max_in_flight=settings.worker_max_jobs
    )


@dataclass(frozen=True)
class Attempt:
    """What one POST got: an answer, or the error that stood in for one."""

    attempted_at: datetime
    latency_ms: int
    result: PostResult | None
    error: str | None


@dataclass
class Settled:
    """What a job's attempts came to: the outcome per delivery, and the accounts whose
    endpoints they disabled."""

    outcomes: dict[str, str] = field(default_factory=dict)
    disabled_accounts: set[str] = field(default_factory=set)


async def claim(db: AsyncSession, settings: Settings, delivery_ids: Sequence[str]) -> list[Claim]:
    """Lease the deliveries that are due and that nobody holds, for one attempt each."""
    # One statement is its own transaction: no BEGIN/COMMIT round trips around it.
    await db.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    now = utcnow()
    return await repository.claim(
        db, delivery_ids, now, now + timedelta(seconds=lease_seconds(settings))
    )


async def attempt(pools: TargetPools, settings: Settings, claimed: Claim) -> Attempt:
    """Sign and POST the event; holds no database connection."""
    attempted_at = utcnow()
    event = EventOut.model_validate(claimed.event)
    body = event.model_dump_json().encode()
    secrets = [unseal(settings, claimed.secret)]
    expires = claimed.previous_secret_expires_at
    if claimed.previous_secret and expires and expires > attempted_at:
        secrets.append(unseal(settings, claimed.previous_secret))
    timestamp = int(time.time())
    headers = {
        **claimed.headers,
        "Content-Type": "application/json",
        "webhook-id": event.id,  # the same on every retry: receivers deduplicate on it
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signing.signature_header(secrets, event.id, timestamp, body),
    }
    if claimed.waha_hmac:
        headers["X-Webhook-Hmac"] = signing.waha_hmac(secrets[0], body)
        headers["X-Webhook-Hmac-Algorithm"] = "sha512"

    started = time.perf_counter()
    result: PostResult | None = None
    error: str | None = None
    try:
        result = await post(
            pools,
            claimed.url,
            content=body,
            headers=headers,
            allow_private=settings.private_targets_allowed,
        )
    except GatewayError as exc:  # unresolvable or unreachable, or not a public address
        error = exc.message
        outcome = "connection_error" if exc.code == "url_unreachable" else "blocked"
    except TimeoutError:
        error, outcome = f"TimeoutError: no answer within {pools.timeout:g} seconds", "timeout"
    except PostFailed as exc:
        error, outcome = f"PostFailed: {exc}", "connection_error"
    else:
        outcome = "success" if 200 <= result.status_code < 300 else "http_error"
    elapsed = time.perf_counter() - started
    metrics.webhook_attempted(outcome, elapsed)
    latency_ms = int(elapsed * 1000)
    return Attempt(attempted_at, latency_ms, result, error)


def _retry_after(result: PostResult | None) -> float | None:
    if result is None or result.status_code not in (429, 503):
        return None
    value = result.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None


@dataclass
class _Decided:
    records: list[AttemptRecord]
    outcomes: dict[str, str]
    change: EndpointChange


def _decide(settings: Settings, run: Sequence[tuple[Claim, Attempt]]) -> _Decided:
    """The rules, applied to one endpoint's attempts in order, as if each had been the
    only one: the endpoint's failure streak runs through them."""
    first = run[0][0].failing_since
    failing, restarted, reason = first, False, None
    records: list[AttemptRecord] = []
    outcomes: dict[str, str] = {}
    for claimed, done in run:
        result, now = done.result, done.attempted_at
        status = result.status_code if result is not None else None
        delivery_status, next_attempt_at, succeeded_at = "failed", None, None
        if status is not None and 200 <= status < 300:
            outcome, delivery_status, succeeded_at = "succeeded", "succeeded", utcnow()
            failing, restarted = None, True
        elif status == 410:
            outcome = "gone"
            reason = reason or "the endpoint answered 410 Gone"
        else:
            failing = failing or now
            if (now - failing).total_seconds() >= settings.webhook_disable_after_seconds:
                outcome = "endpoint disabled"
                reason = reason or f"every delivery failed since {failing.isoformat()}"
            elif claimed.attempt >= len(settings.webhook_retry_schedule):
                outcome = "failed"
            else:
                outcome, delivery_status = "retry", "pending"
                delay = settings.webhook_retry_schedule[claimed.attempt]
                delay = max(delay, _retry_after(result) or 0.0)
                next_attempt_at = now + timedelta(seconds=delay)
        outcomes[claimed.delivery_id] = outcome
        records.append(
            AttemptRecord(
                delivery_id=claimed.delivery_id,
                attempt=claimed.attempt,
                attempted_at=now,
                status_code=status,
                latency_ms=done.latency_ms,
                response_excerpt=(
                    result.excerpt.decode("utf-8", "replace")[:1024] if result else None
                ),
                error=done.error[:500] if done.error else None,
                status=delivery_status,
                next_attempt_at=next_attempt_at,
                succeeded_at=succeeded_at,
            )
        )
    if failing is None:
        change = EndpointChange(failing_since="clear" if restarted else "keep")
    elif restarted:  # a success, then failures again: the streak starts over
        change = EndpointChange(failing_since="restart", since=failing)
    elif first is None:
        change = EndpointChange(failing_since="first", since=failing)
    else:
        change = EndpointChange()
    if reason is not None:
        change = EndpointChange(change.failing_since, change.since, disabled_reason=reason)
    return _Decided(records, outcomes, change)


async def record(
    db: AsyncSession, settings: Settings, run: Sequence[tuple[Claim, Attempt]]
) -> Settled:
    """Log the attempts and decide what happens next: one statement per endpoint (a job's
    deliveries usually share one)."""
    await db.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    by_endpoint: dict[str, list[tuple[Claim, Attempt]]] = {}
    for claimed, done in run:
        by_endpoint.setdefault(claimed.endpoint_id, []).append((claimed, done))
    settled = Settled()
    for endpoint_id, attempts in by_endpoint.items():
        decided = _decide(settings, attempts)
        done_ids = await repository.record_attempts(
            db, endpoint_id, decided.records, decided.change
        )
        for record_ in decided.records:
            # Not settled: claimed again since (the lease ran out, or it was resent);
            # that attempt settles it, and this one stays in the log.
            settled.outcomes[record_.delivery_id] = (
                decided.outcomes[record_.delivery_id]
                if record_.delivery_id in done_ids
                else "superseded"
            )
            if record_.next_attempt_at is not None and record_.delivery_id in done_ids:
                enqueue_after_commit(
                    db,
                    "deliver_webhook",
                    record_.delivery_id,
                    job_id=delivery_job_id(record_.delivery_id, record_.attempt),
                    defer_until=record_.next_attempt_at,
                )
        reason = decided.change.disabled_reason
        if reason is not None and done_ids:
            account_id = attempts[0][0].account_id
            invalidate_after_commit(db, account_id)
            settled.disabled_accounts.add(account_id)
            log.warning("webhook.endpoint.disabled", endpoint_id=endpoint_id, reason=reason)
    return settled
