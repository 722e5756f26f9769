"""Events POSTed to the webhook endpoint, signed as Stripe signs them.

``Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the
endpoint's whsec_ secret>``. The body is the exact bytes signed, so a receiver that
re-serialises the JSON before checking fails here as it would against Stripe.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from typing import Any

import httpx
import structlog

from gateway.fakes.stripe.state import Delivery, StripeState

log = structlog.get_logger(__name__)

# How far back a stale signature is dated: past the libraries' default 300 s tolerance.
STALE_SECONDS = 600


def sign(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header for ``body``, as Stripe computes it."""
    t = int(time.time()) if timestamp is None else timestamp
    signed = f"{t}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def encode(event: dict[str, Any]) -> bytes:
    # Stripe sends pretty-printed JSON; the indentation is part of what is signed.
    return json.dumps(event, indent=2).encode()


class Deliverer:
    def __init__(
        self,
        state: StripeState,
        client: httpx.AsyncClient | None,
        *,
        attempts: int = 3,
        backoff: float = 0.05,
    ) -> None:
        self.state = state
        self._client = client
        self._owns_client = client is None
        self.attempts = attempts
        self.backoff = backoff

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=10.0)
        return self._client

    async def deliver(
        self,
        event: dict[str, Any],
        url: str | None,
        secret: str,
        *,
        signature: str = "valid",
    ) -> Delivery:
        """POST ``event`` to ``url`` until it answers 2xx or attempts run out.

        ``signature``: ``valid``, ``bad`` (signed with another secret) or ``stale`` (a valid
        HMAC over a timestamp older than the tolerance).
        """
        body = encode(event)
        if signature == "bad":
            header = sign(body, secret + "_not_the_secret")
        elif signature == "stale":
            header = sign(body, secret, int(time.time()) - STALE_SECONDS)
        else:
            header = sign(body, secret)
        delivery = Delivery(event["id"], event["type"], url, body, header)
        self.state.deliveries.append(delivery)
        if url is None:
            return delivery
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": header,
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        }
        for attempt in range(self.attempts):
            if attempt:
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = await self.client.post(url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                delivery.attempts.append(type(exc).__name__)
                continue
            delivery.attempts.append(response.status_code)
            if response.is_success or signature != "valid":
                return delivery  # a refused forgery is the expected outcome, not retried
        log.warning(
            "fake_stripe.event.undelivered",
            event_id=event["id"],
            url=url,
            attempts=delivery.attempts,
        )
        return delivery

    async def aclose(self) -> None:
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None
