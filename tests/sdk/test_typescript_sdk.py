"""The TypeScript SDK's own suite (``npm test`` in sdk/typescript), against a live gateway.

The suite starts ``gateway up`` itself; here it gets a database of its own on this run's
PostgreSQL (a first start on an empty database prints the API key it uses) and this run's
Redis. Its npm packages come from ``make sdk-typescript-deps`` (a prerequisite of ``make
test``).
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from gateway.db import create_engine

SDK = Path(__file__).resolve().parents[2] / "sdk" / "typescript"
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
    server = make_url(database_url).set(database="postgres")
    name = f"gateway_sdk_ts_{secrets.token_hex(4)}"
    admin = server.render_as_string(hide_password=False)
    asyncio.run(_admin_sql(admin, f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin_sql(admin, f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.mark.timeout(300)
def test_typescript_sdk_suite_passes_against_a_live_gateway(
    sdk_database_url: str, redis_url: str
) -> None:
    npm = shutil.which("npm")
    assert npm, "the TypeScript SDK's suite needs Node 20 and npm on the PATH"
    assert (SDK / "node_modules").is_dir(), "run `make sdk-typescript-deps` first"
    # The suite's gateway gets only the settings it is given, not this run's.
    env = {name: value for name, value in os.environ.items() if not name.startswith("GATEWAY_")}
    env.update(
        GATEWAY_SDK_TEST_DATABASE_URL=sdk_database_url,
        GATEWAY_SDK_TEST_REDIS_URL=redis_url,
        GATEWAY_BIN=str(GATEWAY),
    )
    result = subprocess.run(  # noqa: S603
        [npm, "test"], cwd=SDK, env=env, capture_output=True, text=True, timeout=280
    )
    report = f"{result.stdout[-12000:]}\n{result.stderr[-4000:]}"
    assert result.returncode == 0, report
    passed = re.search(r"^\S+ pass (\d+)$", result.stdout, re.MULTILINE)
    assert passed, report
    assert int(passed.group(1)) >= 10, report
    assert re.search(r"^\S+ fail 0$", result.stdout, re.MULTILINE), report
