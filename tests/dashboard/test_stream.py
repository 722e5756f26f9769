"""``/dashboard/stream``: the page's live socket takes the cookie, not a key, refuses other
sites, and carries only what the signed-in key may see."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import orjson
import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from gateway.config import Settings
from gateway.events.service import EVENTS_CHANNEL
from gateway.kit.channels import scoped
from tests.browser.conftest import serving_gateway
from tests.dashboard.conftest import signed_in
from tests.factories import TestAccount, create_account, create_api_key


async def _cookie(url: str, key: str) -> str:
    async with httpx.AsyncClient(base_url=url) as web:
        await signed_in(web, key)
        return f"gw_dashboard={web.cookies['gw_dashboard']}"


async def _closed_with(ws: ClientConnection) -> tuple[int, str]:
    """How the server closed the socket (messages before that are skipped)."""
    with pytest.raises(ConnectionClosed) as closed:
        await _drain(ws)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code, closed.value.rcvd.reason


async def _drain(ws: ClientConnection) -> None:
    while True:
        await asyncio.wait_for(ws.recv(), 5)


async def _next(ws: ClientConnection) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if message.get("object") != "heartbeat":
            return message


async def _publish(redis: Redis, account_id: str, type_: str, session_id: str) -> None:
    event = {
        "id": f"evt_{type_.replace('.', '')}{session_id[-6:]}",
        "object": "event",
        "type": type_,
        "livemode": False,
        "session": {"id": session_id, "name": "x", "metadata": {}},
        "data": {},
    }
    await redis.publish(
        scoped(redis, EVENTS_CHANNEL), orjson.dumps({"account_id": account_id, "event": event})
    )


@pytest.fixture
def fast(settings: Settings) -> Settings:
    return settings.model_copy(update={"stream_heartbeat_seconds": 0.3})


async def test_other_sites_and_visitors_without_a_cookie_are_refused(
    fast: Settings, account: TestAccount
) -> None:
    async with serving_gateway(fast) as url:
        cookie = await _cookie(url, account.key)
        ws_url = url.replace("http:", "ws:") + "/dashboard/stream"
        for headers in (
            {"Cookie": cookie, "Origin": "http://evil.example"},
            {"Cookie": cookie},  # a browser always sends an Origin: this is no page
            {"Origin": url},
            {"Origin": url, "Cookie": "gw_dashboard=forged"},
            # The API key itself does not open the dashboard's socket.
            {"Origin": url, "Authorization": f"Bearer {account.key}"},
        ):
            async with connect(ws_url, additional_headers=headers) as ws:
                code, _reason = await _closed_with(ws)
            assert code == 1008, headers


async def test_only_the_keys_own_events_of_the_live_types_arrive(
    fast: Settings,
    account: TestAccount,
    redis: Redis,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    other = await create_account(sessionmaker, name="Other Co")
    sessions_only = await create_api_key(sessionmaker, account.id, scopes={"sessions": "read"})
    async with serving_gateway(fast) as url:
        ws_url = url.replace("http:", "ws:") + "/dashboard/stream"
        full = {"Cookie": await _cookie(url, account.key), "Origin": url}
        narrow = {"Cookie": await _cookie(url, sessions_only.key), "Origin": url}
        async with (
            connect(ws_url, additional_headers=full) as everything,
            connect(ws_url, additional_headers=narrow) as statuses,
        ):
            assert await _next(everything) == {"object": "ready"}
            assert await _next(statuses) == {"object": "ready"}
            mine, theirs = "ses_01JA2B3C4D5E6F7G8H9J0KMNPQ", "ses_01JA2B3C4D5E6F7G8H9J0KMNPR"
            await _publish(redis, other.id, "session.status", theirs)
            await _publish(redis, account.id, "message.received", mine)  # not shown live
            await _publish(redis, account.id, "message.status", mine)
            await _publish(redis, account.id, "session.status", mine)
            assert [(await _next(everything))["type"] for _ in range(2)] == [
                "message.status",
                "session.status",
            ]
            # Without messages: read, no message statuses.
            event = await _next(statuses)
            assert (event["type"], event["session"]["id"]) == ("session.status", mine)


async def test_a_revoked_key_closes_the_open_socket(
    fast: Settings, account: TestAccount, client: httpx.AsyncClient
) -> None:
    async with serving_gateway(fast) as url:
        headers = {"Cookie": await _cookie(url, account.key), "Origin": url}
        async with connect(
            url.replace("http:", "ws:") + "/dashboard/stream", additional_headers=headers
        ) as ws:
            assert await _next(ws) == {"object": "ready"}
            async with httpx.AsyncClient(base_url=url, headers=account.headers) as api:
                assert (await api.post(f"/v1/api-keys/{account.key_id}/revoke")).status_code == 200
            assert await _closed_with(ws) == (1008, "Signed out.")
