"""Signed webhook POSTs to the app's callback URL, retried with backoff, all recorded.

Meta signs the exact raw body with the app secret (``X-Hub-Signature-256: sha256=<hex>``);
the fake does the same, so a receiver that re-serialises JSON before checking fails here
as it would in production.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
from typing import Any

import httpx
import structlog

from gateway.fakes.graph.state import GraphState, Notification

log = structlog.get_logger(__name__)


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Notifier:
    def __init__(
        self,
        state: GraphState,
        client: httpx.AsyncClient | None,
        *,
        attempts: int = 4,
        backoff: float = 0.05,
    ) -> None:
        self.state = state
        self._client = client
        self._owns_client = client is None
        self.attempts = attempts
        self.backoff = backoff
        # A secret to sign with instead of the app's, so a test can check that the receiver
        # refuses a bad signature.
        self.sign_with: str | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=5.0)
        return self._client

    async def deliver(self, app_secret: str, payload: dict[str, Any]) -> Notification:
        """POST ``payload`` to the app's webhook URL until it answers 2xx or attempts run out."""
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        url = self.state.webhook_urls.get(app_secret)
        notification = Notification(
            url, payload, body, signature(body, self.sign_with or app_secret)
        )
        self.state.notifications.append(notification)
        if url is None:
            return notification  # recorded for the test to read; nowhere to send it
        headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": notification.signature,
        }
        for attempt in range(self.attempts):
            if attempt:
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = await self.client.post(url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                notification.attempts.append(type(exc).__name__)
                continue
            notification.attempts.append(response.status_code)
            if response.is_success:
                return notification
        log.warning("fake_graph.notification.undelivered", url=url, attempts=notification.attempts)
        return notification

    async def verify(self, url: str, verify_token: str) -> dict[str, Any]:
        """Meta's subscription handshake: the endpoint must echo ``hub.challenge``."""
        challenge = str(secrets.randbelow(10**9) + 10**9)
        params = {
            "hub.mode": "subscribe",
            "hub.challenge": challenge,
            "hub.verify_token": verify_token,
        }
        try:
            response = await self.client.get(url, params=params)
        except httpx.HTTPError as exc:
            return {"success": False, "challenge": challenge, "error": type(exc).__name__}
        return {
            "success": response.status_code == 200 and response.text == challenge,
            "status": response.status_code,
            "challenge": challenge,
            "body": response.text[:200],
        }

    async def aclose(self) -> None:
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None
