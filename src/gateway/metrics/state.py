"""The deployment-wide gauges, read at scrape time and kept briefly.

A scrape finds the figures of the last read if they are younger than
``metrics_state_seconds``, otherwise it reads them again (one SQL statement, one Redis
pipeline), and concurrent scrapes share that read. They describe the whole deployment,
not the process, so every API process serves the same figures: aggregate them across
targets with ``max``, not ``sum``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Iterator

import asyncpg
import structlog
from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import CollectorRegistry
from redis.asyncio import Redis
from redis.exceptions import RedisError

from gateway.metrics import repository
from gateway.metrics.repository import QueueDepth, StateRows

log = structlog.get_logger(__name__)

DEPLOYMENT = " Deployment-wide: every API process serves the same figure."
# A scrape waits this long at most for the database; Prometheus's default scrape
# timeout is 10 s.
QUERY_TIMEOUT_SECONDS = 3.0


class StateCollector:
    def __init__(self, registry: CollectorRegistry, max_age: float) -> None:
        self.max_age = max_age
        self._rows: StateRows | None = None
        self._queues: dict[str, QueueDepth] = {}
        self._read_at = float("-inf")
        self._lock = asyncio.Lock()
        self.failures = Counter(
            "gateway_metrics_state_failures",
            "Reads of the deployment-wide gauges that failed in this process (the database "
            "or Redis was slow or unreachable); those gauges are absent from the scrape "
            "until a read succeeds.",
            registry=registry,
        )
        registry.register(self)

    async def refresh(self, pool: asyncpg.Pool, redis: Redis) -> None:
        """Read the figures again unless the last read is recent enough."""
        if time.monotonic() - self._read_at < self.max_age:
            return
        async with self._lock:
            if time.monotonic() - self._read_at < self.max_age:
                return  # another scrape read them while this one waited
            try:
                rows = await repository.read_state(pool, QUERY_TIMEOUT_SECONDS)
                queues = await asyncio.wait_for(
                    repository.queue_depths(redis, rows.hosts), QUERY_TIMEOUT_SECONDS
                )
            except (
                asyncpg.PostgresError,
                asyncpg.InterfaceError,
                OSError,
                RedisError,
                TimeoutError,
            ) as exc:
                log.warning("metrics.state_failed", error=f"{type(exc).__name__}: {exc}")
                self.failures.inc()
                self._rows, self._queues = None, {}
            else:
                self._rows, self._queues = rows, queues
            # A failure is kept as long as a success: a sick database is not asked again
            # by every scrape.
            self._read_at = time.monotonic()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        rows = self._rows
        if rows is None:
            return
        yield _family(
            "gateway_messages",
            "Messages stored, by engine, direction and status." + DEPLOYMENT,
            ["engine", "direction", "status"],
            rows.messages.items(),
        )
        yield _family(
            "gateway_outbox_due_messages",
            "Outbound messages due to be sent now (queued, scheduled and due, or being "
            "sent), by engine." + DEPLOYMENT,
            ["engine"],
            [((k,), v) for k, v in rows.outbox_due.items()],
        )
        yield _family(
            "gateway_outbox_oldest_due_age_seconds",
            "How long the oldest outbound message due to be sent has been due, by engine "
            "(absent: none is due). Messages of a session that is not WORKING wait here."
            + DEPLOYMENT,
            ["engine"],
            [((k,), v) for k, v in rows.outbox_oldest.items()],
        )
        yield _family(
            "gateway_sessions",
            "Sessions, by engine and status." + DEPLOYMENT,
            ["engine", "status"],
            rows.sessions.items(),
        )
        yield _family(
            "gateway_engine_hosts",
            "Engine hosts holding at least one live lease." + DEPLOYMENT,
            [],
            [((), float(len(rows.hosts)))],
        )
        jobs = GaugeMetricFamily(
            "gateway_queue_jobs",
            "arq jobs waiting, by queue (shared: the queue every worker consumes; host: the "
            "live engine hosts' own queues together) and state (ready: due now; deferred: "
            "for later, such as webhook retries)." + DEPLOYMENT,
            labels=["queue", "state"],
        )
        for queue, depth in self._queues.items():
            jobs.add_metric([queue, "ready"], depth.ready)
            jobs.add_metric([queue, "deferred"], depth.deferred)
        yield jobs


def _family(
    name: str,
    documentation: str,
    labels: list[str],
    values: Iterable[tuple[tuple[str, ...], float]],
) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=labels)
    for label_values, value in values:
        family.add_metric(list(label_values), value)
    return family
