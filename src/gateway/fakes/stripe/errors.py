"""Stripe's error envelope and the errors the fake answers, worded as Stripe words them.

``{"error": {"type", "code", "message", "param", "doc_url", "request_log_url"}}``: the real
library reads ``type``, ``code`` and the HTTP status to pick its exception (400/404 →
``InvalidRequestError``, ``idempotency_error`` → ``IdempotencyError``, 401 →
``AuthenticationError``).
"""

from __future__ import annotations

from typing import Any

DOCS = "https://docs.stripe.com/error-codes"


class StripeError(Exception):
    """An error answered in Stripe's envelope.

    ``saved`` says whether an idempotent replay answers it again: Stripe keeps a result only
    once the endpoint started running, so a request refused while its parameters are checked
    can be retried under the same key.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        saved: bool = True,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.saved = saved
        self.headers = headers or {}

    def body(self, request_id: str | None = None) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.type}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"{DOCS}#{self.code.replace('_', '-')}"
        if self.param is not None:
            error["param"] = self.param
        if request_id is not None:
            error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}?t=0"
        return {"error": error}


def no_api_key() -> StripeError:
    return StripeError(
        401,
        "You did not provide an API key. You need to provide your API key in the "
        "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
        "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, "
        "or we can help at https://support.stripe.com/.",
        saved=False,
    )


def invalid_api_key(key: str) -> StripeError:
    shown = key[:8] + "*" * max(0, len(key) - 12) + key[-4:] if len(key) > 12 else key
    return StripeError(401, f"Invalid API Key provided: {shown}", saved=False)


def unrecognized_url(method: str, path: str) -> StripeError:
    return StripeError(
        404,
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
        "or we can help at https://support.stripe.com/.",
        saved=False,
    )


def resource_missing(kind: str, object_id: str, param: str = "id") -> StripeError:
    return StripeError(404, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


def parameter_missing(param: str) -> StripeError:
    return StripeError(
        400,
        f"Missing required param: {param}.",
        code="parameter_missing",
        param=param,
        saved=False,
    )


def parameter_unknown(param: str) -> StripeError:
    return StripeError(
        400,
        f"Received unknown parameter: {param}",
        code="parameter_unknown",
        param=param,
        saved=False,
    )


def parameter_invalid_integer(param: str) -> StripeError:
    return StripeError(
        400,
        f"Invalid integer: {param}",
        code="parameter_invalid_integer",
        param=param,
        saved=False,
    )


def parameter_invalid_empty(param: str) -> StripeError:
    return StripeError(
        400,
        f"You passed an empty string for '{param}'. We assume empty values are an attempt "
        "to unset a parameter; however '{param}' cannot be unset. You should remove "
        f"'{param}' from your request or supply a non-empty value.".replace("{param}", param),
        code="parameter_invalid_empty",
        param=param,
        saved=False,
    )


def invalid_value(param: str, message: str) -> StripeError:
    """A value Stripe refuses without a specific code (a bad enum, a bad boolean)."""
    return StripeError(400, message, param=param, saved=False)


def invalid_request(message: str, param: str | None = None) -> StripeError:
    """A request that is well formed but that the object's state refuses."""
    return StripeError(400, message, param=param)


def idempotency_mismatch(key: str) -> StripeError:
    return StripeError(
        400,
        "Keys for idempotent requests can only be used with the same parameters they were "
        f"first used with. Try using a key other than '{key}' if you meant to execute a "
        "different request.",
        type="idempotency_error",
        saved=False,
    )


def idempotency_in_use(key: str) -> StripeError:
    return StripeError(
        409,
        f"There is currently another in-progress request using this Idempotent Key "
        f"(that probably means you submitted twice, and the other request is still going "
        f"through): {key}. Please try again later.",
        type="idempotency_error",
        code="idempotency_key_in_use",
        saved=False,
    )
