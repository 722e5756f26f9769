"""``/_fake/...``: what Stripe does on its own, on demand, for a test or a developer's curl.

These routes take no key (the fake listens on 127.0.0.1). Their errors are plain
``{"error": "..."}``, not Stripe's envelope, so a control mistake is never taken for an API
answer.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.fakes.stripe.errors import StripeError
from gateway.fakes.stripe.fake import FakeStripe
from gateway.fakes.stripe.state import Delivery

SubscriptionAction = Callable[[str], Awaitable[dict[str, Any]]]


def control_routes(fake: FakeStripe) -> list[Route]:
    control = _Control(fake)
    subscription_actions: dict[str, SubscriptionAction] = {
        "fail_payment": fake.fail_payment,
        "cancel_at_period_end": fake.cancel_at_period_end,
        "end_period": fake.end_period,
        "cancel": fake.cancel_now,
    }
    routes = [
        Route("/checkout/sessions/{id}/complete", control.complete, methods=["POST"]),
        Route("/invoices/{id}/pay", control.pay, methods=["POST"]),
        Route("/events/{id}/resend", control.resend, methods=["POST"]),
        Route("/events", control.list_events, methods=["GET"]),
        Route("/prices", control.add_price, methods=["POST"]),
        Route("/webhook", control.set_webhook, methods=["POST"]),
        Route("/usage/{customer}", control.usage, methods=["GET"]),
    ]
    for name, action in subscription_actions.items():
        routes.append(
            Route(
                f"/subscriptions/{{id}}/{name}", control.on_subscription(action), methods=["POST"]
            )
        )
    return routes


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    body = json.loads(raw)
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body


def _delivery(delivery: Delivery) -> dict[str, Any]:
    return {
        "event": delivery.event_id,
        "type": delivery.type,
        "url": delivery.url,
        "attempts": delivery.attempts,
        "delivered": delivery.delivered,
    }


class _Control:
    def __init__(self, fake: FakeStripe) -> None:
        self.fake = fake

    async def _answer(self, work: Awaitable[Any]) -> Response:
        try:
            return JSONResponse(await work)
        except StripeError as exc:
            return JSONResponse({"error": exc.message}, status_code=exc.status)
        except (KeyError, ValueError, TypeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)

    async def complete(self, request: Request) -> Response:
        async def work() -> Any:
            body = await _body(request)
            return await self.fake.complete_checkout(request.path_params["id"], **body)

        return await self._answer(work())

    async def pay(self, request: Request) -> Response:
        return await self._answer(self.fake.pay_invoice(request.path_params["id"]))

    def on_subscription(
        self, action: SubscriptionAction
    ) -> Callable[[Request], Awaitable[Response]]:
        async def route(request: Request) -> Response:
            return await self._answer(action(request.path_params["id"]))

        return route

    async def resend(self, request: Request) -> Response:
        async def work() -> Any:
            signature = (await _body(request)).get("signature", "valid")
            if signature not in ("valid", "bad", "stale"):
                raise ValueError("signature must be valid, bad or stale")
            return _delivery(await self.fake.resend(request.path_params["id"], signature=signature))

        return await self._answer(work())

    async def list_events(self, _: Request) -> Response:
        return JSONResponse(
            {
                "events": [{"id": e["id"], "type": e["type"]} for e in self.fake.events],
                "deliveries": [_delivery(d) for d in self.fake.deliveries],
            }
        )

    async def add_price(self, request: Request) -> Response:
        async def work() -> Any:
            return self.fake.add_price(**await _body(request))

        return await self._answer(work())

    async def set_webhook(self, request: Request) -> Response:
        async def work() -> Any:
            body = await _body(request)
            self.fake.webhook_url = body.get("url")
            if body.get("secret"):
                self.fake.webhook_secret = str(body["secret"])
            return {"url": self.fake.webhook_url, "secret": self.fake.webhook_secret}

        return await self._answer(work())

    async def usage(self, request: Request) -> Response:
        customer = request.path_params["customer"]
        event_name = request.query_params.get("event_name")
        return JSONResponse({"customer": customer, "value": self.fake.usage(customer, event_name)})
