"""The error envelope: every error the API returns has this one shape.

``{"error": {"type", "code", "message", "param", "request_id", "doc_url"?}}``
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field


class GatewayError(Exception):
    """Base of every error a service raises; one handler renders it as the envelope."""

    status_code: int = 400
    type: str = "invalid_request_error"
    code: str = "invalid_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        status_code: int | None = None,
        type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code
        if type is not None:
            self.type = type
        self.param = param
        self.headers = dict(headers or {})


class InvalidRequest(GatewayError):
    status_code = 422
    code = "parameter_invalid"


class NotFound(GatewayError):
    status_code = 404
    code = "resource_missing"

    def __init__(self, kind: str, object_id: str, *, param: str = "id") -> None:
        super().__init__(f"No such {kind}: '{object_id}'", param=param)


class Conflict(GatewayError):
    status_code = 409
    code = "conflict"


class AuthenticationFailed(GatewayError):
    status_code = 401
    type = "authentication_error"
    code = "invalid_api_key"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message, code=code, headers={"WWW-Authenticate": 'Bearer realm="gateway"'})


class PermissionDenied(GatewayError):
    status_code = 403
    type = "permission_error"
    code = "insufficient_scope"


class ApiKeyExpired(AuthenticationFailed):
    """A key used after its ``expires_at``."""

    code = "api_key_expired"


class IpNotAllowed(PermissionDenied):
    """A key used from an address outside its ``allowed_ips``."""

    code = "ip_not_allowed"


class RateLimited(GatewayError):
    status_code = 429
    type = "rate_limit_error"
    code = "rate_limit_exceeded"


class IdempotencyError(GatewayError):
    type = "idempotency_error"


class PayloadTooLarge(GatewayError):
    """A body over a route's size limit (the same code the body-limit middleware gives)."""

    status_code = 413
    code = "request_too_large"


class InvalidJson(GatewayError):
    """A body read raw (a signed webhook) that is not the JSON it must be; FastAPI's own
    parse errors get the same code and status from the handlers."""

    status_code = 422
    code = "invalid_json"


class InvalidForm(GatewayError):
    """A multipart (or URL-encoded) body the form parser refuses: too many parts, files or
    fields, no boundary, a part cut short."""

    status_code = 400
    code = "invalid_form"


class ServiceUnavailable(GatewayError):
    status_code = 503
    type = "api_error"
    code = "service_unavailable"


class ErrorBody(BaseModel):
    type: str = Field(examples=["invalid_request_error"])
    code: str = Field(examples=["parameter_invalid"])
    message: str
    param: str | None = None
    request_id: str | None = Field(default=None, examples=["req_01J9Z3YQ7T8X4M2N6P0R5S1V3W"])
    doc_url: str | None = None


class ErrorEnvelope(BaseModel):
    """What every non-2xx response carries."""

    error: ErrorBody


def envelope(
    *,
    type: str,
    code: str,
    message: str,
    param: str | None = None,
    request_id: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": type,
        "code": code,
        "message": message,
        "param": param,
        "request_id": request_id,
    }
    return {"error": body}


def error_envelope(error: GatewayError, request_id: str | None) -> dict[str, Any]:
    return envelope(
        type=error.type,
        code=error.code,
        message=error.message,
        param=error.param,
        request_id=request_id,
    )


# What the gateway can answer to every request of a kind, whatever its route: the OpenAPI
# builder (kit/openapi.py) declares each on every operation of that kind, with the envelope.
AUTHENTICATION_FAILED = (
    "Missing, malformed, unknown, revoked or expired (`api_key_expired`) API key (or admin token)."
)
PERMISSION_DENIED = (
    "The key lacks the scope this operation needs, or is used from an address outside its "
    "`allowed_ips` (`ip_not_allowed`)."
)
NOT_FOUND = "No such object (or it belongs to another account)."
PARAMETER_INVALID = (
    "A parameter is missing or invalid; `param` names it. A NUL character or bytes that are "
    "not UTF-8 are refused in any parameter, path, query or body."
)
RATE_LIMITED = "Rate limit exceeded; see `Retry-After`."
IDEMPOTENCY_KEY_IN_USE = (
    "A request with the same `Idempotency-Key` is still being processed "
    "(`idempotency_key_in_use`); retry later."
)
REQUEST_TOO_LARGE = "The body exceeds the size limit (`request_too_large`)."
FORM_INVALID = (
    "The form could not be parsed (`invalid_form`): too many parts, files or fields, no "
    "boundary, a part cut short."
)

# Documented on every operation, so SDKs and the playground know the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": description}
    for status, description in {
        401: AUTHENTICATION_FAILED,
        403: PERMISSION_DENIED,
        404: NOT_FOUND,
        422: PARAMETER_INVALID,
        429: RATE_LIMITED,
    }.items()
}

# Documented on operations that ask the engine running the session and wait for it.
ENGINE_RESPONSES: dict[int | str, dict[str, str]] = {
    409: {"description": "The session is not WORKING (`session_not_ready`)."},
    501: {"description": "The session's engine cannot do this (`engine_unsupported`)."},
    502: {"description": "WhatsApp failed or did not answer (`engine_error`)."},
}
