"""The live stream over real WebSockets, across two API servers."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from gateway.app import create_app
from gateway.config import Settings
from gateway.events.service import EVENTS_CHANNEL
from gateway.kit.channels import scoped
from gateway.runtime.embedded import free_port
from tests.factories import create_account, create_api_key
from tests.waiting import eventually

pytestmark = pytest.mark.usefixtures("engine_host")


@contextlib.asynccontextmanager
async def api_server(settings: Settings) -> AsyncIterator[str]:
    """A real API process-alike: uvicorn on 127.0.0.1, its own lifespan and subscriptions."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=port, log_config=None, lifespan="on"
        )
    )
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.02)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def next_event(ws: ClientConnection, within: float = 5.0) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), within))
        if message.get("object") != "heartbeat":
            return message


async def test_clients_on_two_servers_get_the_events_they_asked_for(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    fast = settings.model_copy(update={"stream_heartbeat_seconds": 0.5})
    async with (
        api_server(fast) as one,
        api_server(fast) as two,
        httpx.AsyncClient(base_url=f"http://{one}", headers=account.headers) as http,
    ):
        watched = (await http.post("/v1/sessions", json={"name": "watched", "start": False})).json()
        other = (await http.post("/v1/sessions", json={"name": "other", "start": False})).json()
        query = f"session={watched['id']}&types=session.status"
        async with (
            connect(
                f"ws://{two}/v1/events/stream?{query}", additional_headers=account.headers
            ) as on_two,
            connect(
                f"ws://{one}/v1/events/stream?api_key={account.key}&types=session.qr"
            ) as on_one,
        ):
            # An idle stream beats.
            assert json.loads(await asyncio.wait_for(on_two.recv(), 3))["object"] == "heartbeat"
            # The engine host (worker side) publishes the statuses and the QR codes.
            await http.post(f"/v1/sessions/{other['id']}/start")
            await http.post(f"/v1/sessions/{watched['id']}/start")
            statuses = [await next_event(on_two) for _ in range(2)]
            assert [e["data"]["status"] for e in statuses] == ["STARTING", "SCAN_QR_CODE"]
            assert {e["session"]["id"] for e in statuses} == {watched["id"]}
            assert all(e["object"] == "event" and e["id"].startswith("evt_") for e in statuses)
            qr = await next_event(on_one)
            assert qr["type"] == "session.qr"
            # The same envelope as /v1/events.
            stored = (await http.get(f"/v1/events/{statuses[0]['id']}")).json()
            assert stored == statuses[0]


async def test_bad_keys_and_filters_close_with_1008(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    no_events = await create_api_key(sessionmaker, account.id, scopes={"sessions": "read"})
    async with api_server(settings) as server:
        for url, headers in (
            (f"ws://{server}/v1/events/stream?api_key=gw_test_nope", {}),
            (f"ws://{server}/v1/events/stream", {}),
            (f"ws://{server}/v1/events/stream", no_events.headers),
            (f"ws://{server}/v1/events/stream?types=session.nope", account.headers),
        ):
            async with connect(url, additional_headers=headers) as ws:
                with pytest.raises(ConnectionClosed) as closed:
                    await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 1008, (url, closed.value.rcvd)


async def test_a_test_key_does_not_see_another_accounts_events(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mine = await create_account(sessionmaker, name="mine")
    theirs = await create_account(sessionmaker, name="theirs")
    quick = settings.model_copy(update={"stream_heartbeat_seconds": 0.3})
    async with api_server(quick) as server:
        headers = mine.headers
        async with (
            connect(f"ws://{server}/v1/events/stream", additional_headers=headers) as ws,
            httpx.AsyncClient(base_url=f"http://{server}", headers=theirs.headers) as http,
        ):
            await http.post("/v1/sessions", json={"name": "theirs"})
            deadline = asyncio.get_running_loop().time() + 2
            while asyncio.get_running_loop().time() < deadline:
                message = json.loads(await asyncio.wait_for(ws.recv(), 3))
                assert message["object"] == "heartbeat", message


async def test_a_process_subscribes_only_while_it_has_stream_clients(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], redis: Redis
) -> None:
    account = await create_account(sessionmaker)

    async def subscribers() -> int:
        counts = await redis.pubsub_numsub(scoped(redis, EVENTS_CHANNEL))
        return int(counts[0][1])

    # A fast heartbeat: a stream notices its client left at its next beat.
    fast = settings.model_copy(update={"stream_heartbeat_seconds": 0.2})
    async with api_server(fast) as server:
        assert await subscribers() == 0  # every event crosses the channel: not read in vain
        async with connect(
            f"ws://{server}/v1/events/stream", additional_headers=account.headers
        ) as stream:
            # Subscribed once the client is registered, before it is sent anything.
            assert await eventually(subscribers, lambda n: n == 1, within=5) == 1
            await stream.close()
        assert await eventually(subscribers, lambda n: n == 0, within=5) == 0
