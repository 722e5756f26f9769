from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode, generate_key
from gateway.kit.state import AppState
from tests.factories import create_account


def assert_auth_error(response: httpx.Response, code: str) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    error = response.json()["error"]
    assert error["type"] == "authentication_error"
    assert error["code"] == code
    assert error["request_id"] == response.headers["request-id"]


async def test_bearer_and_x_api_key_both_authenticate(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker, name="Acme")
    for headers in ({"Authorization": f"Bearer {account.key}"}, {"X-Api-Key": account.key}):
        response = await client.get("/v1/account", headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["id"] == account.id
        assert response.json()["object"] == "account"


async def test_missing_key(client: httpx.AsyncClient) -> None:
    assert_auth_error(await client.get("/v1/account"), "missing_api_key")
    assert_auth_error(
        await client.get("/v1/account", headers={"Authorization": "Bearer "}),
        "invalid_authorization_header",
    )


@pytest.mark.parametrize(
    "header",
    [
        "Basic dXNlcjpwYXNz",
        "Token gw_test_abc",
    ],
)
async def test_wrong_authorization_scheme(client: httpx.AsyncClient, header: str) -> None:
    response = await client.get("/v1/account", headers={"Authorization": header})
    assert_auth_error(response, "invalid_authorization_header")


async def test_malformed_keys_are_refused_without_lookup(client: httpx.AsyncClient) -> None:
    key = generate_key(KeyMode.test)
    # One character changed: the checksum catches it.
    tampered = key[:-8] + ("A" if key[-8] != "A" else "B") + key[-7:]
    for bad in ("gw_test_short", "sk_test_" + key[8:], tampered, key + "x", "gw_prod_" + key[8:]):
        assert_auth_error(
            await client.get("/v1/account", headers={"X-Api-Key": bad}), "malformed_api_key"
        )


async def test_unknown_key(client: httpx.AsyncClient) -> None:
    key = generate_key(KeyMode.live)
    response = await client.get("/v1/account", headers={"Authorization": f"Bearer {key}"})
    assert_auth_error(response, "invalid_api_key")
    # The key is never echoed back in full.
    assert key not in response.text
    assert key[-4:] in response.json()["error"]["message"]


async def test_revoked_key_is_refused(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    created = await client.post("/v1/api-keys", headers=account.headers, json={"name": "ci"})
    assert created.status_code == 201, created.text
    other = {"Authorization": f"Bearer {created.json()['secret']}"}
    assert (await client.get("/v1/account", headers=other)).status_code == 200

    revoked = await client.post(
        f"/v1/api-keys/{created.json()['id']}/revoke", headers=account.headers
    )
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert_auth_error(await client.get("/v1/account", headers=other), "api_key_revoked")
    # Revoking again is harmless and changes nothing.
    again = await client.post(
        f"/v1/api-keys/{created.json()['id']}/revoke", headers=account.headers
    )
    assert again.json()["revoked_at"] == revoked.json()["revoked_at"]


async def test_cached_key_needs_no_database_query(
    app: FastAPI, client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    assert (await client.get("/v1/account", headers=account.headers)).status_code == 200

    statements: list[str] = []
    state: AppState = app.state.gateway

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(state.engine.sync_engine, "before_cursor_execute", record)
    try:
        assert (await client.get("/v1/account", headers=account.headers)).status_code == 200
    finally:
        event.remove(state.engine.sync_engine, "before_cursor_execute", record)
    # The key and its account both came from the cache.
    assert statements == []
