"""The Starlette app: Stripe's ``/v1`` routes, the hosted pages, and the control routes.

Every ``/v1`` request needs ``Authorization: Bearer sk_test_…`` (or curl's Basic form),
takes Stripe's form encoding (query string on GET and DELETE), may ask ``expand[]``, and
answers JSON with ``Request-Id``. A POST's ``Idempotency-Key`` replays the first answer
(``Idempotent-Replayed: true``) for the same parameters and refuses other parameters.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import html
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from gateway.fakes.stripe.control import control_routes
from gateway.fakes.stripe.errors import (
    StripeError,
    idempotency_in_use,
    idempotency_mismatch,
    invalid_api_key,
    no_api_key,
    unrecognized_url,
)
from gateway.fakes.stripe.fake import FakeStripe
from gateway.fakes.stripe.forms import decode, expand_paths
from gateway.fakes.stripe.resources import Call, Resources
from gateway.fakes.stripe.state import IdempotentResult, new_id

Operation = Callable[[Request, dict[str, Any], Call], dict[str, Any]]


def create_app(fake: FakeStripe) -> Starlette:
    """The fake Stripe API over HTTP, bound to ``fake``'s state."""
    api = _Api(fake)
    r = api.resources
    v1 = [
        api.route("/customers", "POST", lambda q, p, c: r.create_customer(p, c)),
        api.route("/customers/{id}", "GET", lambda q, p, c: api.get("customer", q)),
        api.route("/customers/{id}", "POST", lambda q, p, c: r.update_customer(_id(q), p, c)),
        api.route("/checkout/sessions", "POST", lambda q, p, c: r.create_checkout_session(p, c)),
        api.route("/checkout/sessions/{id}", "GET", lambda q, p, c: api.get("checkout.session", q)),
        api.route(
            "/billing_portal/sessions", "POST", lambda q, p, c: r.create_portal_session(p, c)
        ),
        api.route("/subscriptions", "GET", lambda q, p, c: r.list_subscriptions(p)),
        api.route("/subscriptions/{id}", "GET", lambda q, p, c: api.get("subscription", q)),
        api.route(
            "/subscriptions/{id}", "POST", lambda q, p, c: r.update_subscription(_id(q), p, c)
        ),
        api.route(
            "/subscriptions/{id}", "DELETE", lambda q, p, c: r.cancel_subscription(_id(q), p, c)
        ),
        api.route("/prices/{id}", "GET", lambda q, p, c: api.get("price", q)),
        api.route("/products/{id}", "GET", lambda q, p, c: api.get("product", q)),
        api.route("/invoices/{id}", "GET", lambda q, p, c: api.get("invoice", q)),
        api.route("/events/{id}", "GET", lambda q, p, c: api.get("event", q)),
        api.route(
            "/billing/meter_events",
            "POST",
            lambda q, p, c: r.create_meter_event(p, c),
            delay=lambda: fake.meter_event_delay,
        ),
    ]
    pages = _Pages(fake)
    return Starlette(
        routes=[
            *_merge(v1),
            Route("/c/pay/{id}", pages.checkout, methods=["GET", "POST"]),
            Route("/p/session/{id}", pages.portal, methods=["GET"]),
            Mount("/_fake", routes=control_routes(fake)),
        ],
        exception_handlers={404: _not_found, 405: _not_found},
    )


def _id(request: Request) -> str:
    return str(request.path_params["id"])


def _merge(routes: list[tuple[str, str, Callable[[Request], Awaitable[Response]]]]) -> list[Route]:
    """One Starlette route per path, dispatching on the method."""
    by_path: dict[str, dict[str, Callable[[Request], Awaitable[Response]]]] = {}
    for path, method, endpoint in routes:
        by_path.setdefault(path, {})[method] = endpoint

    def dispatch(
        methods: dict[str, Callable[[Request], Awaitable[Response]]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await methods[request.method](request)

        return endpoint

    return [
        Route(f"/v1{path}", dispatch(methods), methods=list(methods))
        for path, methods in by_path.items()
    ]


async def _not_found(request: Request, _: Exception) -> Response:
    return _error(unrecognized_url(request.method, request.url.path), new_id("req_", 14))


def _error(exc: StripeError, request_id: str) -> Response:
    headers = {"Request-Id": request_id, **exc.headers}
    return _json(exc.body(request_id), exc.status, headers)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, indent=2).encode(), status, headers, media_type="application/json"
    )


class _Api:
    def __init__(self, fake: FakeStripe) -> None:
        self.fake = fake
        self.resources = Resources(fake)

    def get(self, noun: str, request: Request) -> dict[str, Any]:
        return self.fake.state.get(noun, _id(request))

    def route(
        self,
        path: str,
        method: str,
        operation: Operation,
        *,
        delay: Callable[[], float] | None = None,
    ) -> tuple[str, str, Callable[[Request], Awaitable[Response]]]:
        async def endpoint(request: Request) -> Response:
            response = await self.answer(request, operation)
            # Slow only the answer: the operation has run and its idempotent result is saved.
            # Polled, so that lowering the delay releases the answers already waiting.
            started = time.monotonic()
            while delay is not None and time.monotonic() - started < delay():  # noqa: ASYNC110
                await asyncio.sleep(0.01)
            return response

        return path, method, endpoint

    async def answer(self, request: Request, operation: Operation) -> Response:
        request_id = new_id("req_", 14)
        try:
            api_key = self._authenticate(request)
            pairs = parse_qsl(request.url.query, keep_blank_values=True)
            if request.method == "POST":
                body = (await request.body()).decode()
                pairs += parse_qsl(body, keep_blank_values=True)
            key = request.headers.get("idempotency-key") if request.method == "POST" else None
            if key is None:
                return self._run(request, operation, pairs, request_id, None)
            return self._idempotent(request, operation, pairs, request_id, (api_key, key))
        except StripeError as exc:
            return _error(exc, request_id)

    def _authenticate(self, request: Request) -> str:
        scheme, _, credential = request.headers.get("authorization", "").partition(" ")
        credential = credential.strip()
        if scheme.lower() == "basic":
            try:
                credential = base64.b64decode(credential).decode().partition(":")[0]
            except (binascii.Error, UnicodeDecodeError):
                credential = ""
        elif scheme.lower() != "bearer":
            credential = ""
        if not credential:
            raise no_api_key()
        if credential not in self.fake.api_keys:
            raise invalid_api_key(credential)
        return credential

    def _idempotent(
        self,
        request: Request,
        operation: Operation,
        pairs: list[tuple[str, str]],
        request_id: str,
        scope: tuple[str, str],
    ) -> Response:
        fingerprint = (request.method, request.url.path, tuple(sorted(pairs)))
        stored = self.fake.state.idempotency.get(scope)
        if stored is not None:
            if stored.status is None:
                raise idempotency_in_use(scope[1])
            if stored.fingerprint != fingerprint:
                raise idempotency_mismatch(scope[1])
            headers = {
                "Request-Id": request_id,
                "Idempotency-Key": scope[1],
                "Idempotent-Replayed": "true",
                "Original-Request": stored.request_id,
                "Stripe-Version": self._version(request),
            }
            return Response(stored.body, stored.status, headers, media_type="application/json")
        record = IdempotentResult(fingerprint, request_id)
        self.fake.state.idempotency[scope] = record
        try:
            response = self._run(request, operation, pairs, request_id, scope[1])
        except StripeError as exc:
            # Refused before the endpoint ran (Stripe saves nothing then): free the key.
            if not exc.saved:
                del self.fake.state.idempotency[scope]
                raise
            response = _error(exc, request_id)
        record.status, record.body = response.status_code, bytes(response.body)
        return response

    def _run(
        self,
        request: Request,
        operation: Operation,
        pairs: list[tuple[str, str]],
        request_id: str,
        key: str | None,
    ) -> Response:
        values = decode(pairs)
        paths = expand_paths(values)
        call = Call(request_id, key, str(request.base_url).rstrip("/"))
        result = operation(request, values, call)
        headers = {"Request-Id": request_id, "Stripe-Version": self._version(request)}
        if key is not None:
            headers["Idempotency-Key"] = key
        return _json(self.fake.state.expand(result, paths), 200, headers)

    def _version(self, request: Request) -> str:
        return request.headers.get("stripe-version") or self.fake.api_version


class _Pages:
    """Stand-ins for checkout.stripe.com and billing.stripe.com, for a person at a browser."""

    def __init__(self, fake: FakeStripe) -> None:
        self.fake = fake

    async def checkout(self, request: Request) -> Response:
        session = self.fake.state.checkout_sessions.get(_id(request))
        if session is None:
            return HTMLResponse("<h1>Checkout session not found</h1>", 404)
        if request.method == "POST":
            if session["status"] == "open":
                await self.fake.complete_checkout(session["id"])
            target = (session["success_url"] or "/").replace("{CHECKOUT_SESSION_ID}", session["id"])
            return RedirectResponse(target, 303)
        amount = f"{session['amount_total'] / 100:.2f} {session['currency'].upper()}"
        cancel = html.escape(session["cancel_url"] or "/")
        return HTMLResponse(
            f"<h1>Fake Stripe Checkout</h1><p>Subscribe for {amount} (status "
            f"{html.escape(session['status'])}).</p><form method='post'>"
            f"<button>Pay (test mode)</button></form><p><a href='{cancel}'>Cancel</a></p>"
        )

    async def portal(self, request: Request) -> Response:
        session = self.fake.state.portal_sessions.get(_id(request))
        if session is None:
            return HTMLResponse("<h1>Portal session not found</h1>", 404)
        back = html.escape(session["return_url"] or "/")
        return HTMLResponse(
            f"<h1>Fake Stripe Customer Portal</h1><p>Customer {html.escape(session['customer'])}"
            f"</p><p><a href='{back}'>Return</a></p>"
        )
