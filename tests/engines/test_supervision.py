"""Engines that crash are restarted with backoff, and FAIL after repeated crashes."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.config import Settings
from gateway.engines import host as host_module
from gateway.engines import registry
from gateway.engines.base import Capability, Engine, SessionStatus
from tests.conftest import running_host
from tests.factories import create_account, session_in_status


class CrashingEngine(Engine):
    """Stands in for a WhatsApp library that dies on connect (a crash, not a refusal)."""

    name: ClassVar[str] = "crashing"
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    starts: ClassVar[int] = 0
    crash_first: ClassVar[int] = 2

    async def run(self) -> None:
        type(self).starts += 1
        if type(self).starts <= type(self).crash_first:
            raise RuntimeError("connection reset by the engine")
        await self.events.status(SessionStatus.WORKING)
        await asyncio.Event().wait()  # connected until stopped

    async def logout(self) -> None:
        return None


@pytest.fixture
def crashing_engine(monkeypatch: pytest.MonkeyPatch) -> type[CrashingEngine]:
    monkeypatch.setitem(registry.ENGINES, CrashingEngine.name, CrashingEngine)
    monkeypatch.setattr(host_module, "MAX_BACKOFF_SECONDS", 0.2)
    CrashingEngine.starts = 0
    return CrashingEngine


async def test_a_crashing_engine_is_restarted_then_recovers(
    client: httpx.AsyncClient,
    host_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    crashing_engine: type[CrashingEngine],
) -> None:
    crashing_engine.crash_first = 2
    account = await create_account(sessionmaker, mode=KeyMode.live)
    created = await client.post(
        "/v1/sessions", headers=account.headers, json={"name": "flaky", "engine": "crashing"}
    )
    assert created.status_code == 201, created.text
    async with running_host(host_settings):
        working = await session_in_status(client, account, created.json()["id"], "WORKING")
    assert crashing_engine.starts == 3
    assert [(h["status"], h["reason"]) for h in working["status_history"]] == [
        ("STARTING", None),
        ("STARTING", "engine_crashed: RuntimeError"),
        ("WORKING", None),
    ]


async def test_an_engine_crashing_again_and_again_fails_the_session(
    client: httpx.AsyncClient,
    host_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    crashing_engine: type[CrashingEngine],
) -> None:
    crashing_engine.crash_first = 1000
    account = await create_account(sessionmaker, mode=KeyMode.live)
    created = await client.post(
        "/v1/sessions", headers=account.headers, json={"name": "broken", "engine": "crashing"}
    )
    sid = created.json()["id"]
    async with running_host(host_settings):
        failed = await session_in_status(client, account, sid, "FAILED", within=10)
        starts = crashing_engine.starts
        assert failed["status_reason"] == "engine_crashed: RuntimeError"
        assert starts == host_module.MAX_CONSECUTIVE_CRASHES
        # Failed for good: no more attempts until someone restarts it.
        await session_in_status(client, account, sid, "FAILED")
        assert crashing_engine.starts == starts
        await client.post(f"/v1/sessions/{sid}/restart", headers=account.headers)
        await session_in_status(client, account, sid, "STARTING")
