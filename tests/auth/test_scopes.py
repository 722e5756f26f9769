from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.auth.scopes import RESOURCES
from tests.factories import create_account, create_api_key


async def test_key_without_scope_gets_403(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    limited = await create_api_key(sessionmaker, account.id, scopes={"api_keys": "read"})

    response = await client.get("/v1/account", headers=limited.headers)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["type"] == "permission_error"
    assert error["code"] == "insufficient_scope"
    assert "account: read" in error["message"]

    # read admits listing, not creating
    assert (await client.get("/v1/api-keys", headers=limited.headers)).status_code == 200
    created = await client.post("/v1/api-keys", headers=limited.headers, json={})
    assert created.status_code == 403
    assert "api_keys: write" in created.json()["error"]["message"]


async def test_created_key_reports_its_scopes(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    response = await client.post(
        "/v1/api-keys",
        headers=account.headers,
        json={"name": "reader", "scopes": {"account": "read", "sessions": "write"}},
    )
    assert response.status_code == 201, response.text
    scopes = response.json()["scopes"]
    assert set(scopes) == set(RESOURCES)
    assert scopes["account"] == "read"
    assert scopes["sessions"] == "write"
    assert scopes["api_keys"] == "none"

    reader = {"Authorization": f"Bearer {response.json()['secret']}"}
    assert (await client.get("/v1/account", headers=reader)).status_code == 200
    assert (await client.get("/v1/api-keys", headers=reader)).status_code == 403


async def test_omitted_scopes_mean_full_access(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    response = await client.post("/v1/api-keys", headers=account.headers, json={})
    assert response.status_code == 201
    assert set(response.json()["scopes"].values()) == {"write"}


async def test_key_cannot_grant_more_than_it_has(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    manager = await create_api_key(
        sessionmaker, account.id, scopes={"api_keys": "write", "account": "read"}
    )
    escalate = await client.post(
        "/v1/api-keys", headers=manager.headers, json={"scopes": {"account": "write"}}
    )
    assert escalate.status_code == 403
    assert escalate.json()["error"]["param"] == "scopes.account"
    # Omitting scopes asks for full access, which it does not have either.
    assert (await client.post("/v1/api-keys", headers=manager.headers, json={})).status_code == 403
    within = await client.post(
        "/v1/api-keys", headers=manager.headers, json={"scopes": {"account": "read"}}
    )
    assert within.status_code == 201

    patched = await client.patch(
        f"/v1/api-keys/{within.json()['id']}",
        headers=manager.headers,
        json={"scopes": {"sessions": "write"}},
    )
    assert patched.status_code == 403
    assert patched.json()["error"]["param"] == "scopes.sessions"


async def test_test_key_cannot_create_live_key(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker, mode=KeyMode.test)
    response = await client.post("/v1/api-keys", headers=account.headers, json={"mode": "live"})
    assert response.status_code == 403
    assert response.json()["error"]["param"] == "mode"
    default = await client.post("/v1/api-keys", headers=account.headers, json={})
    assert default.json()["mode"] == "test"
    assert default.json()["secret"].startswith("gw_test_")

    live = await create_account(sessionmaker, mode=KeyMode.live)
    made = await client.post("/v1/api-keys", headers=live.headers, json={"mode": "test"})
    assert made.status_code == 201
    assert made.json()["secret"].startswith("gw_test_")


async def test_unknown_scope_and_level_are_422_with_param(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    unknown = await client.post(
        "/v1/api-keys", headers=account.headers, json={"scopes": {"billing_x": "read"}}
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["param"] == "scopes.billing_x"
    assert unknown.json()["error"]["code"] == "parameter_unknown"

    level = await client.post(
        "/v1/api-keys", headers=account.headers, json={"scopes": {"sessions": "admin"}}
    )
    assert level.status_code == 422
    assert level.json()["error"]["param"] == "scopes.sessions"


async def test_session_restricted_key_mints_only_restricted_keys(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    session_id = "ses_01JA2B3C4D5E6F7G8H9J0KMNPQ"
    restricted = await create_api_key(sessionmaker, account.id, session_id=session_id)
    escape = await client.post("/v1/api-keys", headers=restricted.headers, json={})
    assert escape.status_code == 403
    assert escape.json()["error"]["param"] == "session_id"
    same = await client.post(
        "/v1/api-keys", headers=restricted.headers, json={"session_id": session_id}
    )
    assert same.status_code == 201
    assert same.json()["session_id"] == session_id

    bad = await client.post("/v1/api-keys", headers=account.headers, json={"session_id": "nope"})
    assert bad.status_code == 422
    assert bad.json()["error"]["param"] == "session_id"
