"""What no live gateway answers but a proxy in front of one may: a page that is not the
envelope, a Retry-After as a date. Plain answers built here; nothing is sent."""

from __future__ import annotations

import email.utils
import time

import httpx

from gateway_sdk import (
    APIError,
    EngineError,
    GatewayError,
    InvalidRequestError,
    RateLimitError,
    RetryPolicy,
)
from gateway_sdk._errors import error_from_response, retry_after_seconds


def test_an_answer_that_is_not_the_envelope_is_typed_by_its_status() -> None:
    page = httpx.Response(502, text="<html>Bad Gateway</html>", headers={"request-id": "req_1"})
    error = error_from_response(page)
    assert isinstance(error, EngineError)
    assert isinstance(error, APIError)
    assert error.code == "http_502"
    assert error.message == "<html>Bad Gateway</html>"
    assert error.request_id == "req_1"
    teapot = error_from_response(httpx.Response(418, content=b""))
    assert type(teapot) is InvalidRequestError
    assert "418" in teapot.message


def test_an_unknown_error_type_is_a_plain_gateway_error() -> None:
    body = {"error": {"type": "brand_new_error", "code": "x", "message": "m", "param": None}}
    error = error_from_response(httpx.Response(400, json=body))
    assert type(error) is GatewayError
    assert error.type == "brand_new_error"


def test_retry_after_is_read_in_seconds_or_as_a_date() -> None:
    assert retry_after_seconds(httpx.Headers({"retry-after": "3"})) == 3
    assert retry_after_seconds(httpx.Headers({"retry-after": "-1"})) == 0
    assert retry_after_seconds(httpx.Headers({"retry-after": "soon"})) is None
    assert retry_after_seconds(httpx.Headers()) is None
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)
    seconds = retry_after_seconds(httpx.Headers({"retry-after": in_a_minute}))
    assert seconds is not None
    assert 55 <= seconds <= 60
    limited = {"error": {"type": "rate_limit_error", "code": "rate_limit_exceeded", "message": ""}}
    error = error_from_response(httpx.Response(429, json=limited, headers={"retry-after": "2"}))
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 2


def test_the_backoff_doubles_within_jitter_and_is_capped() -> None:
    policy = RetryPolicy()
    for retry, step in enumerate([0.5, 1, 2, 4, 8, 8]):
        for _ in range(20):
            assert step / 2 <= policy.backoff(retry) <= step
    too_long = httpx.Response(503, headers={"retry-after": "3600"})
    assert policy.delay_before_retry(too_long, 0) is None, "an hour is not waited for"
    asked = policy.delay_before_retry(httpx.Response(503, headers={"retry-after": "1"}), 0)
    assert asked is not None
    assert 1 <= asked <= 1.1
    assert policy.delay_before_retry(httpx.Response(503), policy.max_retries) is None
    assert policy.delay_before_retry(httpx.Response(400), 0) is None
