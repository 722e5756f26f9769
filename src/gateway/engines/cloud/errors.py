"""Graph API errors mapped to what the gateway does with a message: retry it, fail it with
one of our codes, or fail the session. The Graph code is kept beside ours
(``error.engine_code``), and Meta's own words never carry a token.

One table serves both ways Meta reports an error: the answer to the send (``GraphError``)
and a ``failed`` status in a webhook notification (``errors[0]``). The table is also the
documentation (``docs/cloud.md`` shows it; a test keeps them equal).
"""

from __future__ import annotations

from dataclasses import dataclass

# How long to wait before trying again, by kind of limit: the number's throughput (Meta
# counts per second), the business account's (per hour), and one recipient's (Meta allows
# roughly one message every six seconds to the same user).
THROUGHPUT_RETRY_SECONDS = 2.0
ACCOUNT_RETRY_SECONDS = 60.0
PAIR_RETRY_SECONDS = 10.0
UNAVAILABLE_RETRY_SECONDS = 5.0


@dataclass(frozen=True)
class Mapped:
    """What a Graph error means for the message (and, when ``session_reason``, for the
    session: it cannot send anything until someone fixes its number)."""

    code: str
    transient: bool
    retry_after: float | None = None
    session_reason: str | None = None
    describe: str = ""


# Graph code → our outcome. Codes not listed: a 5xx is retried, anything else fails the
# message with ``engine_rejected``.
GRAPH_ERRORS: dict[int, Mapped] = {
    130429: Mapped("rate_limited", True, THROUGHPUT_RETRY_SECONDS,
                   describe="The number's message throughput was reached."),
    80007: Mapped("rate_limited", True, ACCOUNT_RETRY_SECONDS,
                  describe="The WhatsApp Business Account's rate limit was reached."),
    4: Mapped("rate_limited", True, ACCOUNT_RETRY_SECONDS,
              describe="The app's API call limit was reached."),
    131056: Mapped("recipient_rate_limited", True, PAIR_RETRY_SECONDS,
                   describe="Too many messages to this recipient in a short time."),
    131047: Mapped("outside_customer_service_window", False,
                   describe="More than 24 hours since the customer last wrote: send a template."),
    131026: Mapped("undeliverable", False,
                   describe="WhatsApp could not deliver the message (not a WhatsApp user, "
                   "an old app version, or the recipient has not accepted the terms)."),
    131051: Mapped("unsupported_message_type", False,
                   describe="WhatsApp does not support this message type here."),
    100: Mapped("invalid_parameter", False, describe="A parameter was invalid."),
    131008: Mapped("invalid_parameter", False, describe="A required parameter is missing."),
    131009: Mapped("invalid_parameter", False, describe="A parameter value is not valid."),
    131053: Mapped("media_upload_failed", False, describe="Meta could not use the file."),
    132000: Mapped("template_parameters_mismatch", False,
                   describe="The template's parameters do not match its placeholders."),
    132001: Mapped("template_not_found", False,
                   describe="No approved template with this name and language."),
    131000: Mapped("engine_unavailable", True, UNAVAILABLE_RETRY_SECONDS,
                   describe="Something went wrong at Meta: retried."),
    1: Mapped("engine_unavailable", True, UNAVAILABLE_RETRY_SECONDS,
              describe="Graph API unknown error: retried."),
    2: Mapped("engine_unavailable", True, UNAVAILABLE_RETRY_SECONDS,
              describe="Graph API service temporarily unavailable: retried."),
    190: Mapped("access_token_invalid", True, session_reason="access_token_invalid",
                describe="The access token expired or was revoked: the session FAILs; the "
                "message waits for the session to be fixed."),
    131031: Mapped("account_locked", True, session_reason="account_locked",
                   describe="The business account is locked: the session FAILs."),
    133010: Mapped("phone_number_not_registered", True,
                   session_reason="phone_number_not_registered",
                   describe="The number is not registered with the Cloud API: the session "
                   "FAILs."),
}  # fmt: skip

UNAVAILABLE = Mapped(
    "engine_unavailable", True, UNAVAILABLE_RETRY_SECONDS, describe="Graph did not answer."
)
REJECTED = Mapped("engine_rejected", False, describe="Graph refused the message.")


def mapped(code: int | None, http_status: int | None = None) -> Mapped:
    """Our outcome for Graph ``code`` (answered with ``http_status``, when known)."""
    if code is not None and code in GRAPH_ERRORS:
        return GRAPH_ERRORS[code]
    if http_status is not None and http_status >= 500:
        return UNAVAILABLE
    if http_status == 401:
        return GRAPH_ERRORS[190]
    return REJECTED


def failure_message(code: int | None, message: str, details: str | None) -> str:
    """What a message's ``error.message`` says: Meta's words (they name the parameter in
    ``details``), with the Graph code, within the column's size."""
    text = details or message
    if details and message and details not in message:
        text = f"{message}: {details}"
    prefix = f"Graph error {code}: " if code is not None else ""
    return (prefix + text)[:480]
