"""The OpenAPI document is a product: stable operation ids, tags, both auth schemes, and the
``Idempotency-Key`` header on every POST."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from fastapi.security.base import SecurityBase
from starlette.routing import BaseRoute

IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Makes the POST safe to retry: the first response is stored for 24 hours and "
        "replayed (with `Idempotent-Replayed: true`) for a retry with the same key."
    ),
    "schema": {"type": "string", "maxLength": 255},
}

TAGS = [
    {"name": "Account", "description": "The account the API key belongs to."},
    {"name": "API keys", "description": "Scoped, rate-limited keys; secrets are shown once."},
    {"name": "Sessions", "description": "WhatsApp sessions: one linked number each."},
    {"name": "Messages", "description": "Send, schedule and follow messages."},
    {"name": "Media", "description": "Files to send in messages, and files received."},
    {"name": "Sandbox", "description": "Control the simulated network of sandbox sessions."},
    {"name": "Events", "description": "The event log: everything that happened, in order."},
    {"name": "Webhooks", "description": "Endpoints that receive the account's events."},
    {"name": "Admin", "description": "Operator endpoints, authorised by GATEWAY_ADMIN_TOKEN."},
    {"name": "Operations", "description": "Liveness and readiness probes."},
]


def operation_id(route: APIRoute) -> str:
    """The endpoint function's name: stable across refactors of paths and tags."""
    return route.name


def _api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    """Every API route, also those of included routers (FastAPI keeps those as a tree)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        else:
            router = getattr(route, "original_router", route)
            yield from _api_routes(getattr(router, "routes", ()))


def _depends_on(dependant: Dependant, wanted: Callable[[Callable[..., Any]], bool]) -> bool:
    return any(
        (d.call is not None and wanted(d.call)) or _depends_on(d, wanted)
        for d in dependant.dependencies
    )


def _document_security(
    schema: dict[str, Any], routes: Sequence[BaseRoute], security: KeySecurity
) -> None:
    """Show ``security``'s schemes on every operation with a dependency it names."""
    wanted, schemes = security
    requirement: list[dict[str, list[str]]] = [{scheme.scheme_name: []} for scheme in schemes]
    # Operations are named by their route (``operation_id``), whatever prefix included it.
    secured = {
        operation_id(route) for route in _api_routes(routes) if _depends_on(route.dependant, wanted)
    }
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if operation.get("operationId") in secured:
                operation["security"] = [*requirement, *operation.get("security", [])]
    components = schema.setdefault("components", {})
    components["securitySchemes"] = {
        **{
            scheme.scheme_name: scheme.model.model_dump(
                mode="json", by_alias=True, exclude_none=True
            )
            for scheme in schemes
        },
        **components.get("securitySchemes", {}),
    }


# Which dependencies authenticate API keys, and the schemes they read.
KeySecurity = tuple[Callable[[Callable[..., Any]], bool], Sequence[SecurityBase]]


def install_openapi(app: FastAPI, *, key_security: KeySecurity | None = None) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            tags=TAGS,
            servers=app.servers,
            webhooks=app.webhooks.routes,
        )
        if key_security is not None:
            _document_security(schema, app.routes, key_security)
        for path_item in schema.get("paths", {}).values():
            post = path_item.get("post")
            if post is not None:
                post.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]
