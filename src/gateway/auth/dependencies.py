"""Request dependencies: authenticate, rate-limit, check scopes, begin idempotency."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import Request

from gateway.auth.principal import Principal
from gateway.auth.scopes import Access, allows
from gateway.auth.service import authenticate_connection, presented_key
from gateway.kit import idempotency
from gateway.kit.actor import ADMIN, key_actor
from gateway.kit.errors import (
    ERROR_RESPONSES,
    AuthenticationFailed,
    PermissionDenied,
    RateLimited,
)
from gateway.kit.middleware import response_headers
from gateway.kit.routing import DbSession, TransactionalRoute, request_db
from gateway.kit.state import app_state

# Declared so the OpenAPI document (and Swagger's "Authorize") shows both schemes; the
# header parsing itself is ours, to answer every failure in the error envelope.
bearer_scheme = HTTPBearer(
    auto_error=False, scheme_name="BearerAuth", description="Authorization: Bearer gw_…"
)
api_key_scheme = APIKeyHeader(
    name="X-Api-Key", auto_error=False, scheme_name="ApiKeyAuth", description="X-Api-Key: gw_…"
)
admin_scheme = HTTPBearer(
    auto_error=False, scheme_name="AdminToken", description="Authorization: Bearer <admin token>"
)


# Both schemes are shown on every operation that depends on ``current_principal`` by the
# OpenAPI builder (kit/openapi.py), not declared as dependencies: two dependencies more on
# every request would cost more than the rest of authenticating a cached key.
KEY_SCHEMES = (bearer_scheme, api_key_scheme)


async def current_principal(request: Request) -> Principal:
    """The calling key, authenticated and counted against its rate limit once per request."""
    return await _principal(request, rate_limited=True)


async def _principal(request: Request, *, rate_limited: bool) -> Principal:
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:
        return known
    state = app_state(request)
    # The database only on a cache miss (or for an idempotency claim): a cached key costs
    # no session and no connection.
    principal = await authenticate_connection(request, presented_key(request))
    limit = None
    if rate_limited:
        limit = await state.rate_limiter.hit(f"key:{principal.key_id}", principal.rate_limit)
    if limit is not None:
        response_headers(request.scope).update(limit.headers())
        if not limit.allowed:
            raise RateLimited(
                f"Too many requests for this API key (limit {principal.rate_limit}); "
                f"retry in {limit.reset_in()} s.",
                headers={"Retry-After": str(limit.reset_in())},
            )
    await state.usage.touch(state.redis, principal.key_id)
    request.state.principal = principal
    request.state.actor = key_actor(
        principal.key_id, principal.account_id, livemode=not principal.is_test
    )
    request.state.idempotency = await idempotency.begin(
        lambda: request_db(request),
        request,
        principal.account_id,
        state.settings.secrets,
        claim_now=getattr(request.state, "claim_idempotency", True),
    )
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require_scope(
    resource: str, access: Access, *, metered: bool = False
) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency that admits keys with at least ``access`` on ``resource``. A
    ``metered`` route counts the request against the key's rate limit itself, in the round
    trip that counts its usage (the send path: ``billing/quota.py``)."""

    # It authenticates itself rather than depending on ``current_principal``: one
    # dependency per request instead of two.
    async def check(request: Request) -> Principal:
        principal = await _principal(request, rate_limited=not metered)
        if not allows(principal.scopes, resource, access):
            raise PermissionDenied(
                f"This API key does not have the '{resource}: {access.value}' scope.",
            )
        return principal

    setattr(check, _AUTHENTICATES, True)
    return check


_AUTHENTICATES = "__gateway_authenticates__"


def authenticates(call: Callable[..., object]) -> bool:
    """Whether a dependency authenticates an API key (for the OpenAPI document)."""
    return call is current_principal or bool(getattr(call, _AUTHENTICATES, False))


def scoped(resource: str, access: Access, *, metered: bool = False) -> object:
    """``Annotated`` metadata: ``Annotated[Principal, scoped("api_keys", Access.write)]``."""
    return Depends(require_scope(resource, access, metered=metered))


async def require_admin(
    request: Request,
    db: DbSession,
    _token: Annotated[HTTPAuthorizationCredentials | None, Security(admin_scheme)],
) -> None:
    settings = app_state(request).settings
    expected = settings.admin_token
    if not expected:
        raise AuthenticationFailed(
            "The admin API is disabled: set GATEWAY_ADMIN_TOKEN to enable it.",
            code="admin_api_disabled",
        )
    token = presented_key(request)
    if not token:
        raise AuthenticationFailed("No admin token provided.", code="missing_admin_token")
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise AuthenticationFailed("Invalid admin token.", code="invalid_admin_token")
    request.state.actor = ADMIN
    request.state.idempotency = await idempotency.begin(
        lambda: db, request, "admin", settings.secrets
    )


def admin_router(prefix: str) -> APIRouter:
    """A router of the admin API under ``prefix``: every route needs the admin token."""
    return APIRouter(
        prefix=prefix,
        tags=["Admin"],
        route_class=TransactionalRoute,
        responses=ERROR_RESPONSES,
        dependencies=[Depends(require_admin)],
    )
