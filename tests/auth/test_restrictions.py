"""A key's allowed_ips and expires_at, enforced on the API, the event stream and the
dashboard; the client's address from the peer, X-Forwarded-For only from a trusted proxy."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from gateway.app import create_app
from gateway.config import Settings
from gateway.runtime.embedded import free_port
from gateway.runtime.runner import api_config
from tests.conftest import make_settings, running
from tests.dashboard.conftest import sign_in
from tests.factories import TestAccount, create_account, create_api_key
from tests.waiting import eventually


@contextlib.asynccontextmanager
async def peer(app: FastAPI, host: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose connection comes from ``host`` (the app must be running)."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(host, 40_000))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
        yield client


async def restricted(
    client: httpx.AsyncClient, account: TestAccount, **restrictions: object
) -> dict[str, str]:
    created = await client.post("/v1/api-keys", headers=account.headers, json=restrictions)
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['secret']}", "X-Key-Id": created.json()["id"]}


async def test_only_allowed_addresses_get_in(
    client: httpx.AsyncClient, app: FastAPI, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    key = await restricted(client, account, allowed_ips=["203.0.113.0/24", "2001:db8::1"])
    for host in ("203.0.113.7", "203.0.113.250", "2001:db8::1"):
        async with peer(app, host) as there:
            assert (await there.get("/v1/account", headers=key)).status_code == 200, host

    async with peer(app, "198.51.100.1") as elsewhere:
        refused = await elsewhere.get("/v1/account", headers=key)
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["type"] == "permission_error"
    assert error["code"] == "ip_not_allowed"
    assert error["param"] is None
    assert "198.51.100.1" in error["message"]
    assert key["Authorization"].removeprefix("Bearer ") not in refused.text


async def test_a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(
    client: httpx.AsyncClient, app: FastAPI, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    key = await restricted(client, account, allowed_ips=["203.0.113.7"])
    async with peer(app, "198.51.100.1") as attacker:
        response = await attacker.get(
            "/v1/account", headers={**key, "X-Forwarded-For": "203.0.113.7"}
        )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "ip_not_allowed"
    assert "198.51.100.1" in response.json()["error"]["message"]


async def test_forwarded_for_is_believed_from_a_trusted_proxy(
    database_url: str,
    redis_url: str,
    data_dir: Path,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    settings = make_settings(database_url, redis_url, data_dir, trusted_proxies="10.0.0.0/8")
    account = await create_account(sessionmaker)
    app = create_app(settings)
    async with running(app) as client:
        key = await restricted(client, account, allowed_ips=["203.0.113.7"])
        async with peer(app, "10.1.2.3") as proxy:
            through = await proxy.get(
                "/v1/account", headers={**key, "X-Forwarded-For": "203.0.113.7"}
            )
            assert through.status_code == 200, through.text
            # What the client wrote before the proxy appended its peer proves nothing.
            spoofed = await proxy.get(
                "/v1/account", headers={**key, "X-Forwarded-For": "203.0.113.7, 198.51.100.1"}
            )
            assert spoofed.status_code == 403
            assert "198.51.100.1" in spoofed.json()["error"]["message"]
        # The same header from a peer that is not a trusted proxy.
        async with peer(app, "198.51.100.1") as attacker:
            direct = await attacker.get(
                "/v1/account", headers={**key, "X-Forwarded-For": "203.0.113.7"}
            )
        assert direct.status_code == 403


@contextlib.asynccontextmanager
async def served(settings: Settings) -> AsyncIterator[str]:
    """The app served the way ``gateway api`` serves it, on 127.0.0.1."""
    config = api_config(settings, create_app(settings))
    config.host, config.port = "127.0.0.1", free_port()
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.02)
    try:
        yield f"127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        await task


async def test_uvicorn_does_not_rewrite_the_client_from_a_local_peer(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], client: httpx.AsyncClient
) -> None:
    # uvicorn's own default trusts X-Forwarded-For from 127.0.0.1; served as the gateway
    # serves itself, with no trusted proxies, a local peer's header must change nothing.
    account = await create_account(sessionmaker)
    key = await restricted(client, account, allowed_ips=["203.0.113.7"])
    async with served(settings) as server, httpx.AsyncClient() as http:
        response = await http.get(
            f"http://{server}/v1/account", headers={**key, "X-Forwarded-For": "203.0.113.7"}
        )
    assert response.status_code == 403
    assert "127.0.0.1" in response.json()["error"]["message"]


async def test_an_expired_key_is_refused_even_while_cached(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    expires = datetime.now(UTC) + timedelta(seconds=1)
    key = await restricted(client, account, expires_at=expires.isoformat())
    assert (await client.get("/v1/account", headers=key)).status_code == 200  # now cached

    async def account_page() -> httpx.Response:
        return await client.get("/v1/account", headers=key)

    refused = await eventually(account_page, lambda r: r.status_code != 200)
    assert datetime.now(UTC) >= expires
    assert refused.status_code == 401
    error = refused.json()["error"]
    assert error["type"] == "authentication_error"
    assert error["code"] == "api_key_expired"
    assert error["message"].startswith("This API key has expired: gw_test_…")


async def test_a_key_expired_in_the_database_is_refused(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    old = await create_api_key(sessionmaker, account.id)
    async with sessionmaker() as db:
        await db.execute(
            text("UPDATE api_keys SET expires_at = now() - interval '1 day' WHERE id = :id"),
            {"id": old.key_id},
        )
        await db.commit()
    response = await client.get("/v1/account", headers=old.headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "api_key_expired"


async def test_patching_restrictions_takes_effect_at_once(
    client: httpx.AsyncClient, app: FastAPI, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    key = await restricted(client, account)
    path = f"/v1/api-keys/{key['X-Key-Id']}"
    async with peer(app, "198.51.100.1") as there:
        assert (await there.get("/v1/account", headers=key)).status_code == 200  # cached

        changed = await client.patch(
            path, headers=account.headers, json={"allowed_ips": ["203.0.113.0/24"]}
        )
        assert changed.status_code == 200
        assert (await there.get("/v1/account", headers=key)).status_code == 403

        await client.patch(path, headers=account.headers, json={"allowed_ips": None})
        assert (await there.get("/v1/account", headers=key)).status_code == 200

    async with sessionmaker() as db:
        await db.execute(
            text("UPDATE api_keys SET expires_at = now() + interval '1 day' WHERE id = :id"),
            {"id": key["X-Key-Id"]},
        )
        await db.commit()
    # The row is not what changed it here; the API is (and its invalidation).
    soon = (datetime.now(UTC) + timedelta(seconds=60)).isoformat()
    assert (await client.patch(path, headers=account.headers, json={"expires_at": soon})).json()[
        "expires_at"
    ]
    assert (await client.get("/v1/account", headers=key)).status_code == 200


async def test_a_restricted_key_cannot_hand_out_wider_keys(
    client: httpx.AsyncClient, app: FastAPI, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    key = await restricted(
        client,
        account,
        allowed_ips=["203.0.113.0/24"],
        expires_at=(datetime.now(UTC) + timedelta(days=1)).isoformat(),
    )
    later = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    sooner = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    async with peer(app, "203.0.113.7") as there:
        for body, param in (
            ({"expires_at": sooner}, "allowed_ips"),
            (
                {"allowed_ips": ["203.0.113.0/25", "0.0.0.0/0"], "expires_at": sooner},
                "allowed_ips[1]",
            ),
            ({"allowed_ips": ["203.0.113.8"]}, "expires_at"),
            ({"allowed_ips": ["203.0.113.8"], "expires_at": later}, "expires_at"),
        ):
            response = await there.post("/v1/api-keys", headers=key, json=body)
            assert response.status_code == 403, body
            assert response.json()["error"]["param"] == param, body
        narrower = await there.post(
            "/v1/api-keys",
            headers=key,
            json={"allowed_ips": ["203.0.113.8"], "expires_at": sooner},
        )
        assert narrower.status_code == 201, narrower.text


async def test_the_event_stream_refuses_a_key_from_elsewhere(
    settings: Settings, client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    elsewhere = await restricted(client, account, allowed_ips=["203.0.113.7"])
    here = await restricted(client, account, allowed_ips=["127.0.0.1"])
    async with served(settings) as server:
        url = f"ws://{server}/v1/events/stream"
        async with connect(url, additional_headers=elsewhere) as ws:
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1008
        assert "127.0.0.1" in closed.value.rcvd.reason
        async with connect(url, additional_headers=here) as ws:
            await ws.ping()  # open, not closed


async def test_the_dashboard_refuses_a_key_from_elsewhere_and_signs_it_out(
    client: httpx.AsyncClient, app: FastAPI, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    key = await restricted(client, account, allowed_ips=["203.0.113.7"])
    secret = key["Authorization"].removeprefix("Bearer ")
    async with peer(app, "198.51.100.1") as browser:
        refused = await sign_in(browser, secret)
    assert refused.status_code == 403
    assert "cannot be used from IP address 198.51.100.1" in refused.text

    async with peer(app, "203.0.113.7") as browser:
        assert (await sign_in(browser, secret)).status_code == 303
        assert (await browser.get("/dashboard/sessions")).status_code == 200
        await client.patch(
            f"/v1/api-keys/{key['X-Key-Id']}",
            headers=account.headers,
            json={"allowed_ips": ["192.0.2.1"]},
        )
        page = await browser.get("/dashboard/sessions")
    assert page.status_code in (302, 303)
    assert page.headers["location"].startswith("/dashboard/sign-in")
