"""Run the API, the worker, or both in one process (``gateway up``), with the embedded
servers when no URLs are configured; Ctrl-C stops everything in order."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import structlog
import uvicorn
from arq.worker import Worker
from redis.exceptions import RedisError
from starlette.types import ASGIApp

from gateway.config import Settings
from gateway.runtime.embedded import EmbeddedPostgres, EmbeddedRedis
from gateway.runtime.migrate import upgrade

log = structlog.get_logger(__name__)


@dataclass
class Infrastructure:
    settings: Settings
    embedded: list[EmbeddedPostgres | EmbeddedRedis] = field(default_factory=list)


@contextmanager
def infrastructure(
    settings: Settings, *, allow_embedded: bool = True, redis: bool = True
) -> Iterator[Infrastructure]:
    """Settings with resolved URLs, starting embedded servers for the ones not configured."""
    infra = Infrastructure(settings)
    try:
        updates: dict[str, str] = {}
        if not settings.database_url:
            if not allow_embedded:
                raise SystemExit("GATEWAY_DATABASE_URL is not set (only `gateway up` embeds one).")
            postgres = EmbeddedPostgres(settings.data_dir)
            infra.embedded.append(postgres)
            updates["database_url"] = postgres.start()
        if redis and not settings.redis_url:
            if not allow_embedded:
                raise SystemExit("GATEWAY_REDIS_URL is not set (only `gateway up` embeds one).")
            embedded_redis = EmbeddedRedis(settings.data_dir)
            infra.embedded.append(embedded_redis)
            updates["redis_url"] = embedded_redis.start()
        infra.settings = settings.model_copy(update=updates)
        yield infra
    finally:
        for server in reversed(infra.embedded):
            server.stop()


def api_config(settings: Settings, app: ASGIApp) -> uvicorn.Config:
    """How the API is served."""
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,
        # uvicorn would otherwise take X-Forwarded-For and -Proto from any peer on
        # 127.0.0.1 (its default) and rewrite the client address before a key's allowlist
        # sees it: trust exactly the proxies the operator names, or none.
        proxy_headers=bool(settings.trusted_proxy_networks),
        forwarded_allow_ips=[str(n) for n in settings.trusted_proxy_networks],
    )


class _Server(uvicorn.Server):
    # Signals are handled by the runner, which must also stop the worker and the embedded
    # servers; uvicorn would otherwise re-raise Ctrl-C after its own shutdown.
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    def install_signal_handlers(self) -> None:
        return None


async def serve(
    settings: Settings, *, api: bool, worker: bool, on_ready: Callable[[], None]
) -> None:
    from gateway.app import create_app
    from gateway.metrics.listener import WorkerMetricsApp
    from gateway.worker import create_host_runtime, create_worker

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    server = None
    tasks: list[asyncio.Task[None]] = []
    if api:
        config = api_config(settings, create_app(settings, worker_metrics=worker))
        server = _Server(config)
        tasks.append(asyncio.create_task(server.serve(), name="api"))
    arq_worker = create_worker(settings, handle_signals=False) if worker else None
    host_runtime = await create_host_runtime(settings) if worker else None
    if arq_worker is not None and host_runtime is not None:
        tasks.append(asyncio.create_task(_through_redis_outages(arq_worker), name="worker"))
        tasks.append(asyncio.create_task(host_runtime.host.run(), name="engine-host"))
        tasks.append(
            asyncio.create_task(_through_redis_outages(host_runtime.worker), name="host-worker")
        )

    # A standalone worker's own metrics listener; with the API here, its /metrics has them.
    metrics_server = None
    if worker and not api and settings.worker_metrics_port and settings.metrics_enabled:
        metrics_server = _Server(
            uvicorn.Config(
                WorkerMetricsApp(settings),
                host=settings.host,
                port=settings.worker_metrics_port,
                log_config=None,
                access_log=False,
                lifespan="off",
            )
        )
        tasks.append(asyncio.create_task(metrics_server.serve(), name="metrics"))

    async def announce() -> None:
        while server is not None and not server.started:
            if all(t.done() for t in tasks):
                return
            await asyncio.sleep(0.05)
        on_ready()

    ready = asyncio.create_task(announce())
    stopped = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([stopped, *tasks], return_when=asyncio.FIRST_COMPLETED)
    ready.cancel()
    log.info("gateway.stopping")
    for http_server in (server, metrics_server):
        if http_server is not None:
            http_server.should_exit = True
    if host_runtime is not None:
        with contextlib.suppress(asyncio.CancelledError):
            await host_runtime.worker.close()
        for task in tasks:
            if task.get_name() == "engine-host":
                task.cancel()  # stops its engines and gives its leases up
    if arq_worker is not None:
        with contextlib.suppress(asyncio.CancelledError):
            await arq_worker.close()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    if host_runtime is not None:
        await host_runtime.close()
    for task, result in zip(tasks, results, strict=True):
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            log.error("gateway.component_failed", component=task.get_name(), error=repr(result))
    if server is not None and not server.started and stopped not in done:
        raise SystemExit(f"The API could not start on {settings.host}:{settings.port}.")
    log.info("gateway.stopped")


async def _through_redis_outages(worker: Worker) -> None:
    """Run an arq worker, and run it again when it stops for a lost Redis connection: a
    Redis restart must not take the worker process down (rows carry the work meanwhile)."""
    while True:
        try:
            await worker.async_run()
            return
        except (RedisError, OSError) as exc:
            log.warning("gateway.worker.redis_lost", queue=worker.queue_name, error=str(exc))
            await asyncio.sleep(1.0)


def run(coro_factory: Callable[[], object]) -> None:
    """Run the event loop, with uvloop when it is installed."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(coro_factory())  # type: ignore[arg-type]
    else:
        uvloop.run(coro_factory())  # type: ignore[arg-type]


def migrate(settings: Settings) -> None:
    assert settings.database_url
    upgrade(settings.database_url)
