"""Test fixtures: real PostgreSQL and Redis in every run.

``GATEWAY_TEST_DATABASE_URL`` / ``GATEWAY_TEST_REDIS_URL`` point at running servers (CI);
otherwise embedded servers are started under a temporary directory. The run creates its
own database on the server (built by ``alembic upgrade head``) and drops it at the end;
the Redis database it is given is flushed before every test.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis, RedisSettings, create_pool
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.billing.plans import BUILT_IN_DEFAULT
from gateway.billing.plans_repository import insert_default_unless_any
from gateway.config import Settings
from gateway.db import create_engine, create_sessionmaker, normalise_database_url
from gateway.engines.host import EngineHost
from gateway.kit.ids import new_id
from gateway.kit.logging import configure_logging
from gateway.kit.queue import QUEUE_NAME
from gateway.models import Base
from gateway.runtime.embedded import EmbeddedPostgres, EmbeddedRedis
from gateway.runtime.migrate import upgrade
from gateway.worker import create_host_runtime

configure_logging("WARNING", "json")

ADMIN_TOKEN = "test-admin-token-0123456789"
SECRET_KEY = "test-secret-key-" + "x" * 32


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gateway")


@pytest.fixture(scope="session")
def redis_url(data_dir: Path) -> Iterator[str]:
    url = os.environ.get("GATEWAY_TEST_REDIS_URL")
    if url:
        yield url
        return
    server = EmbeddedRedis(data_dir)
    yield server.start()
    server.stop()


@pytest.fixture(scope="session")
def database_url(data_dir: Path) -> Iterator[str]:
    server_url = os.environ.get("GATEWAY_TEST_DATABASE_URL")
    embedded = None
    if not server_url:
        embedded = EmbeddedPostgres(data_dir)
        server_url = embedded.start()
    server = make_url(normalise_database_url(server_url))
    name = f"gateway_test_{secrets.token_hex(4)}"
    asyncio.run(_admin_sql(server.render_as_string(False), f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        asyncio.run(
            _admin_sql(server.render_as_string(False), f'DROP DATABASE "{name}" WITH (FORCE)')
        )
        if embedded is not None:
            embedded.stop()


async def _admin_sql(url: str, statement: str) -> None:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str, redis_url: str, data_dir: Path) -> Settings:
    return make_settings(database_url, redis_url, data_dir)


def make_settings(database_url: str, redis_url: str, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "redis_url": redis_url,
        "data_dir": data_dir,
        "secret_key": SECRET_KEY,
        "admin_token": ADMIN_TOKEN,
        "default_rate_limit": "1000/second",
        "log_level": "WARNING",
        **overrides,
    }
    return Settings(_env_file=None, **values)


@pytest.fixture(scope="session")
async def sessionmaker(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url, pool_size=2)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
async def db(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as session:
        yield session


@pytest.fixture(scope="session")
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture(autouse=True)
async def clean_state(sessionmaker: async_sessionmaker[AsyncSession], redis: Redis) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with sessionmaker() as session:
        await session.execute(text(f"TRUNCATE {tables} CASCADE"))
        # The default plan without its rate limit: keys fall back to the settings' (1000/s)
        # rather than Free's 10/s, so tests that burst are not throttled by the plan. Plan
        # rate limits are tested with plans of their own.
        await insert_default_unless_any(
            session, {**BUILT_IN_DEFAULT, "id": new_id("plan"), "rate_limit": None}
        )
        await session.commit()
    await redis.flushdb()


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan started, and a client speaking to it over ASGI."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
            yield client


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture(scope="session")
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running(app) as client:
        yield client


@pytest.fixture(scope="session")
async def arq_redis(redis_url: str) -> AsyncIterator[ArqRedis]:
    pool = await create_pool(RedisSettings.from_dsn(redis_url), default_queue_name=QUEUE_NAME)
    yield pool
    await pool.aclose(close_connection_pool=True)


# Engine hosts in tests: fast passes and short leases, so takeovers happen in seconds.
HOST_TIMINGS = {"host_reconcile_seconds": 0.1, "host_lease_seconds": 5.0}


@pytest.fixture
def host_settings(settings: Settings) -> Settings:
    return settings.model_copy(update=HOST_TIMINGS)


@asynccontextmanager
async def running_host(settings: Settings, **overrides: Any) -> AsyncIterator[EngineHost]:
    """An engine host with the worker of its own queue, as a worker process runs them."""
    runtime = await create_host_runtime(settings.model_copy(update=overrides))
    host = asyncio.create_task(runtime.host.run())
    worker = asyncio.create_task(runtime.worker.async_run())
    try:
        yield runtime.host
    finally:
        # close() cancels the worker's loop itself, as the all-in-one runner relies on.
        # Cancelling its task again would interrupt a Redis pipeline's cleanup mid-way
        # and leave the pipeline holding a connection (a ResourceWarning at collection).
        with contextlib.suppress(asyncio.CancelledError):
            await runtime.worker.close()
        host.cancel()
        await asyncio.gather(host, worker, return_exceptions=True)
        await runtime.close()


@pytest.fixture
async def engine_host(host_settings: Settings) -> AsyncIterator[EngineHost]:
    async with running_host(host_settings) as host:
        yield host
