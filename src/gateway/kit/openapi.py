"""The OpenAPI document is a product: stable operation ids, tags, both auth schemes, the
``Idempotency-Key`` header on every authenticated POST, and every error status the gateway
can give declared with the error envelope.

Errors that do not depend on the route are declared here, on every operation they can
answer, rather than route by route: 401 on every authenticated operation, 403 and 429 on
those of an API key (scopes, rate limits), 404 on the authenticated ones (an id of no
object), 422 everywhere (the input guard refuses a NUL in any parameter), 409 on every
idempotent POST (the key in flight), 413 on every request that may carry a body, 400 on
form uploads (the multipart parser). Each error status then gets the envelope as its
``application/json`` body, whatever the route's own response class."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from fastapi.security.base import SecurityBase
from starlette.routing import BaseRoute

from gateway.kit.errors import (
    AUTHENTICATION_FAILED,
    FORM_INVALID,
    IDEMPOTENCY_KEY_IN_USE,
    NOT_FOUND,
    PARAMETER_INVALID,
    PERMISSION_DENIED,
    RATE_LIMITED,
    REQUEST_TOO_LARGE,
    ErrorEnvelope,
)

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

ENVELOPE_REF = "#/components/schemas/ErrorEnvelope"
# FastAPI's own 422 shape, which the gateway never answers (handlers.py renders the envelope).
FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
FORM_MEDIA_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
BODY_METHODS = frozenset({"post", "put", "patch"})

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
        key_schemes: set[str] = set()
        if key_security is not None:
            _document_security(schema, app.routes, key_security)
            key_schemes = {scheme.scheme_name for scheme in key_security[1]}
        for path_item in schema.get("paths", {}).values():
            for method, operation in path_item.items():
                _declare_errors(method, operation, key_schemes)
        _use_the_envelope_only(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]


def _declare_errors(method: str, operation: dict[str, Any], key_schemes: set[str]) -> None:
    """Declare on ``operation`` the errors the gateway can answer to every request of its
    kind, then give every error status the envelope."""
    responses: dict[str, Any] = operation.setdefault("responses", {})
    schemes = {name for requirement in operation.get("security", []) for name in requirement}
    _declare(responses, 422, PARAMETER_INVALID)
    if schemes:
        _declare(responses, 401, AUTHENTICATION_FAILED)
        _declare(responses, 404, NOT_FOUND)
    if schemes & key_schemes:
        _declare(responses, 403, PERMISSION_DENIED)
        _declare(responses, 429, RATE_LIMITED)
    if method == "post" and schemes:
        # Authentication begins the idempotency claim (auth/dependencies.py); the signed
        # webhooks of Meta and Stripe take no key and honour none.
        operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
        _declare(responses, 409, IDEMPOTENCY_KEY_IN_USE, also=True)
    body = operation.get("requestBody")
    if body is not None or method in BODY_METHODS:
        _declare(responses, 413, REQUEST_TOO_LARGE)
    if body is not None and any(media.startswith(FORM_MEDIA_TYPES) for media in body["content"]):
        _declare(responses, 400, FORM_INVALID, also=True)
    for status, response in responses.items():
        if _is_error(status):
            response["content"] = {"application/json": _envelope_media(response)}
    operation["responses"] = dict(sorted(responses.items(), key=lambda item: str(item[0])))


def _declare(
    responses: dict[str, Any], status: int, description: str, *, also: bool = False
) -> None:
    """Declare ``status``; when the route declares it already for a reason of its own, an
    ``also`` answer is added to its description (a 409 ``session_not_ready`` is also the
    409 of an Idempotency-Key in flight)."""
    declared = responses.get(str(status))
    if declared is None:
        responses[str(status)] = {"description": description}
    elif also and description not in declared.get("description", ""):
        own = declared.get("description", "").strip()
        declared["description"] = f"{own} Or {description[0].lower()}{description[1:]}"


def _is_error(status: str) -> bool:
    return status[:1] in {"4", "5"}


def _envelope_media(response: dict[str, Any]) -> dict[str, Any]:
    """The envelope as the error's JSON body; examples kept if they are of the envelope."""
    content: dict[str, Any] = response.get("content") or {}
    media: dict[str, Any] = content.get("application/json") or next(iter(content.values()), {})
    if media.get("schema") != {"$ref": ENVELOPE_REF}:
        return {"schema": {"$ref": ENVELOPE_REF}}
    return dict(media)


def _use_the_envelope_only(schema: dict[str, Any]) -> None:
    """The envelope's schemas in the components (also when no route named its model), and
    FastAPI's default validation error out of them: nothing refers to it any more."""
    components: dict[str, Any] = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorEnvelope" not in components:
        envelope = ErrorEnvelope.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(envelope.pop("$defs", {}))
        components["ErrorEnvelope"] = envelope
    for name in FASTAPI_VALIDATION_SCHEMAS:
        components.pop(name, None)
