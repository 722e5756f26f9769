"""The signed-in key's scopes apply to every page and form."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.dashboard.conftest import form_token, signed_in
from tests.factories import TestAccount, create_api_key


async def test_a_read_only_key_cannot_create_sessions(
    web: httpx.AsyncClient,
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    reader = await create_api_key(sessionmaker, account.id, scopes={"sessions": "read"})
    await signed_in(web, reader.key)
    page = await web.get("/dashboard/sessions")
    assert page.status_code == 200
    assert "Create a session" not in page.text
    assert "lacks the <code>sessions: write</code> scope" in page.text

    token = await form_token(web)
    response = await web.post(
        "/dashboard/sessions",
        data={"csrf_token": token, "name": "nope", "engine": "sandbox", "config": "{}"},
    )
    assert response.status_code == 403
    assert "does not have the &#39;sessions: write&#39; scope" in response.text
    listed = await client.get("/v1/sessions", headers=account.headers)
    assert listed.json()["data"] == []


async def test_a_key_without_a_scope_cannot_open_its_page(
    web: httpx.AsyncClient, account: TestAccount, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    messages_only = await create_api_key(sessionmaker, account.id, scopes={"messages": "write"})
    await signed_in(web, messages_only.key)
    for path in ("/dashboard/sessions", "/dashboard/api-keys"):
        response = await web.get(path)
        assert response.status_code == 403, path
        assert "does not have the" in response.text


async def test_a_key_cannot_grant_more_than_it_has(
    web: httpx.AsyncClient,
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    limited = await create_api_key(
        sessionmaker, account.id, scopes={"api_keys": "write", "sessions": "read"}
    )
    await signed_in(web, limited.key)
    token = await form_token(web, "/dashboard/api-keys")
    response = await web.post(
        "/dashboard/api-keys",
        data={"csrf_token": token, "name": "wider", "mode": "test", "scope_sessions": "write"},
    )
    assert response.status_code == 403
    assert "cannot grant more access" in response.text
    keys = await client.get("/v1/api-keys", headers=account.headers)
    assert "wider" not in [k["name"] for k in keys.json()["data"]]

    # Within its own scopes it can, and the secret is shown once, on that page only.
    response = await web.post(
        "/dashboard/api-keys",
        data={"csrf_token": token, "name": "narrow", "mode": "test", "scope_sessions": "read"},
    )
    assert response.status_code == 201
    assert "shown only this once" in response.text
    assert response.headers["cache-control"] == "no-store"
    keys = await client.get("/v1/api-keys", headers=account.headers)
    narrow = next(k for k in keys.json()["data"] if k["name"] == "narrow")
    assert narrow["scopes"]["sessions"] == "read"
    assert narrow["scopes"]["api_keys"] == "none"
    listing = await web.get("/dashboard/api-keys")
    assert narrow["redacted"] in listing.text
    assert "shown only this once" not in listing.text


async def test_a_test_key_cannot_make_live_keys(
    web: httpx.AsyncClient, client: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    token = await form_token(web, "/dashboard/api-keys")
    response = await web.post(
        "/dashboard/api-keys", data={"csrf_token": token, "name": "live one", "mode": "live"}
    )
    assert response.status_code == 403
    assert "test-mode key cannot create live-mode keys" in response.text
