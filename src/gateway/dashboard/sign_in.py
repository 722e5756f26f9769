"""Signing in with an API key, and out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from gateway.dashboard.auth import (
    CSRF_FIELD,
    LOGIN_COOKIE,
    LOGIN_COOKIE_SECONDS,
    PATH,
    SESSION_COOKIE,
    SESSION_SECONDS,
    CsrfRefused,
    SignInRequired,
    clear_cookie,
    login_token,
    login_tokens,
    new_login_cookie,
    principal_of,
    same_origin,
    seal_key,
    set_cookie,
    sign_out_cookie,
    token_in,
    unseal_key,
    visitor_of,
)
from gateway.dashboard.pages import DashboardRoute, redirect, render
from gateway.kit.errors import AuthenticationFailed, IpNotAllowed
from gateway.kit.state import app_state

router = APIRouter(route_class=DashboardRoute)

EXPIRED = "Your sign-in ended: the key was revoked, or the sign-in is too old. Sign in again."


def _sign_in_page(
    request: Request, *, error: str | None = None, status_code: int = 200
) -> Response:
    secret = app_state(request).settings.secret
    login = request.cookies.get(LOGIN_COOKIE) or new_login_cookie()
    response = render(
        request,
        "sign_in.html",
        status_code=status_code,
        login_token=login_token(secret, login),
        error=error,
    )
    set_cookie(response, request, LOGIN_COOKIE, login, LOGIN_COOKIE_SECONDS)
    return response


@router.get("/sign-in")
async def sign_in_page(request: Request, expired: str | None = None) -> Response:
    if request.cookies.get(SESSION_COOKIE):
        try:
            await visitor_of(request, rate_limited=False)
        except SignInRequired:
            pass
        else:
            return redirect(f"{PATH}/sessions")
    return _sign_in_page(request, error=EXPIRED if expired else None)


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    secrets = app_state(request).settings.secrets
    secret = secrets[0]
    form = await request.form()
    login = request.cookies.get(LOGIN_COOKIE)
    sent = form.get(CSRF_FIELD)
    if (
        not login
        or not isinstance(sent, str)
        or not token_in(sent, login_tokens(secrets, login))
        or not same_origin(request)
    ):
        raise CsrfRefused("This sign-in form has expired; reload the page and try again.")
    key = form.get("api_key")
    key = key.strip() if isinstance(key, str) else ""
    try:
        await principal_of(request, key)
    except (AuthenticationFailed, IpNotAllowed) as exc:
        return _sign_in_page(request, error=exc.message, status_code=exc.status_code)
    response = redirect(f"{PATH}/sessions")
    set_cookie(response, request, SESSION_COOKIE, seal_key(secret, key), SESSION_SECONDS)
    clear_cookie(response, request, LOGIN_COOKIE)
    return response


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    # The form's token is checked when the cookie still signs in; a cookie that no
    # longer does is worth nothing and is cleared whatever the form holds.
    try:
        visitor = await visitor_of(request, rate_limited=False)
    except SignInRequired:
        visitor = None
    if visitor is not None:
        form = await request.form()
        sent = form.get(CSRF_FIELD)
        if (
            not isinstance(sent, str)
            or not token_in(sent, visitor.accepted_csrf or visitor.csrf_token)
            or not same_origin(request)
        ):
            raise CsrfRefused("This form has expired; reload the page and try again.")
    cookie = request.cookies.get(SESSION_COOKIE)
    sealed = unseal_key(app_state(request).settings.secrets, cookie) if cookie else None
    if cookie is not None and sealed is not None:
        await sign_out_cookie(app_state(request).redis, cookie, sealed)
    response = redirect(f"{PATH}/sign-in")
    clear_cookie(response, request, SESSION_COOKIE)
    return response
