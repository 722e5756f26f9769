"""The billing endpoints' unhappy paths: no billing set up, test-mode keys, scopes, bad
plans and URLs, Stripe refusing or unreachable, a second subscription, malformed events;
and no secret in any answer or log line."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.config import Settings
from gateway.fakes.stripe import sign
from gateway.models import StripeEvent
from tests.billing.stripe_gateway import SUCCESS_URL, billing_gateway, create_plan
from tests.factories import create_account, create_api_key


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["request_id"] == response.headers["request-id"]
    return error


async def test_without_stripe_billing_says_so_and_the_subscription_is_none(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker, mode=KeyMode.live)
    checkout = await client.post(
        "/v1/billing/checkout", headers=account.headers,
        json={"plan": "plan_x", "success_url": SUCCESS_URL},
    )  # fmt: skip
    assert error_of(checkout, 501)["code"] == "billing_not_configured"
    portal = await client.post("/v1/billing/portal", headers=account.headers)
    assert error_of(portal, 501)["code"] == "billing_not_configured"
    webhook = await client.post(
        "/v1/billing/stripe/webhook", content=b"{}", headers={"Stripe-Signature": "t=1,v1=0"}
    )
    assert error_of(webhook, 501)["code"] == "billing_not_configured"
    subscription = await client.get("/v1/billing/subscription", headers=account.headers)
    assert subscription.status_code == 200
    assert subscription.json()["status"] == "none"
    assert subscription.json()["plan"]["name"] == "Free"


async def test_checkout_refuses_what_it_cannot_sell(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with billing_gateway(settings) as gw:
        account = await create_account(sessionmaker, mode=KeyMode.live)

        async def checkout(body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
            return await gw.client.post(
                "/v1/billing/checkout", headers=headers or account.headers, json=body
            )

        test_key = await create_account(sessionmaker, mode=KeyMode.test)
        error = error_of(await checkout({"plan": gw.pro["id"], "success_url": SUCCESS_URL},
                                        test_key.headers), 403)  # fmt: skip
        assert error["code"] == "livemode_required"
        reader = await create_api_key(
            sessionmaker, account.id, scopes={"account": "read"}, mode=KeyMode.live
        )
        error = error_of(
            await checkout({"plan": gw.pro["id"], "success_url": SUCCESS_URL}, reader.headers),
            403,
        )
        assert error["type"] == "permission_error"

        error = error_of(await checkout({"plan": "plan_nope", "success_url": SUCCESS_URL}), 404)
        assert error["param"] == "plan"
        unpriced = await create_plan(gw.client, name="Enterprise")
        error = error_of(await checkout({"plan": unpriced["id"], "success_url": SUCCESS_URL}), 422)
        assert (error["code"], error["param"]) == ("plan_not_purchasable", "plan")
        for url in ("javascript:alert(1)", "not a url", "ftp://example.com/x", "https://"):
            error = error_of(await checkout({"plan": gw.pro["id"], "success_url": url}), 422)
            assert error["param"] == "success_url", url
        error = error_of(await checkout({"plan": gw.pro["id"], "success_url": SUCCESS_URL,
                                         "cancel_url": "nope"}), 422)  # fmt: skip
        assert error["param"] == "cancel_url"
        error = error_of(await checkout({"plan": gw.pro["id"]}), 422)
        assert error["param"] == "success_url"
        error = error_of(await checkout({"plan": "a\u0000b", "success_url": SUCCESS_URL}), 422)
        assert error["param"] == "plan"

        # Stripe does not know the plan's price: its refusal, with its request id.
        stale = await create_plan(gw.client, name="Stale", stripe_price_id="price_gone")
        error = error_of(await checkout({"plan": stale["id"], "success_url": SUCCESS_URL}), 502)
        assert error["code"] == "stripe_error"
        assert error["type"] == "api_error"
        assert "price_gone" in error["message"]
        assert "Stripe request req_" in error["message"]

        # Subscribed already: the portal changes plans, not a second checkout.
        await gw.subscribe(account)
        error = error_of(await checkout({"plan": gw.pro["id"], "success_url": SUCCESS_URL}), 409)
        assert (error["code"], error["param"]) == ("subscription_exists", "plan")


async def test_one_customer_per_account_even_when_asked_at_once(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with billing_gateway(settings) as gw:
        account = await create_account(sessionmaker, mode=KeyMode.live)
        sessions = await asyncio.gather(*(gw.checkout(account) for _ in range(3)))
        assert len({s["id"] for s in sessions}) == 3
        portal = await gw.client.post(
            "/v1/billing/portal", headers=account.headers,
            json={"return_url": "https://app.example.com/settings"},
        )  # fmt: skip
        assert portal.status_code == 201, portal.text
        assert portal.json()["object"] == "billing_portal_session"
        assert portal.json()["url"].startswith(gw.stripe.base_url)
        (customer,) = gw.stripe.fake.state.customers.values()
        assert customer["metadata"] == {"account_id": account.id}
        bad = await gw.client.post(
            "/v1/billing/portal", headers=account.headers, json={"return_url": "nope"}
        )
        assert error_of(bad, 422)["param"] == "return_url"


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[str]:
    """A server that accepts connections and never answers."""

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


@pytest.mark.parametrize("base", ["refused", "silent", "wrong-key"])
async def test_stripe_unreachable_or_refusing_the_key_is_a_clear_502(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
    base: str,
) -> None:
    async with silent_server() as silent, contextlib.AsyncExitStack() as stack:
        overrides: dict[str, Any] = {"stripe_timeout_seconds": 0.5}
        if base == "wrong-key":
            overrides["stripe_secret_key"] = SecretStr("sk_test_not_the_key_of_this_account")
        else:
            overrides["stripe_api_base"] = silent if base == "silent" else "http://127.0.0.1:9"
        gw = await stack.enter_async_context(billing_gateway(settings, **overrides))
        account = await create_account(sessionmaker, mode=KeyMode.live)
        response = await gw.client.post(
            "/v1/billing/checkout", headers=account.headers,
            json={"plan": gw.pro["id"], "success_url": SUCCESS_URL},
        )  # fmt: skip
        error = error_of(response, 502)
        assert error["code"] == "stripe_error"
        if base == "wrong-key":
            assert error["message"] == (
                "Stripe refused the gateway's API key; the operator must fix the billing setup."
            )
        else:
            assert error["message"] == "Stripe could not be reached; try again shortly."
        secret = gw.settings.stripe_secret_key
        assert secret is not None
        output = capsys.readouterr()
        for text in (response.text, output.out, output.err):
            assert secret.get_secret_value() not in text
            assert gw.stripe.api_key not in text
            assert gw.stripe.webhook_secret not in text


async def test_a_signed_body_that_is_no_event_is_refused(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with billing_gateway(settings) as gw:
        secret = gw.stripe.webhook_secret

        async def post(body: bytes, signature: str | None = None) -> httpx.Response:
            return await gw.client.post(
                "/v1/billing/stripe/webhook", content=body,
                headers={
                    "Stripe-Signature": signature or sign(body, secret),
                    "Content-Type": "application/json; charset=utf-8",  # as Stripe sends
                },
            )  # fmt: skip

        assert error_of(await post(b"{not json"), 422)["code"] == "invalid_json"
        assert error_of(await post(b"\xff\xfe"), 422)["code"] == "invalid_json"
        assert error_of(await post(b"[1, 2]"), 422)["code"] == "invalid_json"
        nul = json.dumps({"id": "evt_1", "type": "x\u0000", "data": {"object": {}}}).encode()
        refused = error_of(await post(nul), 422)  # at the door, like every body
        assert (refused["code"], refused["param"]) == ("parameter_invalid", "type")
        huge = json.dumps({"id": "evt_2", "type": "t", "data": {"x": "a" * 600_000}}).encode()
        assert error_of(await post(huge), 413)["code"] == "request_too_large"

        # An event type the gateway has no use for is stored and closed as ignored.
        other = json.dumps({
            "id": "evt_3", "object": "event", "type": "product.created", "livemode": False,
            "created": int(time.time()), "data": {"object": {"id": "prod_1"}},
        }).encode()  # fmt: skip
        accepted = await post(other)
        assert accepted.status_code == 200, accepted.text
        assert accepted.json() == {"received": True, "duplicate": False}
        await gw.run_jobs()
        async with sessionmaker() as db:
            row = await db.scalar(select(StripeEvent).where(StripeEvent.id == "evt_3"))
        assert row is not None
        assert row.outcome == "ignored"
