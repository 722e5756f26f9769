"""The pages as a browser receives them: a nonce policy, no other host named, assets
served by the gateway, and refusals shown in words, never a 500 or the JSON envelope."""

from __future__ import annotations

import re

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.dashboard.conftest import form_token, signed_in
from tests.factories import TestAccount, create_account


async def test_pages_name_no_other_host_and_send_a_nonce_policy(
    web: httpx.AsyncClient, account: TestAccount
) -> None:
    sign_in_page = await web.get("/dashboard/sign-in")
    await signed_in(web, account.key)
    for response in (
        sign_in_page,
        await web.get("/dashboard/sessions"),
        await web.get("/dashboard/api-keys"),
        await web.get("/dashboard/nowhere"),
    ):
        assert response.headers["content-type"].startswith("text/html")
        assert re.findall(r"(?:https?:|wss?:)?//", response.text) == []
        policy = response.headers["content-security-policy"]
        nonce = re.search(r"'nonce-([\w-]+)'", policy)
        assert nonce is not None
        assert f'nonce="{nonce[1]}"' in response.text
        assert "default-src 'none'" in policy
        assert "unsafe" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response.headers["cache-control"] == "no-store"
        # No inline script or style for the policy to allow.
        assert "<style" not in response.text
        assert " style=" not in response.text
        assert re.findall(r"<script(?![^>]*\ssrc=)", response.text) == []


async def test_assets_are_served_and_revalidated(web: httpx.AsyncClient) -> None:
    for name, media_type in (
        ("dashboard.css", "text/css; charset=utf-8"),
        ("dashboard.js", "text/javascript; charset=utf-8"),
    ):
        response = await web.get(f"/dashboard/static/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"] == media_type
        assert re.findall(r"https?://", response.text) == []
        cached = await web.get(
            f"/dashboard/static/{name}", headers={"If-None-Match": response.headers["etag"]}
        )
        assert cached.status_code == 304
    for name in ("../pages.py", "routes.py", "x.js"):
        assert (await web.get(f"/dashboard/static/{name}")).status_code == 404


async def test_an_unknown_page_is_a_404_page(web: httpx.AsyncClient, account: TestAccount) -> None:
    await signed_in(web, account.key)
    response = await web.get("/dashboard/sessions/ses_nothing/here/at/all")
    assert response.status_code == 404
    assert "Not found" in response.text


async def test_bad_create_forms_are_explained_and_keep_what_was_typed(
    web: httpx.AsyncClient, client: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    token = await form_token(web)
    for name, config, status, words in (
        ("ok", '{"sandbox": ', 422, "The config is not valid JSON"),
        ("ok", "[1, 2]", 422, "must be a JSON object"),
        ("ok", '{"sandbox": {"qr_ttl_seconds": 0}}', 422, "Invalid config.sandbox.qr_ttl"),
        ("ok", '{"colour": "blue"}', 422, "Unknown field: config.colour"),
        ("bad name!", "{}", 422, "Invalid name"),
        ("", "{}", 422, "Invalid name"),
    ):
        response = await web.post(
            "/dashboard/sessions",
            data={"csrf_token": token, "name": name, "engine": "sandbox", "config": config},
        )
        assert response.status_code == status, (config, response.text[:500])
        assert words in response.text, (config, response.text)
        assert config.strip().replace('"', "&#34;") in response.text  # kept in the form
    response = await web.post(
        "/dashboard/sessions",
        data={"csrf_token": token, "name": "ok", "engine": "telegram", "config": "{}"},
    )
    assert response.status_code == 422
    assert "Unknown engine" in response.text
    response = await web.post(
        "/dashboard/sessions",
        data={"csrf_token": token, "name": "ok", "engine": "cloud", "config": "{}"},
    )
    assert response.status_code == 403
    assert "Test-mode keys can only use the sandbox engine" in response.text
    assert (await client.get("/v1/sessions", headers=account.headers)).json()["data"] == []

    created = await web.post(
        "/dashboard/sessions",
        data={"csrf_token": token, "name": "twice", "engine": "sandbox", "config": "{}"},
    )
    assert created.status_code == 303
    assert re.fullmatch(r"/dashboard/sessions/ses_\w+\?done=created", created.headers["location"])
    again = await web.post(
        "/dashboard/sessions",
        data={"csrf_token": token, "name": "twice", "engine": "sandbox", "config": "{}"},
    )
    assert again.status_code == 409
    assert "A session named &#39;twice&#39; already exists" in again.text


async def test_a_bad_cursor_or_action_is_no_server_error(
    web: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    for path in ("/dashboard/sessions?after=nonsense", "/dashboard/api-keys?after=%00"):
        response = await web.get(path)
        assert response.status_code == 422, path
        assert response.headers["content-type"].startswith("text/html") or path.endswith("%00")
    token = await form_token(web)
    response = await web.post(
        "/dashboard/sessions/ses_01JA2B3C4D5E6F7G8H9J0KMNPQ/explode", data={"csrf_token": token}
    )
    assert response.status_code in (404, 422)
    assert response.headers["content-type"].startswith("text/html")


async def test_the_dashboard_is_not_in_the_api_document(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert not [p for p in document["paths"] if p.startswith("/dashboard")]


async def test_what_users_typed_is_shown_as_text(
    web: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    script = "<script>alert(1)</script>"
    account = await create_account(sessionmaker, name=script)
    await signed_in(web, account.key)
    token = await form_token(web, "/dashboard/api-keys")
    created = await web.post(
        "/dashboard/api-keys",
        data={"csrf_token": token, "name": '<img src=x onerror="alert(2)">', "mode": "test"},
    )
    assert created.status_code == 201
    for page in (created, await web.get("/dashboard/api-keys")):
        assert script not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "<img src=x" not in page.text
        assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in page.text


async def test_a_nul_in_a_field_is_refused_not_a_server_error(
    web: httpx.AsyncClient, client: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    token = await form_token(web, "/dashboard/api-keys")
    response = await web.post(
        "/dashboard/api-keys", data={"csrf_token": token, "name": "a\x00b", "mode": "test"}
    )
    assert response.status_code == 422
    assert "must not contain NUL characters" in response.text
    keys = await client.get("/v1/api-keys", headers=account.headers)
    assert len(keys.json()["data"]) == 1
