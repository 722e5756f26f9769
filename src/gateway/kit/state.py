"""Process-wide resources shared by requests: settings, database, Redis, caches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from arq.connections import ArqRedis
from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from gateway.config import Settings

if TYPE_CHECKING:
    from gateway.auth.cache import KeyCache
    from gateway.auth.service import UsageRecorder
    from gateway.events.stream import EventHub
    from gateway.ratelimit.service import RateLimiter


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    redis: ArqRedis
    key_cache: KeyCache
    rate_limiter: RateLimiter
    usage: UsageRecorder
    event_hub: EventHub


def app_state(conn: HTTPConnection) -> AppState:
    state: AppState = conn.app.state.gateway
    return state


def _redis(conn: HTTPConnection) -> ArqRedis:
    return app_state(conn).redis


# The process's Redis (an arq pool), for routes that call engine hosts.
RedisDep = Annotated[ArqRedis, Depends(_redis)]
