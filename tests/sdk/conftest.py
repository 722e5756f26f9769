"""What the SDKs' suites share: each starts ``gateway up`` itself, on a database of its own
on this run's PostgreSQL (a first start on an empty database prints the API key it uses)
and this run's Redis, with none of this run's GATEWAY_* settings."""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from gateway.db import create_engine

#: The ``gateway`` command of this environment, which the suites start.
GATEWAY = Path(sys.executable).with_name("gateway")


async def _admin_sql(server_url: str, statement: str) -> None:
    engine = create_engine(server_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture
def sdk_database_url(database_url: str) -> Iterator[str]:
    """An empty database, dropped afterwards (with whatever connections are left)."""
    server = make_url(database_url).set(database="postgres")
    name = f"gateway_sdk_{secrets.token_hex(4)}"
    admin = server.render_as_string(hide_password=False)
    asyncio.run(_admin_sql(admin, f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin_sql(admin, f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture
def sdk_suite_env(sdk_database_url: str, redis_url: str) -> dict[str, str]:
    """The environment an SDK's suite runs in: its gateway gets only what it is given."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("GATEWAY_")}
    env.update(
        GATEWAY_SDK_TEST_DATABASE_URL=sdk_database_url,
        GATEWAY_SDK_TEST_REDIS_URL=redis_url,
        GATEWAY_BIN=str(GATEWAY),
    )
    return env
