"""The outermost layer of every request: request id, response headers gathered during the
request (rate limits), the body size limit, the access log, and the last-resort 500."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import orjson
import structlog
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.kit.errors import envelope
from gateway.kit.ids import new_id

log = structlog.get_logger("gateway.http")

REQUEST_ID_HEADER = b"request-id"


class RequestTooLarge(HTTPException):
    """Raised while the body is read; an ``HTTPException`` so FastAPI's body parsing lets it
    through unchanged and the envelope handler renders it."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Request body exceeds the limit of {limit} bytes.")


def response_headers(scope: Scope) -> dict[str, str]:
    """Headers any layer may add to the response of the current request."""
    state: dict[str, Any] = scope.setdefault("state", {})
    headers: dict[str, str] = state.setdefault("response_headers", {})
    return headers


class RequestContextMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        body_limits: Mapping[tuple[str, str], int] | None = None,
    ) -> None:
        """``body_limits`` maps ``(method, path prefix)`` to a limit replacing
        ``max_body_bytes`` (file uploads); the longest matching prefix wins."""
        self.app = app
        self.max_body_bytes = max_body_bytes
        # Longest prefix first, so the first match is the most specific one.
        self.body_limits = sorted(
            (body_limits or {}).items(), key=lambda item: len(item[0][1]), reverse=True
        )

    def body_limit(self, scope: Scope) -> int:
        method, path = scope.get("method"), scope.get("path", "")
        for (limit_method, prefix), limit in self.body_limits:
            if method == limit_method and path.startswith(prefix):
                return limit
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_id("req")
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        extra_headers = response_headers(scope)
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500
        response_started = False

        max_body_bytes = self.body_limit(scope)
        declared = _content_length(scope)
        if declared is not None and declared > max_body_bytes:
            await send_error(
                send, 413, "invalid_request_error", "request_too_large",
                f"Request body exceeds the limit of {max_body_bytes} bytes.", request_id,
            )  # fmt: skip
            self._log(scope, 413, started)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_body_bytes:
                    raise RequestTooLarge(max_body_bytes)
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER, request_id.encode()))
                headers.extend((k.lower().encode(), v.encode()) for k, v in extra_headers.items())
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except Exception:
            log.exception("http.unhandled_exception", path=scope.get("path"))
            if response_started:
                raise
            status = 500
            await send_error(
                send, 500, "api_error", "internal_error",
                "Something went wrong on our side. Quote the request id if you contact us.",
                request_id,
            )  # fmt: skip
        finally:
            self._log(scope, status, started)
            structlog.contextvars.unbind_contextvars("request_id")

    @staticmethod
    def _log(scope: Scope, status: int, started: float) -> None:
        log.info(
            "http.request",
            method=scope.get("method"),
            path=scope.get("path"),
            status=status,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def send_error(
    send: Send,
    status: int,
    type_: str,
    code: str,
    message: str,
    request_id: str,
    param: str | None = None,
    *,
    request_id_header: bool = True,
) -> None:
    """Answer with the error envelope, from a layer outside the app's exception handlers
    (``request_id_header=False`` inside this middleware, which adds the header itself)."""
    body = orjson.dumps(
        envelope(type=type_, code=code, message=message, param=param, request_id=request_id)
    )
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if request_id_header:
        headers.append((REQUEST_ID_HEADER, request_id.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
