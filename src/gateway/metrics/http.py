"""HTTP metrics: a pure ASGI layer, the outermost, so it times what a client waits for
(the 413 refused at the door and the last-resort 500 included)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from fastapi.routing import iter_route_contexts
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Whatever a client sends as a method, only these become label values: a label per
# made-up method would grow the series without bound.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# A path no route matched is never a label value (it may hold anything, ids included).
UNMATCHED = "unmatched"
MAX_TEMPLATES = 10_000
# From a cached GET (a few ms) to a slow upload or a host call that waits 10 s.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class HttpMetrics:
    """The HTTP metrics of one app, in the app's registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "gateway_http_requests",
            "HTTP requests answered by this process, by method, route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.duration = Histogram(
            "gateway_http_request_duration_seconds",
            "How long this process took to answer HTTP requests, by method and route template.",
            ["method", "route"],
            buckets=BUCKETS,
            registry=registry,
        )
        # The labelled children, found once: ``labels()`` takes a lock and builds a tuple
        # on every call, which the send path would pay on every request.
        self._counters: dict[tuple[str, str, int], Counter] = {}
        self._histograms: dict[tuple[str, str], Histogram] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        counter = self._counters.get((method, route, status))
        if counter is None:
            counter = self._counters[(method, route, status)] = self.requests.labels(
                method, route, str(status)
            )
        counter.inc()
        histogram = self._histograms.get((method, route))
        if histogram is None:
            histogram = self._histograms[(method, route)] = self.duration.labels(method, route)
        histogram.observe(seconds)


class RouteTemplates:
    """The full path template of each route, found by the route object the router puts in
    the scope. An included router's route carries its path without the prefix (FastAPI
    matches level by level), so the templates are read once from the app's route tree,
    as the OpenAPI document is, and again should a route appear that was added later."""

    def __init__(self) -> None:
        self._by_route: dict[int, str] = {}
        self._by_endpoint: dict[int, str] = {}

    def of(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is not None:
            return self._find(scope, self._by_route, route, getattr(route, "path", UNMATCHED))
        # A plain Starlette route (the OpenAPI document's) leaves only its endpoint.
        endpoint = scope.get("endpoint")
        if endpoint is not None:
            return self._find(scope, self._by_endpoint, endpoint, UNMATCHED)
        return UNMATCHED

    def _find(self, scope: Scope, index: dict[int, str], key: object, otherwise: str) -> str:
        template = index.get(id(key))
        if template is None:
            self._index(scope["app"].routes)
            template = index.get(id(key))
            if template is None:  # not from the route tree (a sub-app's)
                template = str(otherwise)
                if len(index) < MAX_TEMPLATES:  # such routes made per request stay uncached
                    index[id(key)] = template
        return template

    def _index(self, routes: Sequence[BaseRoute]) -> None:
        # Keyed by identity: routes compare by path and endpoint and are not hashable;
        # they live as long as the app, so their ids stay theirs.
        for context in iter_route_contexts(routes):
            template = context.path_format
            if template is not None:
                self._by_route.setdefault(id(context.original_route), template)
                endpoint = getattr(context.original_route, "endpoint", None)
                if endpoint is not None:
                    self._by_endpoint.setdefault(id(endpoint), template)


class HttpMetricsMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics
        self.templates = RouteTemplates()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            method = scope["method"]
            # The router puts the route it matched in the scope (which every layer
            # passes on as the same dict): its template is the label, not the path.
            self.metrics.observe(
                method if method in METHODS else "other",
                self.templates.of(scope),
                status,
                time.perf_counter() - started,
            )
