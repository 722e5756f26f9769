"""Who is looking at the dashboard: the API key in its cookie, CSRF tokens and origin checks.

The cookie holds the API key itself, encrypted and authenticated with the server secret
(AES-GCM, ``kit/crypto.py``, its own purpose) together with the time it was issued. Every
request decrypts it and authenticates the key through ``authenticate()``, the API's own
path with its per-process cache, so the key's scopes, its session restriction and its mode
apply to every page, and a revoked key (the cache is invalidated across processes) stops
working within a second. Nothing about a sign-in is stored on the server but, after
signing out, a mark in Redis that refuses the cookie until it would have expired (so a copy
of it taken before is worth nothing either).

CSRF: every form carries a token that is an HMAC of the cookie (so it changes with every
sign-in and cannot be computed without the secret); every POST must carry it, and a
browser's ``Origin`` (or ``Sec-Fetch-Site``) must say the form came from this gateway. The
sign-in form, which has no session cookie yet, is bound the same way to a random
pre-session cookie, so nobody can sign a visitor into an account of theirs (login CSRF).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

import orjson
import structlog
from cryptography.exceptions import InvalidTag
from fastapi import Depends
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.datastructures import FormData
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from gateway.auth.principal import Principal
from gateway.auth.scopes import Access, allows
from gateway.auth.service import authenticate_connection
from gateway.kit import crypto
from gateway.kit.actor import key_actor
from gateway.kit.errors import (
    AuthenticationFailed,
    InvalidRequest,
    IpNotAllowed,
    PermissionDenied,
    RateLimited,
)
from gateway.kit.state import app_state

log = structlog.get_logger(__name__)

PATH = "/dashboard"
SESSION_COOKIE = "gw_dashboard"
LOGIN_COOKIE = "gw_dashboard_login"
CSRF_FIELD = "csrf_token"
# A sign-in lasts this long whatever the browser does with the cookie: the expiry is
# inside the encrypted value, not only in the cookie's Max-Age.
SESSION_SECONDS = 12 * 3600
LOGIN_COOKIE_SECONDS = 3600
_PURPOSE = "dashboard-session"
_CSRF_PURPOSE = b"dashboard-csrf:"
_LOGIN_PURPOSE = b"dashboard-login-csrf:"
SIGNED_OUT_PREFIX = "gateway:dashboard:signed_out:"


class SignInRequired(Exception):
    """No cookie, or one whose key no longer authenticates: back to the sign-in page (an
    answer of the dashboard only, never of the API: no error code of its own)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CsrfRefused(PermissionDenied):
    """A form without this visitor's token, or from another site."""

    code = "forbidden"


@dataclass(frozen=True)
class Visitor:
    """A signed-in visitor: the key's principal, and the CSRF token of its forms."""

    principal: Principal
    csrf_token: str
    # The tokens its forms may carry: one per key of the keyring, so a form rendered
    # before a rotation of the secret key is still accepted after it.
    accepted_csrf: tuple[str, ...] = ()

    def can(self, resource: str, access: Access) -> bool:
        return allows(self.principal.scopes, resource, access)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def seal_key(secret: bytes, key: str, *, now: float | None = None, purpose: str = _PURPOSE) -> str:
    """The cookie value for ``key``: the key and its issue time, encrypted. Another
    ``purpose`` (the operator's cookie) makes a value no other purpose can open."""
    issued = int(time.time() if now is None else now)
    plaintext = orjson.dumps({"k": key, "t": issued})
    return _b64(crypto.encrypt(secret, purpose, plaintext))


@dataclass(frozen=True)
class Sealed:
    key: str
    issued: int

    def seconds_left(self) -> int:
        return max(1, SESSION_SECONDS - int(time.time() - self.issued))


def unseal_key(
    secret: crypto.Secrets, value: str, *, now: float | None = None, purpose: str = _PURPOSE
) -> Sealed | None:
    """The key in a cookie value, or ``None`` if it is not one of ours (of ``purpose``)
    or has expired."""
    try:
        payload = orjson.loads(crypto.decrypt(secret, purpose, _unb64(value)))
    except (ValueError, InvalidTag, orjson.JSONDecodeError):
        return None
    if not isinstance(payload, dict):
        return None
    key, issued = payload.get("k"), payload.get("t")
    if not isinstance(key, str) or not isinstance(issued, int):
        return None
    if (time.time() if now is None else now) - issued > SESSION_SECONDS:
        return None
    return Sealed(key, issued)


def _signed_out_key(cookie: str) -> str:
    # Every sign-in's cookie is unique (a fresh nonce), so it names the sign-in itself.
    return SIGNED_OUT_PREFIX + hashlib.sha256(cookie.encode()).hexdigest()[:32]


async def sign_out_cookie(redis: Redis, cookie: str, sealed: Sealed) -> None:
    """Remember until it would have expired that this cookie signed out, so a copy of it
    taken before is worth nothing either."""
    try:
        await redis.set(_signed_out_key(cookie), b"1", ex=sealed.seconds_left())
    except (RedisError, OSError) as exc:
        # The browser's copy is cleared all the same; only a copy taken before lives on.
        log.warning("dashboard.sign_out_unrecorded", error=str(exc))


async def signed_out(redis: Redis, cookie: str) -> bool:
    try:
        return bool(await redis.exists(_signed_out_key(cookie)))
    except (RedisError, OSError) as exc:
        # As the rate limiter does without Redis: the page stays up. Revoking the key
        # still ends the sign-in.
        log.warning("dashboard.sign_out_check_unavailable", error=str(exc))
        return False


def _token(secret: bytes, purpose: bytes, value: str) -> str:
    return _b64(hmac.new(secret, purpose + value.encode(), hashlib.sha256).digest())


def csrf_token(secret: bytes, cookie: str) -> str:
    return _token(secret, _CSRF_PURPOSE, cookie)


def login_token(secret: bytes, login_cookie: str) -> str:
    return _token(secret, _LOGIN_PURPOSE, login_cookie)


def csrf_tokens(secrets: crypto.Secrets, cookie: str) -> tuple[str, ...]:
    """The CSRF token of ``cookie`` under every key of the ring (the current first)."""
    return tuple(csrf_token(key, cookie) for key in crypto.ring(secrets))


def login_tokens(secrets: crypto.Secrets, login_cookie: str) -> tuple[str, ...]:
    return tuple(login_token(key, login_cookie) for key in crypto.ring(secrets))


def token_in(sent: str, accepted: str | Sequence[str]) -> bool:
    """Whether ``sent`` is one of the ``accepted`` tokens (compared in constant time)."""
    candidates = (accepted,) if isinstance(accepted, str) else accepted
    matched = False
    for token in candidates:
        matched |= hmac.compare_digest(sent.encode(), token.encode())
    return matched


def secure_cookies(conn: HTTPConnection) -> bool:
    """``Secure`` on every cookie over https, and always in production: there a cookie
    must never travel in clear, even if a proxy forwards plain http to the gateway."""
    return conn.url.scheme in ("https", "wss") or app_state(conn).settings.is_production


def set_cookie(
    response: Response,
    conn: HTTPConnection,
    name: str,
    value: str,
    age: int,
    *,
    path: str = PATH,
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=age,
        path=path,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(conn),
    )


def clear_cookie(response: Response, conn: HTTPConnection, name: str, *, path: str = PATH) -> None:
    response.delete_cookie(
        name, path=path, httponly=True, samesite="strict", secure=secure_cookies(conn)
    )


def new_login_cookie() -> str:
    return secrets.token_urlsafe(24)


def _own_origins(conn: HTTPConnection) -> set[str]:
    """The origins this gateway is reached at: the request's own, and the public URL."""
    host = conn.headers.get("host", "")
    scheme = "https" if conn.url.scheme in ("https", "wss") else "http"
    origins = {f"{scheme}://{host}"}
    public = app_state(conn).settings.public_url
    if public:
        parts = urlsplit(public)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return origins


def same_origin(conn: HTTPConnection) -> bool:
    """Whether a browser says the request comes from one of this gateway's pages. A client
    that sends neither header (not a browser) is left to the token alone."""
    origin = conn.headers.get("origin")
    if origin is not None:
        return origin in _own_origins(conn)
    site = conn.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    return True


async def principal_of(conn: HTTPConnection, key: str) -> Principal:
    return await authenticate_connection(conn, key)


async def visitor_of(conn: HTTPConnection, *, rate_limited: bool = True) -> Visitor:
    """The signed-in visitor, or ``SignInRequired``. Counts against the key's rate limit
    like an API request (the dashboard is a client of the key like any other)."""
    state = app_state(conn)
    cookie = conn.cookies.get(SESSION_COOKIE)
    sealed = unseal_key(state.settings.secrets, cookie) if cookie else None
    if sealed is None or cookie is None or await signed_out(state.redis, cookie):
        raise SignInRequired("Sign in with an API key.")
    try:
        principal = await principal_of(conn, sealed.key)
    except (AuthenticationFailed, IpNotAllowed) as exc:
        raise SignInRequired(exc.message) from None
    if rate_limited:
        limit = await state.rate_limiter.hit(f"key:{principal.key_id}", principal.rate_limit)
        if limit is not None and not limit.allowed:
            raise RateLimited(
                f"Too many requests for this API key (limit {principal.rate_limit}); "
                f"retry in {limit.reset_in()} s."
            )
    await state.usage.touch(state.redis, principal.key_id)
    accepted = csrf_tokens(state.settings.secrets, cookie)
    return Visitor(principal, accepted[0], accepted)


async def signed_in(request: Request) -> Visitor:
    visitor: Visitor = await visitor_of(request)
    _seen(request, visitor)
    return visitor


def _seen(request: Request, visitor: Visitor) -> None:
    request.state.visitor = visitor
    principal = visitor.principal
    request.state.actor = key_actor(
        principal.key_id, principal.account_id, via="dashboard", livemode=not principal.is_test
    )


def check_form(request: Request, form: FormData, expected: str | Sequence[str]) -> None:
    """Refuse a form without this visitor's token (one of ``expected``), or sent from
    another site."""
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not token_in(sent, expected):
        raise CsrfRefused(
            "This form has expired or did not come from this dashboard; reload the page "
            "and try again."
        )
    if not same_origin(request):
        raise CsrfRefused("This form was sent from another site.")


@dataclass(frozen=True)
class Submitted:
    """A POST of a signed-in visitor whose CSRF token and origin were checked."""

    visitor: Visitor
    form: FormData

    @property
    def principal(self) -> Principal:
        return self.visitor.principal

    def text(self, name: str, default: str = "") -> str:
        value = self.form.get(name)
        return value.strip() if isinstance(value, str) else default


async def _submitted(request: Request, *, rate_limited: bool) -> Submitted:
    visitor = await visitor_of(request, rate_limited=rate_limited)
    _seen(request, visitor)
    form = await request.form()
    check_form(request, form, visitor.accepted_csrf or visitor.csrf_token)
    # What the API's input guard does for JSON bodies (kit/inputguard.py): PostgreSQL
    # cannot store a NUL, so a field holding one is refused before any service sees it.
    for name, value in form.multi_items():
        if isinstance(value, str) and "\x00" in value:
            raise InvalidRequest(f"Invalid {name}: must not contain NUL characters.", param=name)
    return Submitted(visitor, form)


def reading(resource: str) -> Callable[[Request], Awaitable[Visitor]]:
    """A dependency: the visitor, whose key must read ``resource``."""

    async def check(request: Request) -> Visitor:
        visitor = await signed_in(request)
        require(visitor, resource, Access.read)
        return visitor

    return check


def writing(resource: str, *, metered: bool = False) -> Callable[[Request], Awaitable[Submitted]]:
    """A dependency: a checked form of a visitor whose key must write ``resource``.
    ``metered``: the send path counts the rate limit itself, with the usage."""

    async def check(request: Request) -> Submitted:
        submitted = await _submitted(request, rate_limited=not metered)
        require(submitted.visitor, resource, Access.write)
        return submitted

    return check


def require(visitor: Visitor, resource: str, access: Access) -> None:
    if not visitor.can(resource, access):
        raise PermissionDenied(
            f"This API key does not have the '{resource}: {access.value}' scope."
        )


VisitorDep = Annotated[Visitor, Depends(signed_in)]
SessionsReader = Annotated[Visitor, Depends(reading("sessions"))]
SessionsWriter = Annotated[Submitted, Depends(writing("sessions"))]
MessagesReader = Annotated[Visitor, Depends(reading("messages"))]
MessageSender = Annotated[Submitted, Depends(writing("messages", metered=True))]
KeysReader = Annotated[Visitor, Depends(reading("api_keys"))]
KeysWriter = Annotated[Submitted, Depends(writing("api_keys"))]
