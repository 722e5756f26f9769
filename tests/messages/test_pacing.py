"""Pacing: a session's messages are spread out; other sessions are not slowed down."""

from __future__ import annotations

import asyncio
from datetime import datetime
from itertools import pairwise
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.models import Message
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.waiting import eventually

pytestmark = pytest.mark.usefixtures("engine_host")

BULK = 100
GAP_MS = 30


async def _sent_times(
    sessionmaker: async_sessionmaker[AsyncSession], session_id: str
) -> list[datetime]:
    async with sessionmaker() as db:
        rows = await db.scalars(
            select(Message.sent_at)
            .where(Message.session_id == session_id, Message.sent_at.is_not(None))
            .order_by(Message.sent_at)
        )
        return [t for t in rows if t is not None]


async def _working_session(
    client: httpx.AsyncClient, account: TestAccount, name: str, **config: Any
) -> str:
    sid = (await create_session(client, account, name=name, auto_link=True, **config))["id"]
    await session_in_status(client, account, sid, "WORKING")
    return str(sid)


async def test_a_bulk_send_is_spread_out_and_other_sessions_are_unaffected(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker, default_rate_limit="100000/second")
    paced = await _working_session(
        client, account, "bulk",
        pacing={"enabled": True, "min_gap_ms": GAP_MS, "jitter_ms": 10, "typing": False},
    )  # fmt: skip
    free = await _working_session(client, account, "other")

    async def send(session_id: str, n: int) -> None:
        response = await client.post(
            f"/v1/sessions/{session_id}/messages",
            headers=account.headers,
            json={"type": "text", "chat_id": "+12025550123", "text": f"n{n}"},
        )
        assert response.status_code == 202

    await asyncio.gather(*(send(paced, n) for n in range(BULK)))
    await asyncio.gather(*(send(free, n) for n in range(20)))

    free_times = await eventually(
        lambda: _sent_times(sessionmaker, free), lambda t: len(t) == 20, within=10
    )
    paced_so_far = await _sent_times(sessionmaker, paced)
    # The unpaced session is done while the bulk is still going out.
    assert len(paced_so_far) < BULK
    paced_times = await eventually(
        lambda: _sent_times(sessionmaker, paced), lambda t: len(t) == BULK, within=30
    )
    gaps = [(b - a).total_seconds() for a, b in pairwise(paced_times)]
    assert min(gaps) >= GAP_MS / 1000 * 0.95, min(gaps)
    assert (paced_times[-1] - paced_times[0]).total_seconds() >= (BULK - 1) * GAP_MS / 1000
    assert free_times[-1] < paced_times[-1]


async def test_typing_time_grows_with_the_text(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    sid = await _working_session(
        client, account, "typist",
        pacing={"enabled": True, "min_gap_ms": 0, "jitter_ms": 0, "typing": True,
                "typing_ms_per_char": 20},
    )  # fmt: skip
    text = "x" * 30  # 0.6 s of typing
    sent = await client.post(
        f"/v1/sessions/{sid}/messages",
        headers=account.headers,
        json={"type": "text", "chat_id": "+12025550123", "text": text},
    )
    message_id = sent.json()["id"]

    async def status_events() -> list[dict[str, Any]]:
        response = await client.get(
            "/v1/events", headers=account.headers, params={"type": "message.status", "limit": 20}
        )
        return [e for e in response.json()["data"] if e["data"]["message"]["id"] == message_id]

    events = await eventually(
        status_events,
        lambda es: {"sending", "sent"} <= {e["data"]["message"]["status"] for e in es},
    )
    at = {e["data"]["message"]["status"]: datetime.fromisoformat(e["created_at"]) for e in events}
    assert (at["sent"] - at["sending"]).total_seconds() >= 0.55
