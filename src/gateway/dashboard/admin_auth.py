"""Who is looking at the operator's pages: the admin token, proven once at sign-in.

The operator's cookie is its own (``gw_dashboard_admin``, ``Path=/dashboard/admin``,
HttpOnly, SameSite=Strict), sealed like the customer's but with a purpose of its own, so
neither cookie opens the other's pages. It holds a fingerprint of the token (an HMAC
keyed with the server secret), never the token itself: every request compares it, in
constant time, with the fingerprint of the token configured now, so changing
``GATEWAY_ADMIN_TOKEN`` signs every operator out. Without a token the pages do not exist.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from starlette.datastructures import FormData
from starlette.requests import Request

from gateway.dashboard.auth import (
    PATH,
    SignInRequired,
    check_form,
    csrf_tokens,
    signed_out,
    token_in,
    unseal_key,
)
from gateway.kit.errors import NotFound
from gateway.kit.state import app_state

ADMIN_PATH = f"{PATH}/admin"
ADMIN_COOKIE = "gw_dashboard_admin"
ADMIN_LOGIN_COOKIE = "gw_dashboard_admin_login"
ADMIN_PURPOSE = "dashboard-admin-session"
_FINGERPRINT_PURPOSE = b"dashboard-admin-token:"


class AdminSignInRequired(SignInRequired):
    """No operator cookie, or one of another token: to the operator's sign-in page."""


@dataclass(frozen=True)
class Operator:
    """A signed-in operator, and the CSRF token of the operator's forms."""

    csrf_token: str
    accepted_csrf: tuple[str, ...] = ()


def admin_token(request: Request) -> str:
    """The configured admin token; without one the operator's pages are not there (404,
    as a page of the dashboard)."""
    token = app_state(request).settings.admin_token
    if not token:
        raise NotFound("page", request.url.path[:100])
    return token


def fingerprint(secret: bytes, token: str) -> str:
    return hmac.new(secret, _FINGERPRINT_PURPOSE + token.encode(), hashlib.sha256).hexdigest()


def token_matches(expected: str, sent: str) -> bool:
    return hmac.compare_digest(sent.encode(), expected.encode())


async def operator_of(request: Request) -> Operator:
    """The signed-in operator, or ``AdminSignInRequired``."""
    token = admin_token(request)
    state = app_state(request)
    secrets = state.settings.secrets
    cookie = request.cookies.get(ADMIN_COOKIE)
    sealed = unseal_key(secrets, cookie, purpose=ADMIN_PURPOSE) if cookie else None
    if (
        cookie is None
        or sealed is None
        # The fingerprint was made under the key current at sign-in: any of the ring.
        or not token_in(sealed.key, [fingerprint(key, token) for key in secrets])
        or await signed_out(state.redis, cookie)
    ):
        raise AdminSignInRequired("Sign in with the admin token.")
    accepted = csrf_tokens(secrets, cookie)
    return Operator(accepted[0], accepted)


async def _operator(request: Request) -> Operator:
    operator = await operator_of(request)
    request.state.operator = operator
    return operator


async def operator_form(request: Request, operator: Operator) -> FormData:
    """A POST of the operator's whose CSRF token and origin were checked."""
    form = await request.form()
    check_form(request, form, operator.accepted_csrf or operator.csrf_token)
    return form


OperatorDep = Annotated[Operator, Depends(_operator)]
