"""Idle sessions cost nothing: a WORKING sandbox session makes no database query while
nothing happens, yet what arrives for it is handled at once (wake-ups, not polling); and
what a lost wake-up would have said, the host's slow sweep finds."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.engines import host as host_module
from gateway.engines.host import EngineHost
from gateway.sandbox import repository as sandbox_repository
from tests.conftest import running_host
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.waiting import eventually

FAST_ACKS = {"ack_delivered_ms": 50, "ack_read_ms": 50}
# The host's own pass (one renewal, one claim and one read for all its sessions, however
# many it runs) is kept out of the window by a long interval: what is counted is what a
# running session costs.
QUIET_HOST = {"host_reconcile_seconds": 120.0, "host_lease_seconds": 600.0}
WINDOW_SECONDS = 3.0


@contextmanager
def counting_statements(host: EngineHost) -> Iterator[list[str]]:
    """Every statement the host's database engines send while the block runs: the one
    its engines, outboxes and reports share, and the one of its own passes."""
    engines: list[AsyncEngine] = [host.resources.sessionmaker.kw["bind"], host._pass_engine]
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    for engine in engines:
        event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine.sync_engine, "before_cursor_execute", record)


async def settled(statements: list[str]) -> None:
    """Wait until the session has done what starting it involves (no statement for a
    moment), then forget those statements."""

    async def quiet_for_a_moment() -> bool:
        before = len(statements)
        await asyncio.sleep(0.6)
        return len(statements) == before

    await eventually(quiet_for_a_moment, bool, within=10, every=0)
    statements.clear()


async def received(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> list[dict[str, Any]]:
    response = await client.get(
        "/v1/events",
        headers=account.headers,
        params={"type": "message.received", "session_id": session_id},
    )
    return list(response.json()["data"])


async def message_status(client: httpx.AsyncClient, account: TestAccount, message_id: str) -> str:
    response = await client.get(f"/v1/messages/{message_id}", headers=account.headers)
    return str(response.json()["status"])


async def test_an_idle_working_session_makes_no_query_yet_answers_at_once(
    client: httpx.AsyncClient, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    async with running_host(settings, **QUIET_HOST) as host:
        sid = (await create_session(client, account, auto_link=True, sandbox=FAST_ACKS))["id"]
        await session_in_status(client, account, sid, "WORKING")
        with counting_statements(host) as statements:
            await settled(statements)
            await asyncio.sleep(WINDOW_SECONDS)  # the window observed: nothing happens
            assert statements == []

            # Yet a message sent to it is received at once (the control API's wake-up: the
            # host's sweep would take 30 s, its pass 120 s)...
            injected = await client.post(
                f"/v1/sandbox/sessions/{sid}/inbound",
                headers=account.headers,
                json={"from": "+12025550111", "text": "still there?"},
            )
            assert injected.status_code == 202, injected.text
            await eventually(lambda: received(client, account, sid), lambda r: len(r) == 1)
            # ...and a message it sends goes out and is read as promptly (the delivery
            # job, then the acks' in-memory timers).
            sent = await client.post(
                f"/v1/sessions/{sid}/messages",
                headers=account.headers,
                json={"type": "text", "chat_id": "+12025550123", "text": "yes"},
            )
            await eventually(
                lambda: message_status(client, account, sent.json()["id"]),
                lambda status: status == "read",
            )

            # Idle again, silent again.
            await settled(statements)
            await asyncio.sleep(WINDOW_SECONDS)
            assert statements == []


async def test_a_lost_wake_up_is_caught_by_the_hosts_sweep(
    client: httpx.AsyncClient,
    host_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(host_module, "SWEEP_SECONDS", 0.5)
    account = await create_account(sessionmaker)
    async with running_host(host_settings):
        sid = (await create_session(client, account, auto_link=True))["id"]
        await session_in_status(client, account, sid, "WORKING")
        # A message reaches the network without the control API, so no wake-up is sent:
        # as if the nudge had been lost.
        async with sessionmaker() as db:
            await sandbox_repository.add_inbound(
                db, sid, {"from": "+12025550112", "type": "text", "text": "knock knock"}
            )
            await db.commit()
        [message] = await eventually(
            lambda: received(client, account, sid), lambda r: len(r) == 1, within=5
        )
        assert message["data"]["message"]["text"] == "knock knock"
