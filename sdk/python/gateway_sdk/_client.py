"""`Gateway` and `AsyncGateway`: every operation of the OpenAPI document as a method
(generated), on a client that authenticates, retries, adds idempotency keys and raises
typed errors.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, ParamSpec, Protocol, Self, TypeVar

import httpx

from ._generated.client import AuthenticatedClient
from ._generated.resources import AsyncResources, Resources
from ._transport import (
    AsyncRetryTransport,
    RetryPolicy,
    RetryTransport,
    araise_for_error,
    raise_for_error,
)

__all__ = ["DEFAULT_BASE_URL", "AsyncGateway", "Gateway", "Page"]

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
USER_AGENT = "gateway-sdk-python/0.1.0"


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


ItemT = TypeVar("ItemT", bound=_Identified)
ItemT_co = TypeVar("ItemT_co", bound=_Identified, covariant=True)
P = ParamSpec("P")


class Page(Protocol[ItemT_co]):
    """One page of any list endpoint: ``ListResponseEventOut``, ``ListResponseMessageOut``, …"""

    @property
    def data(self) -> Sequence[ItemT_co]: ...

    @property
    def has_more(self) -> bool: ...


class _Settings:
    """What both clients are built from, with the environment's defaults."""

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None,
        max_retries: int,
        timeout: float | httpx.Timeout,
        headers: Mapping[str, str] | None,
    ) -> None:
        api_key = api_key or os.environ.get("GATEWAY_API_KEY") or None
        if not api_key:
            raise ValueError("No API key: pass api_key=… or set GATEWAY_API_KEY.")
        self.api_key = api_key
        base_url = base_url or os.environ.get("GATEWAY_BASE_URL") or DEFAULT_BASE_URL
        self.base_url = base_url.rstrip("/")
        self.policy = RetryPolicy(max_retries=max_retries)
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        # Operations accept Bearer or X-Api-Key; one is enough.
        self.headers = {
            "User-Agent": USER_AGENT,
            **(headers or {}),
            "Authorization": f"Bearer {api_key}",
        }

    def generated_client(self) -> AuthenticatedClient:
        return AuthenticatedClient(
            base_url=self.base_url,
            token=self.api_key,
            timeout=self.timeout,
            raise_on_unexpected_status=True,
        )


def _next_query(
    query: dict[str, Any], items: Sequence[_Identified], has_more: bool, backwards: bool
) -> bool:
    """Move the cursor past ``items``; False when there is nothing more to fetch."""
    if not has_more or not items:
        return False
    query["ending_before" if backwards else "starting_after"] = items[-1].id
    return True


def _page_query(kwargs: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    query = {"limit": 100, **kwargs}
    return query, bool(query.get("ending_before"))


class Gateway(Resources):
    """A synchronous client::

        with Gateway(api_key="gw_test_…") as gw:
            session = gw.sessions.create_session(body=SessionCreate(name="support"))

    Methods are named by the document's ``operationId`` and grouped by tag; each answers
    with its success model and raises a `GatewayError` subclass on an error answer, or a
    `GatewayConnectionError` when the gateway could not be reached after the retries.
    ``raw`` is the generated ``AuthenticatedClient``, for the generated functions
    (``api.sessions.retrieve_session.sync_detailed(…, client=gw.raw)`` for the headers);
    they go through the same retries and errors.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        max_retries: int = 2,
        timeout: float | httpx.Timeout = 60.0,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """``api_key`` defaults to ``GATEWAY_API_KEY``, ``base_url`` (without ``/v1``) to
        ``GATEWAY_BASE_URL``, else http://127.0.0.1:8000. ``max_retries`` counts the
        attempts after the first; ``timeout`` (seconds) bounds each attempt. ``transport``
        is what the retries send through (default: httpx's own).
        """
        settings = _Settings(api_key, base_url, max_retries, timeout, headers)
        self.base_url = settings.base_url
        self.raw = settings.generated_client()
        self.raw.set_httpx_client(
            httpx.Client(
                base_url=settings.base_url,
                headers=settings.headers,
                timeout=settings.timeout,
                transport=RetryTransport(transport or httpx.HTTPTransport(), settings.policy),
                event_hooks={"response": [raise_for_error]},
            )
        )
        super().__init__(self.raw)

    def paginate(
        self, list_method: Callable[P, Page[ItemT]], *args: P.args, **kwargs: P.kwargs
    ) -> Iterator[ItemT]:
        """Every item of a list endpoint, fetching pages as the loop needs them::

            for event in gw.paginate(gw.events.list_events, session_id=session.id):
                ...

        Newest first, from the start or from ``starting_after``. With ``ending_before`` it
        walks the other way: from the cursor towards the newest, oldest first. ``limit`` is
        the page size (default 100 here).
        """
        fetch: Callable[..., Page[ItemT]] = list_method
        query, backwards = _page_query(kwargs)
        while True:
            page = fetch(*args, **query)
            # The gateway gives every page newest first; walking backwards, each page is
            # yielded oldest first so the items keep moving away from the cursor.
            items = list(reversed(page.data)) if backwards else list(page.data)
            yield from items
            if not _next_query(query, items, page.has_more, backwards):
                return

    def close(self) -> None:
        self.raw.get_httpx_client().close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncGateway(AsyncResources):
    """`Gateway` for asyncio (and trio)::

    async with AsyncGateway(api_key="gw_test_…") as gw:
        session = await gw.sessions.create_session(body=SessionCreate(name="support"))
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        max_retries: int = 2,
        timeout: float | httpx.Timeout = 60.0,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """The same options as `Gateway`'s; ``transport`` is an async one."""
        settings = _Settings(api_key, base_url, max_retries, timeout, headers)
        self.base_url = settings.base_url
        self.raw = settings.generated_client()
        self.raw.set_async_httpx_client(
            httpx.AsyncClient(
                base_url=settings.base_url,
                headers=settings.headers,
                timeout=settings.timeout,
                transport=AsyncRetryTransport(
                    transport or httpx.AsyncHTTPTransport(), settings.policy
                ),
                event_hooks={"response": [araise_for_error]},
            )
        )
        super().__init__(self.raw)

    async def paginate(
        self,
        list_method: Callable[P, Awaitable[Page[ItemT]]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> AsyncIterator[ItemT]:
        """`Gateway.paginate` for ``async for``."""
        fetch: Callable[..., Awaitable[Page[ItemT]]] = list_method
        query, backwards = _page_query(kwargs)
        while True:
            page = await fetch(*args, **query)
            items = list(reversed(page.data)) if backwards else list(page.data)
            for item in items:
                yield item
            if not _next_query(query, items, page.has_more, backwards):
                return

    async def aclose(self) -> None:
        await self.raw.get_async_httpx_client().aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
