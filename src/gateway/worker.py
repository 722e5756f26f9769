"""The arq worker: job functions, cron, and the resources jobs share."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, cast

import httpx
from arq import cron
from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.typing import WorkerCoroutine
from arq.worker import Worker
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.api_keys.tasks import flush_api_key_usage
from gateway.billing.meter import report_overage
from gateway.billing.stripe_api import create_stripe
from gateway.billing.stripe_tasks import (
    STRIPE,
    close_stripe,
    end_grace_periods,
    process_stripe_event,
    sweep_stripe_events,
)
from gateway.billing.usage_tasks import publish_quota_warning, reconcile_usage
from gateway.cloud.tasks import (
    GRAPH_HTTP,
    close_graph_http,
    process_cloud_notifications,
    sweep_cloud_notifications,
)
from gateway.config import Settings
from gateway.db import create_engine, create_sessionmaker
from gateway.engines.base import EngineResources
from gateway.engines.cloud.graph import create_http_client
from gateway.engines.control import host_queue
from gateway.engines.host import EngineHost
from gateway.engines.tasks import HOST_FUNCTIONS
from gateway.exports.tasks import build_export, sweep_exports
from gateway.kit.jobs import JobContext
from gateway.kit.queue import QUEUE_NAME
from gateway.messages.tasks import sweep_messages
from gateway.retention.tasks import purge_idempotency_keys, purge_retention
from gateway.webhooks import cache as endpoint_cache
from gateway.webhooks.delivery import http_client
from gateway.webhooks.tasks import deliver_webhook, sweep_webhook_deliveries

FUNCTIONS: list[Any] = [
    flush_api_key_usage,
    purge_idempotency_keys,
    purge_retention,
    sweep_messages,
    deliver_webhook,
    sweep_webhook_deliveries,
    process_cloud_notifications,
    sweep_cloud_notifications,
    reconcile_usage,
    publish_quota_warning,
    process_stripe_event,
    sweep_stripe_events,
    end_grace_periods,
    report_overage,
    build_export,
    sweep_exports,
]
CRON_JOBS = [
    cron(cast(WorkerCoroutine, flush_api_key_usage), second={0, 30}, unique=True),
    cron(cast(WorkerCoroutine, purge_idempotency_keys), minute={7}, second={0}, unique=True),
    # Every 10 minutes: each run is bounded (batches, time), so a backlog (retention just
    # shortened, a first run on a large database) drains over runs instead of in one.
    cron(
        cast(WorkerCoroutine, purge_retention),
        minute=set(range(4, 60, 10)),
        second={20},
        unique=True,
    ),
    cron(cast(WorkerCoroutine, sweep_messages), second=set(range(0, 60, 5)), unique=True),
    cron(
        cast(WorkerCoroutine, sweep_webhook_deliveries),
        second=set(range(1, 60, 5)),
        unique=True,
    ),
    cron(
        cast(WorkerCoroutine, sweep_cloud_notifications),
        second=set(range(2, 60, 5)),
        unique=True,
    ),
    cron(
        cast(WorkerCoroutine, reconcile_usage),
        minute=set(range(3, 60, 10)),
        second={30},
        unique=True,
    ),
    cron(cast(WorkerCoroutine, sweep_stripe_events), second=set(range(3, 60, 5)), unique=True),
    cron(cast(WorkerCoroutine, end_grace_periods), second={40}, unique=True),
    cron(cast(WorkerCoroutine, sweep_exports), second=set(range(4, 60, 5)), unique=True),
    # Overage is billed at the period's end: reporting it often keeps the figure Stripe
    # shows the customer current, each report a meter event (one per account per run).
    cron(
        cast(WorkerCoroutine, report_overage),
        minute=set(range(5, 60, 10)),
        second={10},
        unique=True,
    ),
]


def worker_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for ``arq.worker.Worker``."""
    if not settings.database_url or not settings.redis_url:
        raise ValueError("the worker needs resolved database and Redis URLs")
    database_url = settings.database_url

    async def startup(ctx: JobContext) -> None:
        ctx["settings"] = settings
        ctx["engine"] = create_engine(database_url)
        ctx["sessionmaker"] = create_sessionmaker(ctx["engine"])
        ctx["webhook_http"] = http_client(settings)
        # Made here, in the worker's context: each job runs on a copy of it, so a client
        # a job made for itself would be neither shared nor closed.
        ctx[GRAPH_HTTP] = create_http_client()
        ctx[STRIPE] = create_stripe(settings)
        ctx["endpoint_cache"], ctx["endpoint_listener"] = endpoint_cache.start(
            ctx["sessionmaker"], ctx["redis"]
        )

    async def shutdown(ctx: JobContext) -> None:
        await endpoint_cache.stop(ctx["endpoint_listener"])
        await close_stripe(ctx)
        await close_graph_http(ctx)
        await ctx["webhook_http"].aclose()
        await ctx["engine"].dispose()

    return {
        "functions": FUNCTIONS,
        "cron_jobs": CRON_JOBS,
        "queue_name": QUEUE_NAME,
        "redis_settings": RedisSettings.from_dsn(settings.redis_url),
        "on_startup": startup,
        "on_shutdown": shutdown,
        "max_jobs": settings.worker_max_jobs,
        "keep_result": 60,
        # How long a job can wait in an idle worker's queue (50 ms on average for a webhook
        # delivery). Polling faster costs idle CPU: at 20 ms, two queues' polls were most
        # of the idle CPU of a worker with 1,000 sessions (bench/README.md).
        "poll_delay": 0.1,
    }


def create_worker(settings: Settings, **overrides: Any) -> Worker:
    return Worker(**{**worker_options(settings), **overrides})


@dataclass
class HostRuntime:
    """An engine host and the arq worker of its own queue, in one worker process."""

    host: EngineHost
    worker: Worker
    engine: AsyncEngine
    redis: ArqRedis
    # Keeps the fan-out of the events the host publishes served from memory.
    endpoint_listener: asyncio.Task[None]
    http: httpx.AsyncClient  # the engines' pooled client for Graph

    async def close(self) -> None:
        await endpoint_cache.stop(self.endpoint_listener)
        await self.http.aclose()
        await self.redis.aclose(close_connection_pool=True)
        await self.engine.dispose()


async def create_host_runtime(settings: Settings) -> HostRuntime:
    if not settings.database_url or not settings.redis_url:
        raise ValueError("the engine host needs resolved database and Redis URLs")
    engine = create_engine(settings.database_url)
    # Jobs the host enqueues without a queue (webhook deliveries of the events it
    # publishes) belong on the shared queue, not on arq's default one nobody consumes.
    redis = await create_pool(
        RedisSettings.from_dsn(settings.redis_url), default_queue_name=QUEUE_NAME
    )
    sessionmaker = create_sessionmaker(engine)
    _, endpoint_listener = endpoint_cache.start(sessionmaker, redis)
    http = create_http_client()
    host = EngineHost(EngineResources(settings, sessionmaker, redis, http))
    worker = Worker(
        functions=HOST_FUNCTIONS,
        queue_name=host_queue(host.id),
        redis_pool=redis,
        ctx={"host": host},
        handle_signals=False,
        keep_result=60,
        poll_delay=0.02,
        max_jobs=settings.worker_max_jobs,
        # A job for a host that died is never run by another: its caller times out.
        expires_extra_ms=60_000,
    )
    return HostRuntime(host, worker, engine, redis, endpoint_listener, http)
