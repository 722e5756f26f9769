"""The dashboard across a rotation of the secret key: a sign-in, a form and a sign-in form
made under the old key are accepted by processes whose keyring is ``new,old``; with the
old key dropped, the old sign-in ends (back to the sign-in page)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI

from gateway.app import create_app
from tests.conftest import SECRET_KEY, make_settings, running
from tests.dashboard.conftest import csrf_of, form_token, signed_in
from tests.factories import TestAccount

NEW_KEY = "dashboard-new-secret-key-" + "d" * 40
SAME_ORIGIN = {"Origin": "http://gateway.test", "Sec-Fetch-Site": "same-origin"}


@asynccontextmanager
async def browser(app: FastAPI, cookies: httpx.Cookies) -> AsyncIterator[httpx.AsyncClient]:
    """The same browser (its cookies) speaking to another process."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://gateway.test", cookies=cookies
    ) as web:
        yield web


async def test_sign_ins_and_forms_survive_the_rotation(
    web: httpx.AsyncClient,
    other_web: httpx.AsyncClient,
    client: httpx.AsyncClient,
    account: TestAccount,
    database_url: str,
    redis_url: str,
    data_dir: Path,
) -> None:
    await signed_in(web, account.key)  # on the suite's app: the old key alone
    token = await form_token(web)
    login_page = await other_web.get("/dashboard/sign-in")  # another browser's form
    login_token = csrf_of(login_page.text)

    rotated = make_settings(database_url, redis_url, data_dir, secret_key=f"{NEW_KEY},{SECRET_KEY}")
    rotated_app = create_app(rotated)
    async with running(rotated_app), browser(rotated_app, web.cookies) as on_new:
        page = await on_new.get("/dashboard/sessions")
        assert page.status_code == 200, page.text
        assert csrf_of(page.text) != token  # signed under the new key from now on
        created = await on_new.post(
            "/dashboard/sessions",
            data={
                "name": "after-rotation",
                "engine": "sandbox",
                "config": "{}",
                "csrf_token": token,
            },
            headers=SAME_ORIGIN,
        )
        assert created.status_code == 303, created.text
        # The new token is accepted too.
        second = await on_new.post(
            "/dashboard/sessions",
            data={"name": "new-token", "engine": "sandbox", "config": "{}",
                  "csrf_token": csrf_of(page.text)},
            headers=SAME_ORIGIN,
        )  # fmt: skip
        assert second.status_code == 303, second.text
    async with running(rotated_app), browser(rotated_app, other_web.cookies) as other_on_new:
        signed = await other_on_new.post(
            "/dashboard/sign-in",
            data={"csrf_token": login_token, "api_key": account.key},
            headers=SAME_ORIGIN,
        )
        assert signed.status_code == 303, signed.text
        assert signed.headers["location"] == "/dashboard/sessions"
    sessions = await client.get("/v1/sessions", headers=account.headers)
    assert sorted(s["name"] for s in sessions.json()["data"]) == ["after-rotation", "new-token"]

    # The old key dropped: a cookie made under it signs nobody in.
    alone = make_settings(database_url, redis_url, data_dir, secret_key=NEW_KEY)
    alone_app = create_app(alone)
    old_cookies = httpx.Cookies()
    old_cookies.update(web.cookies)
    async with running(alone_app), browser(alone_app, old_cookies) as on_alone:
        page = await on_alone.get("/dashboard/sessions")
        assert page.status_code in (302, 303, 307), page.text
        assert "/dashboard/sign-in" in page.headers["location"]
