"""A gateway with billing on, against the fake Stripe: the fake's events reach the
gateway's webhook in-process, and a real arq worker (burst) processes what was queued.

    async with billing_gateway(settings) as gw:
        account = await create_account(sessionmaker, mode=KeyMode.live)
        checkout = await gw.checkout(account)
        await gw.stripe.fake.complete_checkout(checkout["id"])
        await gw.run_jobs()
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from starlette.types import Receive, Scope, Send

from gateway.app import create_app
from gateway.config import Settings
from gateway.kit.state import AppState
from gateway.worker import create_worker
from tests.conftest import ADMIN_TOKEN, running
from tests.factories import TestAccount
from tests.fakes.stripe import StripeHandle, serving_stripe

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
WEBHOOK_PATH = "/v1/billing/stripe/webhook"
SUCCESS_URL = "https://app.example.com/billing/done?session={CHECKOUT_SESSION_ID}"


class _LateApp:
    """An ASGI app set after the fake starts (the gateway's settings need the fake's URL)."""

    app: FastAPI | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None
        await self.app(scope, receive, send)


@dataclass
class BillingGateway:
    settings: Settings
    client: httpx.AsyncClient
    stripe: StripeHandle
    pro: dict[str, Any]  # a paid plan (Stripe price, 5 sessions)
    pro_price: str
    app: FastAPI

    @property
    def state(self) -> AppState:
        state: AppState = self.app.state.gateway
        return state

    async def run_jobs(self) -> None:
        """Run every queued job with a real worker, until the queue is empty."""
        worker = create_worker(self.settings, burst=True, cron_jobs=[], handle_signals=False)
        try:
            await worker.async_run()
        finally:
            await worker.close()

    async def checkout(self, account: TestAccount, plan_id: str | None = None) -> dict[str, Any]:
        response = await self.client.post(
            "/v1/billing/checkout",
            headers=account.headers,
            json={"plan": plan_id or self.pro["id"], "success_url": SUCCESS_URL},
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def subscribe(self, account: TestAccount) -> dict[str, Any]:
        """Checkout paid and synced: the account's subscription as the API shows it."""
        session = await self.checkout(account)
        await self.stripe.fake.complete_checkout(session["id"])
        await self.run_jobs()
        return await self.subscription(account)

    async def subscription(self, account: TestAccount) -> dict[str, Any]:
        response = await self.client.get("/v1/billing/subscription", headers=account.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


async def create_plan(client: httpx.AsyncClient, **values: Any) -> dict[str, Any]:
    response = await client.post("/admin/plans", headers=ADMIN, json=values)
    assert response.status_code == 201, response.text
    plan: dict[str, Any] = response.json()
    return plan


@contextlib.asynccontextmanager
async def billing_gateway(settings: Settings, **overrides: Any) -> AsyncIterator[BillingGateway]:
    late = _LateApp()
    transport = httpx.ASGITransport(app=late)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as notify,
        serving_stripe(
            webhook_url=f"http://gateway.test{WEBHOOK_PATH}", notify_client=notify
        ) as stripe_fake,
    ):
        billing_settings = settings.model_copy(
            update={
                "stripe_secret_key": _secret(stripe_fake.api_key),
                "stripe_webhook_secret": _secret(stripe_fake.webhook_secret),
                "stripe_api_base": stripe_fake.base_url,
                **overrides,
            }
        )
        app = late.app = create_app(billing_settings)
        async with running(app) as client:
            price = stripe_fake.fake.add_price(unit_amount=2900, product_name="Pro")
            pro = await create_plan(
                client, name="Pro", stripe_price_id=price["id"], sessions=5,
                messages_per_month=100_000,
            )  # fmt: skip
            yield BillingGateway(billing_settings, client, stripe_fake, pro, price["id"], app)


def _secret(value: str) -> SecretStr:
    return SecretStr(value)
