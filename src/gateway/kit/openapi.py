"""The OpenAPI document is a product: stable operation ids, tags, both auth schemes, and the
``Idempotency-Key`` header on every POST."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

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


def install_openapi(app: FastAPI) -> None:
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
        for path_item in schema.get("paths", {}).values():
            post = path_item.get("post")
            if post is not None:
                post.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]
