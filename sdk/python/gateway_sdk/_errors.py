"""Typed errors.

Every error answer of the gateway has one envelope, ``{"error": {"type", "code", "message",
"param", "request_id", "doc_url"}}``; the SDK raises it as a `GatewayError` of the subclass
its ``type`` names. Branch on ``code``: ``message`` is for people and may change.
"""

from __future__ import annotations

import json
import time
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

__all__ = [
    "APIError",
    "AuthenticationError",
    "ConflictError",
    "EngineError",
    "GatewayConnectionError",
    "GatewayError",
    "IdempotencyError",
    "InvalidRequestError",
    "NotFoundError",
    "PermissionError",
    "RateLimitError",
    "error_from_response",
    "retry_after_seconds",
]


class GatewayError(Exception):
    """An error answer of the gateway (status 400 or above)."""

    def __init__(
        self,
        status: int,
        type: str,
        code: str,
        message: str,
        *,
        param: str | None = None,
        request_id: str | None = None,
        doc_url: str | None = None,
        headers: httpx.Headers | None = None,
    ) -> None:
        super().__init__(message)
        #: The HTTP status of the answer.
        self.status = status
        #: ``invalid_request_error``, ``authentication_error``, ``rate_limit_error``, …
        self.type = type
        #: What went wrong, for programs: ``resource_missing``, ``parameter_invalid``, …
        self.code = code
        self.message = message
        #: The offending parameter as a dotted path (``scopes.messages``), when there is one.
        self.param = param
        #: The answer's ``Request-Id``: quote it when asking about a failed call.
        self.request_id = request_id
        self.doc_url = doc_url
        self.headers = headers if headers is not None else httpx.Headers()

    def __str__(self) -> str:
        where = f" (param: {self.param})" if self.param else ""
        request = f" [{self.request_id}]" if self.request_id else ""
        return f"{self.status} {self.code}: {self.message}{where}{request}"


class InvalidRequestError(GatewayError):
    """A request the gateway refused as it stands (400, 402, 404, 409, 413, 422, 501)."""


class NotFoundError(InvalidRequestError):
    """The object named in the path does not exist, or the key cannot see it (404)."""


class ConflictError(InvalidRequestError):
    """The object is not in a state that allows the call (409), e.g. ``session_not_ready``."""


class AuthenticationError(GatewayError):
    """A missing, malformed, unknown or revoked key (401)."""


# Shadows the builtin inside this module only; the name mirrors the TypeScript SDK.
class PermissionError(GatewayError):
    """The key lacks the scope or the mode the call needs (403)."""


class RateLimitError(GatewayError):
    """Too many requests for the key's rate limit (429), after the SDK's own retries."""

    @property
    def retry_after(self) -> float | None:
        """Seconds the gateway asked to wait (``Retry-After``), when it said."""
        return retry_after_seconds(self.headers)


class IdempotencyError(GatewayError):
    """An ``Idempotency-Key`` reused for another request (422) or still in flight (409)."""


class APIError(GatewayError):
    """The gateway failed (500); details are in its logs under `request_id`."""


class EngineError(APIError):
    """The WhatsApp side failed, timed out or is not connected (502, 503, 504)."""


class GatewayConnectionError(Exception):
    """The gateway could not be reached, or did not answer in time, after the retries."""


_CLASSES_BY_TYPE: dict[str, type[GatewayError]] = {
    "invalid_request_error": InvalidRequestError,
    "authentication_error": AuthenticationError,
    "permission_error": PermissionError,
    "rate_limit_error": RateLimitError,
    "idempotency_error": IdempotencyError,
    "engine_error": EngineError,
    "api_error": APIError,
}

# What an answer that is not the envelope (a proxy's HTML page, say) is taken for.
_TYPES_BY_STATUS = {
    401: "authentication_error",
    403: "permission_error",
    429: "rate_limit_error",
    500: "api_error",
    502: "engine_error",
    503: "engine_error",
    504: "engine_error",
}


def error_from_response(response: httpx.Response) -> GatewayError:
    """The typed error for an error answer whose body has been read."""
    status = response.status_code
    details = _envelope(response.content)
    if details is None:
        fallback = "api_error" if status >= 500 else "invalid_request_error"
        text = response.text.strip()
        details = {
            "type": _TYPES_BY_STATUS.get(status, fallback),
            "code": f"http_{status}",
            "message": (text[:200] + "…" if len(text) > 200 else text)
            or f"HTTP {status} {response.reason_phrase}".strip(),
        }
    kind = _CLASSES_BY_TYPE.get(details["type"], GatewayError)
    if kind is InvalidRequestError and status == 404:
        kind = NotFoundError
    elif kind is InvalidRequestError and status == 409:
        kind = ConflictError
    return kind(
        status,
        details["type"],
        details["code"],
        details["message"],
        param=_text(details.get("param")),
        request_id=_text(details.get("request_id")) or response.headers.get("request-id"),
        doc_url=_text(details.get("doc_url")),
        headers=response.headers,
    )


def _envelope(content: bytes) -> dict[str, Any] | None:
    try:
        body = json.loads(content)
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None
    if not all(isinstance(error.get(name), str) for name in ("type", "code", "message")):
        return None
    return error


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def retry_after_seconds(headers: httpx.Headers) -> float | None:
    """``Retry-After`` in seconds (either form the header may take), or None."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
