"""create_app(): routers, middleware, exception handlers and the process's resources."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from arq.connections import RedisSettings, create_pool
from fastapi import FastAPI

from gateway.accounts.endpoints import admin_router as admin_accounts_router
from gateway.accounts.endpoints import router as account_router
from gateway.api_keys.endpoints import router as api_keys_router
from gateway.audit.endpoints import admin_router as admin_audit_router
from gateway.audit.endpoints import router as audit_router
from gateway.auth.cache import KeyCache
from gateway.auth.dependencies import KEY_SCHEMES, authenticates
from gateway.auth.service import UsageRecorder
from gateway.billing.admin_endpoints import admin_router as admin_plans_router
from gateway.billing.billing_endpoints import router as billing_router
from gateway.billing.plans import PlanCache
from gateway.billing.stripe_api import create_stripe
from gateway.billing.usage_endpoints import admin_router as admin_usage_router
from gateway.billing.usage_endpoints import router as usage_router
from gateway.chats.endpoints import router as chats_router
from gateway.cloud.templates.endpoints import router as templates_router
from gateway.cloud.webhook import router as cloud_webhook_router
from gateway.config import Settings
from gateway.contacts.endpoints import router as contacts_router
from gateway.dashboard.routes import router as dashboard_router
from gateway.db import create_engine, create_sessionmaker, create_statement_pool
from gateway.engines.cloud.graph import create_http_client
from gateway.erasure.endpoints import router as erasure_router
from gateway.events.endpoints import router as events_router
from gateway.events.openapi import register_event_docs
from gateway.events.stream import EventHub
from gateway.events.stream import router as stream_router
from gateway.exports.endpoints import router as exports_router
from gateway.groups.endpoints import router as groups_router
from gateway.kit.docs_pages import router as docs_pages_router
from gateway.kit.handlers import install_exception_handlers
from gateway.kit.inputguard import InputGuardMiddleware
from gateway.kit.middleware import RequestContextMiddleware
from gateway.kit.openapi import install_openapi, operation_id
from gateway.kit.queue import QUEUE_NAME
from gateway.kit.state import AppState
from gateway.media.endpoints import body_limits as media_body_limits
from gateway.media.endpoints import router as media_router
from gateway.messages.endpoints import router as messages_router
from gateway.metrics.endpoints import router as metrics_router
from gateway.metrics.http import HttpMetricsMiddleware
from gateway.metrics.service import AppMetrics
from gateway.ops.endpoints import router as ops_router
from gateway.ratelimit.service import RateLimiter
from gateway.sandbox.endpoints import router as sandbox_router
from gateway.sessions.endpoints import router as sessions_router
from gateway.sessions.engines import router as engines_router
from gateway.sessions.routes import SessionRoutes
from gateway.webhooks.cache import EndpointCache
from gateway.webhooks.cache import attach as attach_endpoint_cache
from gateway.webhooks.endpoints import router as webhooks_router

DESCRIPTION = """\
The WhatsApp gateway API. Authenticate with `Authorization: Bearer gw_…` (or `X-Api-Key`).
Errors always have the shape `{"error": {"type", "code", "message", "param", "request_id"}}`.
Lists are paginated with `limit`, `starting_after` and `ending_before`.
"""


def create_app(settings: Settings, *, worker_metrics: bool = False) -> FastAPI:
    """``worker_metrics``: the worker runs in this process too (``gateway up``), so
    ``/metrics`` serves what it counts as well."""
    if not settings.database_url or not settings.redis_url:
        raise ValueError("create_app needs resolved database and Redis URLs")
    database_url, redis_url = settings.database_url, settings.redis_url

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(database_url)
        redis = await create_pool(RedisSettings.from_dsn(redis_url), default_queue_name=QUEUE_NAME)
        state = AppState(
            settings=settings,
            engine=engine,
            sessionmaker=create_sessionmaker(engine),
            autocommit_sessionmaker=create_sessionmaker(
                engine.execution_options(isolation_level="AUTOCOMMIT")
            ),
            statements=await create_statement_pool(database_url),
            redis=redis,
            key_cache=KeyCache(max_age=settings.auth_cache_seconds),
            session_routes=SessionRoutes(),
            rate_limiter=RateLimiter(redis_url, redis.connection_pool),
            usage=UsageRecorder(),
            event_hub=EventHub(),
            graph_http=create_http_client(),
            stripe=create_stripe(settings),
        )
        state.caches += [state.key_cache, state.session_routes]
        # Plan limits by account (billing/plans.py), kept by the key cache's invalidations.
        state.caches.append(PlanCache(max_age=settings.auth_cache_seconds))
        # Fan-out finds the account's webhook endpoints in memory (webhooks/cache.py).
        webhook_endpoints = EndpointCache()
        for maker in (state.sessionmaker, state.autocommit_sessionmaker):
            attach_endpoint_cache(maker, webhook_endpoints)
        state.caches.append(webhook_endpoints)
        app.state.gateway = state
        listeners = [
            *(
                asyncio.create_task(cache.listen(redis), name=f"invalidations-{cache.channel}")
                for cache in state.caches
            ),
            asyncio.create_task(state.event_hub.run(redis), name="event-stream"),
        ]
        try:
            yield
        finally:
            for listener in listeners:
                listener.cancel()
            with suppress(asyncio.CancelledError):
                await asyncio.gather(*listeners)
            await redis.aclose(close_connection_pool=True)
            await state.graph_http.aclose()
            if state.stripe is not None:
                await state.stripe.aclose()
            await state.statements.close()
            await engine.dispose()

    app = FastAPI(
        title="Gateway API",
        version="v1",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        swagger_ui_parameters={"persistAuthorization": True, "displayRequestDuration": True},
        # /docs and /redoc are served with their assets by kit/docs_pages.py, not from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    # Inside the request context (added first: the last added is the outermost layer).
    app.add_middleware(InputGuardMiddleware)
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        body_limits=media_body_limits(settings),
    )
    if settings.metrics_enabled:
        # Outermost: it times what the client waits for, the request context included.
        app.state.metrics = AppMetrics(settings, worker=worker_metrics)
        app.add_middleware(HttpMetricsMiddleware, metrics=app.state.metrics.http)
    install_exception_handlers(app)

    # Included one level deep (not through a /v1 router): FastAPI matches a request
    # against every level of included routers in turn, so each level is paid per request.
    # The hot routes (sending, the account) come first.
    for router in (
        messages_router,
        account_router,
        api_keys_router,
        sessions_router,
        templates_router,
        engines_router,
        chats_router,
        contacts_router,
        groups_router,
        media_router,
        sandbox_router,
        events_router,
        webhooks_router,
        cloud_webhook_router,
        usage_router,
        billing_router,
        audit_router,
        exports_router,
        erasure_router,
    ):
        app.include_router(router, prefix="/v1")
    app.include_router(admin_accounts_router)
    app.include_router(admin_usage_router)
    app.include_router(admin_plans_router)
    app.include_router(admin_audit_router)
    app.include_router(ops_router)
    if settings.metrics_enabled:
        app.include_router(metrics_router)
    app.include_router(stream_router)
    app.include_router(docs_pages_router)
    app.include_router(dashboard_router)
    register_event_docs(app)
    install_openapi(app, key_security=(authenticates, KEY_SCHEMES))
    return app
