"""Revocation reaches every API process within a second, although keys are cached."""

from __future__ import annotations

import asyncio
import time

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.config import Settings
from tests.conftest import running
from tests.factories import create_account


async def _wait_for_status(
    client: httpx.AsyncClient, headers: dict[str, str], status: int, within: float
) -> float:
    started = time.monotonic()
    while True:
        response = await client.get("/v1/account", headers=headers)
        elapsed = time.monotonic() - started
        if response.status_code == status:
            return elapsed
        assert elapsed < within, f"still {response.status_code} after {elapsed:.2f}s"
        await asyncio.sleep(0.02)


async def test_revocation_reaches_a_second_instance_within_a_second(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    async with running(create_app(settings)) as first, running(create_app(settings)) as second:
        created = await first.post("/v1/api-keys", headers=account.headers, json={})
        victim = {"Authorization": f"Bearer {created.json()['secret']}"}
        # Both instances have the key cached now.
        assert (await first.get("/v1/account", headers=victim)).status_code == 200
        assert (await second.get("/v1/account", headers=victim)).status_code == 200

        revoked = await first.post(
            f"/v1/api-keys/{created.json()['id']}/revoke", headers=account.headers
        )
        assert revoked.status_code == 200
        assert await _wait_for_status(second, victim, 401, within=1.0) < 1.0


async def test_rate_limit_change_reaches_a_second_instance(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    async with running(create_app(settings)) as first, running(create_app(settings)) as second:
        await second.get("/v1/account", headers=account.headers)  # cached with the default
        await first.patch(
            f"/v1/api-keys/{account.key_id}",
            headers=account.headers,
            json={"rate_limit": "7/minute"},
        )
        deadline = time.monotonic() + 1.0
        while True:
            response = await second.get("/v1/account", headers=account.headers)
            if response.headers.get("x-ratelimit-limit") == "7":
                break
            assert time.monotonic() < deadline, response.headers
            await asyncio.sleep(0.02)
