"""Database engine and sessions.

One transaction per request and per job: the route wrapper (``kit/routing.py``) and the job
wrapper own it; services and repositories only ``flush()``.
"""

from __future__ import annotations

import asyncpg
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def normalise_database_url(url: str) -> str:
    """Accept ``postgres://`` and ``postgresql://`` URLs as well as the asyncpg form."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        normalise_database_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        # No pre-ping: with asyncpg it is a BEGIN/ROLLBACK round trip on every checkout,
        # doubling the database work of a simple request. A connection broken by a server
        # restart fails one request and the pool replaces it; recycling retires old ones.
        pool_pre_ping=False,
        pool_recycle=1800,
        # The gateway always stores aware UTC datetimes; pin the session so SQL `now()`
        # comparisons and text output agree whatever the server's default is.
        connect_args={"server_settings": {"timezone": "UTC", "application_name": "gateway"}},
    )


async def create_statement_pool(url: str, *, size: int = 10) -> asyncpg.Pool:
    """A plain asyncpg pool for the hot paths that are one statement each (accepting a
    send): no ORM session, no greenlet, statements prepared once per connection."""
    parsed = make_url(normalise_database_url(url))
    ssl = parsed.query.get("ssl")
    pool: asyncpg.Pool = await asyncpg.create_pool(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        database=parsed.database,
        ssl=ssl if isinstance(ssl, str) else None,
        min_size=1,
        max_size=size,
        server_settings={"timezone": "UTC", "application_name": "gateway"},
        # asyncpg's default reset is a round trip per release; these statements leave no
        # session state behind (no transaction, no SET, no LISTEN, no session lock).
        reset=_keep_as_is,
    )
    return pool


async def _keep_as_is(_connection: asyncpg.Connection) -> None:
    return None


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
