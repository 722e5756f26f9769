"""Process-wide resources shared by requests: settings, database, Redis, caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

import asyncpg
import httpx
from arq.connections import ArqRedis
from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from gateway.config import Settings

if TYPE_CHECKING:
    from gateway.auth.cache import KeyCache
    from gateway.auth.service import UsageRecorder
    from gateway.billing.stripe_api import StripeApi
    from gateway.events.stream import EventHub
    from gateway.kit.cache import InvalidatedCache
    from gateway.ratelimit.service import RateLimiter
    from gateway.sessions.routes import SessionRoutes


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    # Sessions whose statements each commit on their own (no BEGIN/COMMIT round trips):
    # reads, and writes done in one statement.
    autocommit_sessionmaker: async_sessionmaker[AsyncSession]
    # Plain asyncpg connections for hot paths that are one statement each.
    statements: asyncpg.Pool
    redis: ArqRedis
    key_cache: KeyCache
    session_routes: SessionRoutes
    rate_limiter: RateLimiter
    usage: UsageRecorder
    event_hub: EventHub
    # The process's pooled client for Meta's Graph API (templates of cloud sessions).
    graph_http: httpx.AsyncClient
    # The process's Stripe client; None while billing is off (no Stripe key set).
    stripe: StripeApi | None = None
    # Every per-process cache kept by invalidations, so a commit applies its own at once.
    caches: list[InvalidatedCache[Any, Any]] = field(default_factory=list)

    def on_publish(self, channel: str, message: str) -> None:
        """``run_after_commit``'s local hook: this process's caches see the change first."""
        for cache in self.caches:
            cache.on_publish(channel, message)


def app_state(conn: HTTPConnection) -> AppState:
    state: AppState = conn.app.state.gateway
    return state


def _redis(conn: HTTPConnection) -> ArqRedis:
    return app_state(conn).redis


# The process's Redis (an arq pool), for routes that call engine hosts.
RedisDep = Annotated[ArqRedis, Depends(_redis)]
