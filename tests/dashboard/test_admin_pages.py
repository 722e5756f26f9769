"""The operator's view: signing in with the admin token, kept apart from customers'
sign-ins both ways, and what its pages show of a running deployment (an engine host
holding a session, a FAILED session, a disabled webhook endpoint)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.config import Settings
from gateway.engines.host import EngineHost
from gateway.events.service import SessionRef, publish
from gateway.events.types import EventType
from gateway.models import WebhookDelivery
from gateway.webhooks.delivery import http_client
from gateway.webhooks.tasks import deliver_webhook
from tests.conftest import ADMIN_TOKEN, running
from tests.dashboard.conftest import csrf_of, signed_in
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.local_http import Reply, serving

ADMIN = "/dashboard/admin"


async def admin_sign_in(web: httpx.AsyncClient, token: str) -> httpx.Response:
    page = await web.get(f"{ADMIN}/sign-in")
    assert page.status_code == 200, page.text
    return await web.post(
        f"{ADMIN}/sign-in", data={"csrf_token": csrf_of(page.text), "admin_token": token}
    )


async def admin_signed_in(web: httpx.AsyncClient) -> None:
    response = await admin_sign_in(web, ADMIN_TOKEN)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{ADMIN}/accounts"


def rows_of(html: str, attribute: str) -> list[str]:
    return re.findall(rf'<tr {attribute}="([^"]+)"', html)


async def test_the_right_token_signs_in_a_wrong_one_or_a_customer_key_does_not(
    web: httpx.AsyncClient, account: TestAccount
) -> None:
    assert (await web.get(f"{ADMIN}/accounts")).headers["location"] == f"{ADMIN}/sign-in"

    wrong = await admin_sign_in(web, ADMIN_TOKEN + "x")
    assert wrong.status_code == 401
    assert "That is not the admin token." in wrong.text
    assert "gw_dashboard_admin=" not in wrong.headers.get("set-cookie", "")
    customer = await admin_sign_in(web, account.key)
    assert customer.status_code == 401
    assert (await web.get(f"{ADMIN}/accounts")).status_code == 303

    right = await admin_sign_in(web, ADMIN_TOKEN)
    assert right.status_code == 303
    cookie = right.headers["set-cookie"]
    assert "gw_dashboard_admin=" in cookie
    assert "Path=/dashboard/admin" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert ADMIN_TOKEN not in cookie
    page = await web.get(f"{ADMIN}/accounts")
    assert page.status_code == 200
    assert ADMIN_TOKEN not in page.text
    assert account.id in rows_of(page.text, "data-account")
    # Signed in already: the sign-in page sends the operator on.
    assert (await web.get(f"{ADMIN}/sign-in")).headers["location"] == f"{ADMIN}/accounts"


async def test_guesses_are_limited(web: httpx.AsyncClient) -> None:
    for _ in range(10):
        assert (await admin_sign_in(web, "guess")).status_code == 401
    # Past the limit even the right token waits: the limit counts attempts, not failures.
    throttled = await admin_sign_in(web, ADMIN_TOKEN)
    assert throttled.status_code == 429
    assert "Too many sign-in attempts" in throttled.text
    assert "gw_dashboard_admin=" not in throttled.headers.get("set-cookie", "")


async def test_signing_out_ends_the_cookie_even_for_a_copy(web: httpx.AsyncClient) -> None:
    await admin_signed_in(web)
    page = await web.get(f"{ADMIN}/accounts")
    copy = web.cookies["gw_dashboard_admin"]
    out = await web.post(f"{ADMIN}/sign-out", data={"csrf_token": csrf_of(page.text)})
    assert out.status_code == 303
    assert out.headers["location"] == f"{ADMIN}/sign-in"
    web.cookies.set("gw_dashboard_admin", copy, path="/dashboard/admin")
    assert (await web.get(f"{ADMIN}/accounts")).headers["location"] == f"{ADMIN}/sign-in"


async def test_its_forms_need_their_token_and_this_origin(web: httpx.AsyncClient) -> None:
    page = await web.get(f"{ADMIN}/sign-in")
    no_token = await web.post(f"{ADMIN}/sign-in", data={"admin_token": ADMIN_TOKEN})
    assert no_token.status_code == 403
    elsewhere = await web.post(
        f"{ADMIN}/sign-in",
        data={"csrf_token": csrf_of(page.text), "admin_token": ADMIN_TOKEN},
        headers={"Origin": "https://evil.example"},
    )
    assert elsewhere.status_code == 403
    assert "gw_dashboard_admin=" not in elsewhere.headers.get("set-cookie", "")

    await admin_signed_in(web)
    refused = await web.post(f"{ADMIN}/sign-out", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    assert (await web.get(f"{ADMIN}/accounts")).status_code == 200


async def test_neither_cookie_opens_the_other_side(
    web: httpx.AsyncClient, other_web: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    customer_cookie = web.cookies["gw_dashboard"]
    # A customer's cookie, even offered under the operator's name, is not an operator's.
    assert (await web.get(f"{ADMIN}/accounts")).headers["location"] == f"{ADMIN}/sign-in"
    other_web.cookies.set("gw_dashboard_admin", customer_cookie, path="/dashboard/admin")
    assert (await other_web.get(f"{ADMIN}/hosts")).headers["location"] == f"{ADMIN}/sign-in"

    other_web.cookies.clear()
    await admin_signed_in(other_web)
    admin_cookie = other_web.cookies["gw_dashboard_admin"]
    sessions = await other_web.get("/dashboard/sessions")
    assert sessions.status_code == 303
    assert sessions.headers["location"] == "/dashboard/sign-in"
    other_web.cookies.set("gw_dashboard", admin_cookie, path="/dashboard")
    for path in ("/dashboard/api-keys", "/dashboard/usage"):
        customer_page = await other_web.get(path)
        assert customer_page.status_code == 303, path
        assert customer_page.headers["location"].startswith("/dashboard/sign-in")


async def test_without_an_admin_token_the_view_is_not_there(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"admin_token": None}))
    async with running(app) as web:
        for path in ("", "/sign-in", "/accounts", "/hosts"):
            page = await web.get(f"{ADMIN}{path}")
            assert page.status_code == 404, path
            assert "Not found" in page.text
        posted = await web.post(f"{ADMIN}/sign-in", data={"admin_token": ""})
        assert posted.status_code == 404


async def test_a_new_admin_token_signs_every_operator_out(
    web: httpx.AsyncClient, settings: Settings
) -> None:
    await admin_signed_in(web)
    cookie = web.cookies["gw_dashboard_admin"]
    rotated = create_app(settings.model_copy(update={"admin_token": ADMIN_TOKEN + "-next"}))
    async with running(rotated) as after:
        after.cookies.set("gw_dashboard_admin", cookie, path="/dashboard/admin")
        page = await after.get(f"{ADMIN}/accounts")
        assert page.status_code == 303
        assert page.headers["location"] == f"{ADMIN}/sign-in"
    assert (await web.get(f"{ADMIN}/accounts")).status_code == 200


async def test_a_bad_cursor_is_a_page_not_a_failure(web: httpx.AsyncClient) -> None:
    await admin_signed_in(web)
    page = await web.get(f"{ADMIN}/accounts", params={"after": "'; drop table"})
    assert page.status_code == 422
    assert "Invalid cursor" in page.text


async def test_accounts_are_listed_with_their_plan_and_paginated(
    web: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    created = [await create_account(sessionmaker, name=f"Tenant {n}") for n in range(27)]
    await admin_signed_in(web)
    first = await web.get(f"{ADMIN}/accounts")
    listed = rows_of(first.text, "data-account")
    assert listed == [a.id for a in reversed(created)][:25]
    assert "Tenant 26" in first.text
    assert "Free" in first.text  # the default plan's name
    older = re.search(r'href="/dashboard/admin/accounts\?after=(acct_\w+)"', first.text)
    assert older is not None
    second = await web.get(f"{ADMIN}/accounts", params={"after": older[1]})
    assert rows_of(second.text, "data-account") == [created[1].id, created[0].id]
    assert "Older accounts" not in second.text


@pytest.fixture
async def job_context(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], arq_redis: ArqRedis
) -> Any:
    client = http_client(settings)
    yield {"settings": settings, "sessionmaker": sessionmaker, "redis": arq_redis,
           "webhook_http": client}  # fmt: skip
    await client.aclose()


async def test_the_pages_show_hosts_failed_sessions_and_disabled_endpoints(
    web: httpx.AsyncClient,
    client: httpx.AsyncClient,
    account: TestAccount,
    engine_host: EngineHost,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, Any],
) -> None:
    working = (await create_session(client, account, name="held", auto_link=True))["id"]
    await session_in_status(client, account, working, "WORKING")
    failing = await create_session(
        client, account, name="unscanned", sandbox={"qr_ttl_seconds": 0.2, "qr_max_renewals": 0}
    )
    await session_in_status(client, account, failing["id"], "FAILED")

    other = await create_account(sessionmaker, name="Other Co")
    routes = {"/gone": Reply(410, b"gone"), "/ok": Reply(200), "/broken": Reply(500)}
    with serving(routes) as receiver:
        hooks = {}
        for owner, path in ((account, "/gone"), (account, "/ok"), (other, "/broken")):
            created = await client.post(
                "/v1/webhooks", headers=owner.headers, json={"url": receiver.url(path)}
            )
            assert created.status_code == 201, created.text
            hooks[path] = created.json()["id"]
        async with sessionmaker() as db:
            for owner in (account, other):
                await publish(
                    db,
                    account_id=owner.id,
                    type=EventType.message_received,
                    session=SessionRef(working, "held", {}),
                    data={"hello": "world"},
                )
            await db.commit()
        async with sessionmaker() as db:
            for delivery_id in (await db.scalars(select(WebhookDelivery.id))).all():
                await deliver_webhook(job_context, delivery_id)

    await admin_signed_in(web)
    hosts = await web.get(f"{ADMIN}/hosts")
    assert hosts.status_code == 200
    assert rows_of(hosts.text, "data-host") == [engine_host.id]
    held = re.search(
        rf'<tr data-host="{re.escape(engine_host.id)}">.*?data-held="(\d+)"', hosts.text, re.S
    )
    assert held is not None
    assert held[1] == "1"
    assert "sandbox: 1" in hosts.text
    assert rows_of(hosts.text, "data-lease") == [working]
    assert "of 200" in hosts.text  # the capacity setting

    queues = await web.get(f"{ADMIN}/queues")
    assert queues.status_code == 200
    assert rows_of(queues.text, "data-queue") == ["shared", engine_host.id]

    failed = await web.get(f"{ADMIN}/sessions")
    assert rows_of(failed.text, "data-session") == [failing["id"]]
    assert "qr_timeout" in failed.text
    assert "Acme Dashboard" in failed.text

    webhooks = await web.get(f"{ADMIN}/webhooks")
    # Disabled first; the one answering 200 is not failing.
    assert rows_of(webhooks.text, "data-endpoint") == [hooks["/gone"], hooks["/broken"]]
    disabled = re.search(rf'<tr data-endpoint="{hooks["/gone"]}">(.*?)</tr>', webhooks.text, re.S)
    assert disabled is not None
    assert "disabled" in disabled[1]
    assert "410 Gone" in disabled[1]
    failing = re.search(rf'<tr data-endpoint="{hooks["/broken"]}">(.*?)</tr>', webhooks.text, re.S)
    assert failing is not None
    assert "Other Co" in failing[1]
    assert "enabled" in failing[1]
    assert '<td data-label="Failed attempts (24 h)">1</td>' in failing[1]
