"""A worker process dies (kill -9) holding a WORKING session: another takes it over."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.models import SessionLease
from tests.factories import create_account, create_session, session_in_status
from tests.waiting import eventually

GATEWAY = str(Path(sys.executable).with_name("gateway"))
LEASE_SECONDS = 2.0


def start_worker(settings: Settings, **extra_env: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env.update(
        GATEWAY_DATABASE_URL=str(settings.database_url),
        GATEWAY_REDIS_URL=str(settings.redis_url),
        GATEWAY_SECRET_KEY=str(settings.secret_key),
        GATEWAY_HOST_LEASE_SECONDS=str(LEASE_SECONDS),
        GATEWAY_HOST_RECONCILE_SECONDS="0.2",
        GATEWAY_LOG_LEVEL="WARNING",
        **extra_env,
    )
    return subprocess.Popen(  # noqa: S603
        [GATEWAY, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.timeout(120)
async def test_a_killed_workers_session_is_taken_over_within_the_lease(
    client: httpx.AsyncClient, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    sid = (await create_session(client, account, auto_link=True))["id"]

    async def holder() -> str | None:
        async with sessionmaker() as db:
            return await db.scalar(
                select(SessionLease.host_id).where(SessionLease.session_id == sid)
            )

    first = start_worker(settings)
    second: subprocess.Popen[bytes] | None = None
    try:
        await session_in_status(client, account, sid, "WORKING", within=30)
        first_host = await holder()
        assert first_host is not None
        assert f"-{first.pid}-" in first_host  # host ids carry the process id

        second = start_worker(settings)
        await asyncio.sleep(3)  # up and reconciling, but the session is taken
        assert await holder() == first_host

        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = time.monotonic()
        await eventually(holder, lambda h: h is not None and f"-{second.pid}-" in h, within=15)
        taken_over_in = time.monotonic() - killed_at

        async def session() -> dict[str, Any]:
            response = await client.get(f"/v1/sessions/{sid}", headers=account.headers)
            body: dict[str, Any] = response.json()
            return body

        back = await eventually(
            session,
            lambda s: (
                s["status"] == "WORKING"
                and [h["status"] for h in s["status_history"]].count("STARTING") == 2
            ),
            within=10,
        )
        # Within the lease expiry, plus a pass of the new host.
        assert taken_over_in < LEASE_SECONDS + 1.5, taken_over_in
        assert [h["status"] for h in back["status_history"]][-2:] == ["STARTING", "WORKING"]
    finally:
        stop(first)
        if second is not None:
            stop(second)
