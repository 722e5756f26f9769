"""Graph API errors as Meta renders them, and the catalogue of the WhatsApp codes the fake knows.

Every error travels in Graph's envelope ``{"error": {message, type, code, error_subcode?,
error_data?, fbtrace_id}}``. WhatsApp errors put their title in ``message`` as
``"(#<code>) <title>"`` and their explanation in ``error_data.details``; the HTTP statuses
are the ones of Meta's error-code table.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

# Meta links every webhook error to its code reference.
ERROR_CODES_URL = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"


@dataclass(frozen=True)
class ErrorSpec:
    http_status: int
    title: str
    details: str
    type: str = "OAuthException"
    subcode: int | None = None


# Titles, details and HTTP statuses follow Meta's "WhatsApp error codes" table.
CATALOGUE: dict[int, ErrorSpec] = {
    1: ErrorSpec(500, "An unknown error occurred", "Invalid request or possible server error."),
    2: ErrorSpec(503, "Service temporarily unavailable", "Temporary due to downtime or overload."),
    4: ErrorSpec(400, "Application request limit reached", "The app reached its call limit."),
    100: ErrorSpec(400, "Invalid parameter", "The request included an unsupported parameter."),
    190: ErrorSpec(
        401,
        "Error validating access token: Session has expired",
        "The access token has expired.",
        subcode=463,
    ),
    80007: ErrorSpec(
        400, "Rate limit issues", "The WhatsApp Business Account has reached its rate limit."
    ),
    130429: ErrorSpec(400, "Rate limit hit", "Cloud API message throughput has been reached."),
    131000: ErrorSpec(
        500, "Something went wrong", "Message failed to send due to an unknown error."
    ),
    131008: ErrorSpec(400, "Required parameter is missing", "The request is missing a parameter."),
    131009: ErrorSpec(400, "Parameter value is not valid", "A parameter value is not valid."),
    131016: ErrorSpec(503, "Service unavailable", "A service is temporarily unavailable."),
    131026: ErrorSpec(
        400,
        "Message Undeliverable",
        "Message failed to send because the recipient is not on WhatsApp, has not accepted "
        "the latest terms, or uses an old WhatsApp version.",
    ),
    131047: ErrorSpec(
        400,
        "Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer "
        "last replied to this number.",
    ),
    131048: ErrorSpec(
        400,
        "Spam rate limit hit",
        "Message failed to send because there are restrictions on how many messages can be "
        "sent from this phone number.",
    ),
    131051: ErrorSpec(400, "Unsupported message type", "Unsupported message type."),
    131056: ErrorSpec(
        400,
        "(Business Account, Consumer Account) pair rate limit hit",
        "Message failed to send because there were too many messages sent from this phone "
        "number to the same phone number in a short period of time.",
    ),
    132000: ErrorSpec(
        400,
        "Number of parameters does not match the expected number of params",
        "The number of parameters does not match the template.",
    ),
    132001: ErrorSpec(
        404,
        "Template name does not exist in the translation",
        "The template does not exist in the language or has not been approved.",
    ),
}


def trace_id() -> str:
    """An ``fbtrace_id``-looking value: 23 characters of base64."""
    return secrets.token_urlsafe(17)[:23]


class GraphError(Exception):
    """An error the fake answers with, in Graph's envelope."""

    def __init__(
        self,
        http_status: int,
        code: int,
        message: str,
        *,
        type: str = "OAuthException",
        details: str | None = None,
        subcode: int | None = None,
        user_title: str | None = None,
        user_msg: str | None = None,
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.code = code
        self.message = message
        self.type = type
        self.details = details
        self.subcode = subcode
        self.user_title = user_title
        self.user_msg = user_msg

    @property
    def title(self) -> str:
        return self.message.removeprefix(f"(#{self.code}) ")

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.type, "code": self.code}
        if self.details is not None:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.user_title is not None:
            error["is_transient"] = False
            error["error_user_title"] = self.user_title
            error["error_user_msg"] = self.user_msg or ""
        error["fbtrace_id"] = trace_id()
        return {"error": error}

    def webhook_error(self) -> dict[str, Any]:
        """The same error as an ``errors[]`` item of a ``failed`` status webhook."""
        return {
            "code": self.code,
            "title": self.title,
            "message": self.title,
            "error_data": {"details": self.details or self.title},
            "href": ERROR_CODES_URL,
        }


def catalogued(code: int, details: str | None = None) -> GraphError:
    """The error ``code`` of the catalogue; unknown codes render as a generic 400."""
    spec = CATALOGUE.get(code) or ErrorSpec(400, f"Error {code}", f"Scripted error {code}.")
    return GraphError(
        spec.http_status,
        code,
        f"(#{code}) {spec.title}" if code not in (1, 2, 190) else spec.title,
        type=spec.type,
        details=details or spec.details,
        subcode=spec.subcode,
    )


def invalid_parameter(details: str) -> GraphError:
    return GraphError(400, 100, "(#100) Invalid parameter", details=details)


def invalid_token() -> GraphError:
    return GraphError(401, 190, "Invalid OAuth access token - Cannot parse access token")


def unsupported_request(method: str, object_id: str) -> GraphError:
    """Graph's answer for an object that does not exist or that the token may not reach."""
    return GraphError(
        400,
        100,
        f"Unsupported {method.lower()} request. Object with ID '{object_id}' does not exist, "
        "cannot be loaded due to missing permissions, or does not support this operation. "
        "Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        type="GraphMethodException",
        subcode=33,
    )


def unknown_path(path: str) -> GraphError:
    return GraphError(400, 2500, f"Unknown path components: {path}")


def template_exists(language: str) -> GraphError:
    return GraphError(
        400,
        100,
        "Invalid parameter",
        subcode=2388024,
        user_title="Content in this language already exists",
        user_msg=f"Content for {language} already exists. Try adding a different language "
        "or editing the existing content.",
    )
