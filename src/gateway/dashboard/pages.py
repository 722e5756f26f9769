"""Rendering the dashboard's pages: Jinja2 templates (autoescaped), a strict nonce
Content-Security-Policy as the API docs pages have, and errors as pages, never the JSON
envelope or a stack trace.

The policy allows scripts, styles, images and connections (the event socket) from the
gateway alone; the templates hold no inline script or style at all, and the nonce is
there so that a script element injected despite autoescaping still cannot run.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import structlog
from fastapi.exceptions import RequestValidationError
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from gateway.dashboard.auth import (
    CSRF_FIELD,
    PATH,
    SESSION_COOKIE,
    SignInRequired,
    Visitor,
    clear_cookie,
)
from gateway.kit.docs_pages import content_security_policy
from gateway.kit.errors import GatewayError
from gateway.kit.routing import TransactionalRoute

log = structlog.get_logger(__name__)

_HERE = Path(__file__).parent
STATIC = _HERE / "static"
ASSETS = {
    "dashboard.css": "text/css; charset=utf-8",
    "dashboard.js": "text/javascript; charset=utf-8",
}
_HEADERS = {
    "Cache-Control": "no-store",  # pages hold a nonce, a CSRF token, and the account's data
    "X-Content-Type-Options": "nosniff",
    # Not no-referrer: with it a browser sends "Origin: null" on a form POST, and the
    # origin check could not tell the dashboard's own forms from any other site's.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "—"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.globals["csrf_field"] = CSRF_FIELD
    env.globals["base"] = PATH
    return env


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


@cache
def asset(name: str) -> Asset:
    body = (STATIC / name).read_bytes()
    return Asset(body, ASSETS[name], '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def render(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    visitor: Visitor | None = None,
    **context: Any,
) -> HTMLResponse:
    nonce = secrets.token_urlsafe(18)
    visitor = visitor or getattr(request.state, "visitor", None)
    html = (
        environment()
        .get_template(template)
        .render(
            nonce=nonce,
            visitor=visitor,
            principal=visitor.principal if visitor else None,
            csrf_token=visitor.csrf_token if visitor else "",
            path=request.url.path,
            asset_version={name: asset(name).etag.strip('"')[:12] for name in ASSETS},
            **context,
        )
    )
    headers = {**_HEADERS, "Content-Security-Policy": content_security_policy(nonce)}
    return HTMLResponse(html, status_code=status_code, headers=headers)


def redirect(url: str) -> RedirectResponse:
    """After a POST: see the result with a GET (a reload does not repeat the action)."""
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


def to_sign_in(request: Request) -> Response:
    """To the sign-in page, which says the sign-in ended if there was one."""
    expired = SESSION_COOKIE in request.cookies
    response = redirect(f"{PATH}/sign-in" + ("?expired=1" if expired else ""))
    clear_cookie(response, request, SESSION_COOKIE)
    return response


_TITLES = {
    401: "Signed out",
    403: "Not allowed",
    404: "Not found",
    409: "Not now",
    422: "Not valid",
    429: "Too many requests",
}


def error_page(request: Request, error: GatewayError) -> Response:
    status = error.status_code if 400 <= error.status_code < 600 else 500
    return render(
        request,
        "error.html",
        status_code=status,
        title=_TITLES.get(status, "Something went wrong"),
        message=error.message,
        code=error.code,
        request_id=getattr(request.state, "request_id", None),
    )


class DashboardRoute(TransactionalRoute):
    """The API's route class (one transaction, rolled back on any error, jobs pushed
    after commit) with errors answered as pages: a key that no longer signs in goes back
    to the sign-in page, a service's refusal is shown in words."""

    # Where a visitor who must sign in is sent; the operator's pages have their own.
    def sign_in_answer(self, request: Request) -> Response:
        return to_sign_in(request)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                return self.sign_in_answer(request)
            except GatewayError as exc:
                return error_page(request, exc)
            except RequestValidationError:
                return error_page(
                    request, GatewayError("The address or form is not valid.", status_code=422)
                )
            except Exception:
                # Rolled back already; a person gets a page with the request id to quote
                # rather than the API's JSON envelope.
                log.exception("dashboard.unhandled_error", path=request.url.path)
                return error_page(
                    request,
                    GatewayError(
                        "Something went wrong on our side. Quote the request id if you contact us.",
                        status_code=500,
                    ),
                )

        return handle
