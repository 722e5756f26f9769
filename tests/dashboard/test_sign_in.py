"""Signing in with an API key, the cookie it gives, and signing out."""

from __future__ import annotations

from http.cookies import SimpleCookie
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.auth.keys import KeyMode
from gateway.config import Settings
from tests.conftest import make_settings, running
from tests.dashboard.conftest import csrf_of, sign_in, signed_in
from tests.factories import TestAccount, create_api_key
from tests.waiting import eventually


def _set_cookie(response: httpx.Response, name: str) -> SimpleCookie:
    for header in response.headers.get_list("set-cookie"):
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        if name in cookie:
            return cookie
    raise AssertionError(f"no Set-Cookie for {name}: {response.headers.get_list('set-cookie')}")


async def test_a_good_key_signs_in_with_a_strict_http_only_cookie(
    web: httpx.AsyncClient, account: TestAccount
) -> None:
    response = await sign_in(web, account.key)
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/sessions"
    cookie = _set_cookie(response, "gw_dashboard")["gw_dashboard"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "strict"
    assert cookie["path"] == "/dashboard"
    assert not cookie["secure"]  # plain http here; https below
    # The cookie holds the key encrypted: neither it nor a part of it shows.
    assert account.key not in cookie.value
    assert account.key[8:20] not in cookie.value

    page = await web.get("/dashboard/sessions")
    assert page.status_code == 200
    assert "Test mode" in page.text
    assert "Acme Dashboard" in page.text
    assert account.key not in page.text
    assert "Sign out" in page.text


async def test_over_https_the_cookies_are_secure(
    client: httpx.AsyncClient, app: FastAPI, account: TestAccount
) -> None:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://gateway.test") as web:
        response = await sign_in(web, account.key)
        assert response.status_code == 303
        assert _set_cookie(response, "gw_dashboard")["gw_dashboard"]["secure"] is True
        assert _set_cookie(response, "gw_dashboard_login")["gw_dashboard_login"]["secure"] is True


async def test_in_production_the_cookies_are_secure_even_over_http(
    database_url: str, redis_url: str, data_dir: Path, account: TestAccount
) -> None:
    # Behind a proxy that terminates TLS the gateway sees http: the cookie must still
    # never be sent in clear.
    settings = make_settings(database_url, redis_url, data_dir, env="production", admin_token=None)
    async with running(create_app(settings)) as web:
        page = await web.get("/dashboard/sign-in")
        login = _set_cookie(page, "gw_dashboard_login")["gw_dashboard_login"]
        assert login["secure"] is True
        # A client over http does not send a Secure cookie back; say it by hand here.
        response = await web.post(
            "/dashboard/sign-in",
            data={"csrf_token": csrf_of(page.text), "api_key": account.key},
            headers={"Cookie": f"gw_dashboard_login={login.value}"},
        )
        assert response.status_code == 303
        assert _set_cookie(response, "gw_dashboard")["gw_dashboard"]["secure"] is True


async def test_a_signed_in_visitor_skips_the_sign_in_page(
    web: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    response = await web.get("/dashboard/sign-in")
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/sessions"


async def test_live_mode_shows(
    web: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], account: TestAccount
) -> None:
    live = await create_api_key(sessionmaker, account.id, mode=KeyMode.live)
    await signed_in(web, live.key)
    page = await web.get("/dashboard/sessions")
    assert "Live mode" in page.text
    assert "Test mode" not in page.text


async def test_bad_keys_are_refused_with_the_reason(
    web: httpx.AsyncClient, account: TestAccount
) -> None:
    for key, words in (
        ("nonsense", "Malformed API key"),
        ("gw_test_" + "A" * 36, "Malformed API key"),  # bad checksum
        ("", "No API key provided"),
    ):
        response = await sign_in(web, key)
        assert response.status_code == 401, key
        assert words in response.text
        assert "gw_dashboard=" not in response.headers.get("set-cookie", "")
    # A well-formed key nobody has.
    stranger = account.key[:-10] + "0000000000"
    response = await sign_in(web, stranger)
    assert response.status_code == 401
    assert (await web.get("/dashboard/sessions")).status_code == 303


async def test_a_revoked_key_cannot_sign_in(
    web: httpx.AsyncClient, client: httpx.AsyncClient, account: TestAccount
) -> None:
    # Revoke it through the API: a revoked key cannot sign in.
    revoked = await client.post(f"/v1/api-keys/{account.key_id}/revoke", headers=account.headers)
    assert revoked.status_code == 200
    response = await sign_in(web, account.key)
    assert response.status_code == 401
    assert "revoked" in response.text
    assert account.key not in response.text


async def test_the_sign_in_form_needs_its_token(
    web: httpx.AsyncClient, account: TestAccount
) -> None:
    page = await web.get("/dashboard/sign-in")
    token = csrf_of(page.text)
    # No token, a wrong one, and the right one from another site.
    for data, headers in (
        ({"api_key": account.key}, {}),
        ({"api_key": account.key, "csrf_token": token + "x"}, {}),
        ({"api_key": account.key, "csrf_token": token}, {"Origin": "https://evil.example"}),
        ({"api_key": account.key, "csrf_token": token}, {"Sec-Fetch-Site": "cross-site"}),
    ):
        response = await web.post("/dashboard/sign-in", data=data, headers=headers)
        assert response.status_code == 403, data
        assert "expired" in response.text
        assert "gw_dashboard=" not in response.headers.get("set-cookie", "")
    # Without the pre-session cookie the token is worth nothing (login CSRF).
    web.cookies.clear()
    response = await web.post(
        "/dashboard/sign-in", data={"api_key": account.key, "csrf_token": token}
    )
    assert response.status_code == 403
    assert (await web.get("/dashboard/sessions")).status_code == 303


async def test_sign_out(web: httpx.AsyncClient, account: TestAccount) -> None:
    await signed_in(web, account.key)
    page = await web.get("/dashboard/sessions")
    response = await web.post("/dashboard/sign-out", data={"csrf_token": csrf_of(page.text)})
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/sign-in"
    following = await web.get("/dashboard/sessions")
    assert following.status_code == 303
    assert following.headers["location"].startswith("/dashboard/sign-in")


async def test_a_copy_of_the_cookie_stops_working_at_sign_out(
    web: httpx.AsyncClient, other_web: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    copied = web.cookies["gw_dashboard"]
    other_web.cookies.set("gw_dashboard", copied, domain="gateway.test", path="/dashboard")
    assert (await other_web.get("/dashboard/sessions")).status_code == 200
    page = await web.get("/dashboard/sessions")
    await web.post("/dashboard/sign-out", data={"csrf_token": csrf_of(page.text)})
    refused = await other_web.get("/dashboard/sessions")
    assert refused.status_code == 303
    assert refused.headers["location"] == "/dashboard/sign-in?expired=1"


async def test_sign_out_needs_the_token(web: httpx.AsyncClient, account: TestAccount) -> None:
    await signed_in(web, account.key)
    response = await web.post("/dashboard/sign-out", data={})
    assert response.status_code == 403
    assert (await web.get("/dashboard/sessions")).status_code == 200


async def test_no_cookie_or_a_forged_one_goes_to_sign_in(web: httpx.AsyncClient) -> None:
    for cookie in (None, "garbage", "AQ" + "A" * 80):
        if cookie is not None:
            web.cookies.set("gw_dashboard", cookie, domain="gateway.test", path="/dashboard")
        response = await web.get("/dashboard/sessions")
        assert response.status_code == 303
        assert response.headers["location"].startswith("/dashboard/sign-in")
    assert (await web.get("/dashboard")).headers["location"] == "/dashboard/sessions"


async def test_a_revoked_key_is_refused_by_another_process_within_a_second(
    settings: Settings, client: httpx.AsyncClient, account: TestAccount
) -> None:
    # A second API process, with its own key cache, signed in and warmed up.
    async with running(create_app(settings)) as other:
        await signed_in(other, account.key)
        assert (await other.get("/dashboard/sessions")).status_code == 200

        revoked = await client.post(
            f"/v1/api-keys/{account.key_id}/revoke", headers=account.headers
        )
        assert revoked.status_code == 200

        async def status() -> httpx.Response:
            return await other.get("/dashboard/sessions")

        refused = await eventually(status, lambda r: r.status_code == 303, within=1.0)
        assert refused.headers["location"] == "/dashboard/sign-in?expired=1"
        again = await other.get(refused.headers["location"])
        assert "Your sign-in ended" in again.text
