"""The transports every call of a client goes through.

One logical call may be several attempts, and a POST carries one ``Idempotency-Key``
across all of them, so the gateway runs it once however many attempts reach it. Being
httpx transports, they serve the generated functions too: ``api.sessions.create_session
.sync(client=gw.raw, …)`` is retried exactly like ``gw.sessions.create_session(…)``.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from dataclasses import dataclass

import anyio
import httpx

from ._errors import GatewayConnectionError, error_from_response, retry_after_seconds

__all__ = ["AsyncRetryTransport", "RetryPolicy", "RetryTransport"]

# Statuses that say "try again later" rather than "this request is wrong".
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    #: Retries after the first attempt (so ``max_retries + 1`` attempts at most).
    max_retries: int = 2
    #: First backoff in seconds, doubled at each retry up to ``max_delay``.
    initial_delay: float = 0.5
    max_delay: float = 8.0
    #: A ``Retry-After`` longer than this (seconds) is not waited for: the error is raised.
    max_retry_after: float = 60.0

    def backoff(self, retry: int) -> float:
        """Exponential backoff with jitter: a random time in the upper half of the step."""
        step: float = min(self.max_delay, self.initial_delay * 2.0**retry)
        return step / 2 + random.random() * step / 2  # noqa: S311 - jitter, not a secret

    def delay_before_retry(self, response: httpx.Response, retry: int) -> float | None:
        """Seconds to wait before another attempt after ``response``, or None for none."""
        if retry >= self.max_retries or not _is_retryable(response):
            return None
        retry_after = retry_after_seconds(response.headers)
        if retry_after is None:
            return self.backoff(retry)
        if retry_after > self.max_retry_after:
            return None
        # Never earlier than asked; a little later at random, so that clients told the same
        # moment do not all come back at once.
        return retry_after + random.random() * 0.1  # noqa: S311


def _is_retryable(response: httpx.Response) -> bool:
    if response.status_code in RETRYABLE_STATUSES:
        return True
    # The same key while its first attempt still runs (one that timed out here but not at
    # the gateway, say): a moment later the retry gets that attempt's stored answer.
    if response.status_code == 409:
        try:
            code = json.loads(response.content)["error"]["code"]
        except (ValueError, KeyError, TypeError):
            return False
        return bool(code == "idempotency_key_in_use")
    return False


def _add_idempotency_key(request: httpx.Request) -> None:
    if request.method == "POST" and "idempotency-key" not in request.headers:
        request.headers["Idempotency-Key"] = str(uuid.uuid4())


def _unreachable(request: httpx.Request, error: httpx.TransportError) -> GatewayConnectionError:
    return GatewayConnectionError(
        f"Could not reach the gateway at {request.url.scheme}://{request.url.netloc.decode()}:"
        f" {type(error).__name__}: {error}"
    )


class RetryTransport(httpx.BaseTransport):
    """Adds idempotency keys to POSTs and retries network errors, 429 and 502-504."""

    def __init__(self, wrapped: httpx.BaseTransport, policy: RetryPolicy) -> None:
        self.wrapped = wrapped
        self.policy = policy

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        _add_idempotency_key(request)
        request.read()  # every attempt sends the same bytes, a multipart upload included
        retry = 0
        while True:
            try:
                response = self.wrapped.handle_request(request)
            except httpx.TransportError as error:
                if retry >= self.policy.max_retries:
                    raise _unreachable(request, error) from error
                time.sleep(self.policy.backoff(retry))
                retry += 1
                continue
            if response.status_code == 409:
                response.read()
            delay = self.policy.delay_before_retry(response, retry)
            if delay is None:
                return response
            response.close()
            time.sleep(delay)
            retry += 1

    def close(self) -> None:
        self.wrapped.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """`RetryTransport` for an ``httpx.AsyncClient``."""

    def __init__(self, wrapped: httpx.AsyncBaseTransport, policy: RetryPolicy) -> None:
        self.wrapped = wrapped
        self.policy = policy

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        _add_idempotency_key(request)
        await request.aread()
        retry = 0
        while True:
            try:
                response = await self.wrapped.handle_async_request(request)
            except httpx.TransportError as error:
                if retry >= self.policy.max_retries:
                    raise _unreachable(request, error) from error
                await anyio.sleep(self.policy.backoff(retry))
                retry += 1
                continue
            if response.status_code == 409:
                await response.aread()
            delay = self.policy.delay_before_retry(response, retry)
            if delay is None:
                return response
            await response.aclose()
            await anyio.sleep(delay)
            retry += 1

    async def aclose(self) -> None:
        await self.wrapped.aclose()


def raise_for_error(response: httpx.Response) -> None:
    """Response hook: an error answer becomes its typed `GatewayError`."""
    if response.status_code >= 400:
        response.read()
        raise error_from_response(response)


async def araise_for_error(response: httpx.Response) -> None:
    """`raise_for_error` for an ``httpx.AsyncClient``."""
    if response.status_code >= 400:
        await response.aread()
        raise error_from_response(response)
