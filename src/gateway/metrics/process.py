"""What the worker side of a process counts: webhook attempts, engine errors, lease
takeovers, rows the retention purge deleted.

These happen in jobs and in the engine host, far from any app, so they live in one
registry per process (not prometheus_client's global default, which would also collect
whatever a library registers there). ``/metrics`` of an API that runs the worker in the
same process (``gateway up``) includes it; a standalone worker serves it on its own
listener (``GATEWAY_WORKER_METRICS_PORT``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry()

# Up to the webhook timeout (15 s by default, at most 120 s).
WEBHOOK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0)

webhook_attempts = Counter(
    "gateway_webhook_deliveries",
    "Webhook delivery attempts made by this process, by outcome: success (a 2xx), "
    "http_error (any other answer), timeout, connection_error, blocked (the target "
    "failed the address check).",
    ["outcome"],
    registry=REGISTRY,
)
webhook_duration = Histogram(
    "gateway_webhook_delivery_duration_seconds",
    "How long webhook delivery attempts made by this process took, by outcome.",
    ["outcome"],
    buckets=WEBHOOK_BUCKETS,
    registry=REGISTRY,
)
engine_errors = Counter(
    "gateway_engine_errors",
    "Engine errors on this process's engine host, by engine and kind: crash (the engine "
    "stopped with an exception and is restarted with backoff) or the code of a failed send "
    "attempt (recipient_not_on_whatsapp, rate_limited …).",
    ["engine", "kind"],
    registry=REGISTRY,
)
lease_takeovers = Counter(
    "gateway_lease_takeovers",
    "Sessions this process's engine host took over from a lease that had run out (its "
    "host died, was cut off, or stopped without giving the lease up).",
    registry=REGISTRY,
)

retention_purged_rows = Counter(
    "gateway_retention_purged_rows",
    "Rows (and orphaned media files) the retention purge deleted in this process, by kind: "
    "messages, events, webhook_deliveries, idempotency_keys, session_tombstones, "
    "sandbox_inbound, sandbox_sends, media_files.",
    ["kind"],
    registry=REGISTRY,
)


def webhook_attempted(outcome: str, seconds: float) -> None:
    webhook_attempts.labels(outcome).inc()
    webhook_duration.labels(outcome).observe(seconds)


def engine_failed(engine: str, kind: str) -> None:
    engine_errors.labels(engine, kind).inc()


def leases_taken_over(count: int) -> None:
    if count:
        lease_takeovers.inc(count)


def retention_purged(kind: str, count: int) -> None:
    if count:
        retention_purged_rows.labels(kind).inc(count)
