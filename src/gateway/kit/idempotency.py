"""Idempotency keys for POST requests (Stripe's semantics).

The first request with a key runs normally and its response is stored *in the same
transaction* as its work, so a crash can never leave work done without the record (or the
reverse). A transaction-scoped advisory lock on (scope, key) marks the request in flight:
a concurrent duplicate gets 409 instead of waiting. A retry with the same request replays
the stored response with ``Idempotent-Replayed: true``; the same key with a different
request is refused with 422. Records live 24 hours, their bodies encrypted: a response
may carry a secret shown once (a new API key), which must not sit in the database readable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from sqlalchemy import Boolean, Integer, LargeBinary, String, column, func, select, text
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from gateway.kit import crypto
from gateway.kit.errors import GatewayError, IdempotencyError, InvalidRequest
from gateway.kit.time import utcnow
from gateway.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Response headers worth replaying; per-request ones (Request-Id, rate limits) are fresh.
_REPLAYED_HEADERS = ("content-type", "location")
_PURPOSE = "idempotency-response"
RESPONSE_PURPOSE = _PURPOSE  # for re-encryption after a rotation (ops/secret_rotation.py)


class IdempotentReplay(Exception):
    """Raised by the dependency to short-circuit the endpoint with the stored response."""

    def __init__(self, response: Response) -> None:
        self.response = response


@dataclass(frozen=True)
class IdempotentRequest:
    scope: str
    key: str
    fingerprint: str
    method: str
    path: str


def _fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    try:
        # Key order and whitespace do not make a different request.
        canonical_body = orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS)
    except orjson.JSONDecodeError:
        canonical_body = body
    canonical_query = urlencode(sorted(parse_qsl(query, keep_blank_values=True)))
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), canonical_query.encode(), canonical_body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


_LOCK_AND_LOOKUP = text(
    "SELECT pg_try_advisory_xact_lock(hashtextextended(:lock, 0)) AS locked, "
    "k.fingerprint, k.status_code, k.response_headers, k.response_body "
    "FROM (SELECT 1) AS one LEFT JOIN idempotency_keys AS k "
    "ON k.scope = :scope AND k.key = :key AND k.expires_at > now()"
).columns(
    column("locked", Boolean),
    column("fingerprint", String),
    column("status_code", Integer),
    column("response_headers", JSONB),
    column("response_body", LargeBinary),
)


# Set on the session's ``info`` while its transaction holds a claim (``claim``): the
# transaction must stay open until the outcome is stored (``kit/routing.release``).
CLAIMED = "gateway.idempotency_claimed"


def lock_name(scope: str, key: str) -> str:
    """The advisory lock that marks a request with this key in flight."""
    return f"idempotency:{scope}:{key}"


async def _try_lock(db: AsyncSession, scope: str, key: str) -> bool:
    locked = await db.scalar(
        text("SELECT pg_try_advisory_xact_lock(hashtextextended(:lock, 0))"),
        {"lock": lock_name(scope, key)},
    )
    return bool(locked)


def prepare(request_body: bytes, request: Request, scope: str) -> IdempotentRequest | None:
    """The request's idempotency context, checked for shape only (no database)."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None:
        return None
    if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidRequest(
            f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable characters.", param=HEADER
        )
    fingerprint = _fingerprint(request.method, request.url.path, request.url.query, request_body)
    return IdempotentRequest(scope, key, fingerprint, request.method, request.url.path)


async def begin(
    db: Callable[[], AsyncSession],
    request: Request,
    scope: str,
    secret: crypto.Secrets,
    *,
    claim_now: bool = True,
) -> IdempotentRequest | None:
    """Check the request's ``Idempotency-Key``: replay (raise ``IdempotentReplay``), refuse,
    or return the context under which ``store`` records the outcome. ``db`` gives the
    request's session, asked for only when a key is there to claim; ``claim_now=False``
    leaves the claim to the route, which makes it in the statement that does its work."""
    if request.method != "POST" or HEADER not in request.headers:
        return None
    ctx = prepare(await request.body(), request, scope)
    if ctx is not None and claim_now:
        await claim(db(), ctx, secret)
    return ctx


async def claim(db: AsyncSession, ctx: IdempotentRequest, secret: crypto.Secrets) -> None:
    """Mark ``ctx`` in flight for the transaction, or answer from its stored outcome: one
    round trip for the lock and the lookup. The lookup may miss an outcome committed in
    the instant between the statement's snapshot and its lock; ``store`` then finds it
    and refuses, so the work is rolled back and never done twice."""
    row = (
        await db.execute(
            _LOCK_AND_LOOKUP,
            {"lock": lock_name(ctx.scope, ctx.key), "scope": ctx.scope, "key": ctx.key},
        )
    ).one()
    if not row.locked:
        raise in_flight()
    db.info[CLAIMED] = True
    if row.fingerprint is not None:
        raise outcome_of(ctx, row.fingerprint, row.status_code, row.response_headers,
                         row.response_body, secret)  # fmt: skip


def in_flight() -> IdempotencyError:
    return IdempotencyError(
        "A request with this Idempotency-Key is still being processed; retry later.",
        code="idempotency_key_in_use",
        status_code=409,
        param=HEADER,
    )


def outcome_of(
    ctx: IdempotentRequest,
    fingerprint: str,
    status_code: int,
    headers: dict[str, str],
    body: bytes,
    secret: crypto.Secrets,
) -> Exception:
    """What a request with an already used key gets: the first response replayed, or 422
    when it is not the same request."""
    if fingerprint != ctx.fingerprint:
        return IdempotencyError(
            "This Idempotency-Key was used with a different request; "
            "use a new key for a new request.",
            code="idempotency_key_reused",
            status_code=422,
            param=HEADER,
        )
    replayed = {**headers, "Idempotent-Replayed": "true"}
    plaintext = crypto.decrypt(secret, _PURPOSE, body)
    return IdempotentReplay(Response(plaintext, status_code=status_code, headers=replayed))


async def stored_outcome(
    db: AsyncSession, ctx: IdempotentRequest, secret: crypto.Secrets
) -> Exception | None:
    """The answer for a key with a stored outcome: its replay, or 422 for another request."""
    stored = await db.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.scope == ctx.scope,
            IdempotencyKey.key == ctx.key,
            IdempotencyKey.expires_at > func.now(),
        )
    )
    if stored is None:
        return None
    return outcome_of(ctx, stored.fingerprint, stored.status_code,
                      dict(stored.response_headers), stored.response_body, secret)  # fmt: skip


def storable(response: Response) -> bool:
    # Server errors are not recorded, so the client's retry gets a fresh attempt.
    return response.status_code < 500 and isinstance(getattr(response, "body", None), bytes)


def record_values(
    ctx: IdempotentRequest,
    status_code: int,
    headers: dict[str, str],
    body: bytes,
    *,
    ttl: int,
    secret: crypto.Secrets,
) -> dict[str, Any]:
    """The stored record of ``ctx``'s outcome, its body encrypted."""
    return {
        "scope": ctx.scope,
        "key": ctx.key,
        "fingerprint": ctx.fingerprint,
        "method": ctx.method,
        "path": ctx.path,
        "status_code": status_code,
        "response_headers": {k: v for k, v in headers.items() if k in _REPLAYED_HEADERS},
        "response_body": crypto.encrypt(secret, _PURPOSE, body),
        "expires_at": utcnow() + timedelta(seconds=ttl),
    }


async def store(
    db: AsyncSession,
    ctx: IdempotentRequest,
    response: Response,
    *,
    ttl: int,
    secret: crypto.Secrets,
) -> bool:
    """Record ``response`` as the outcome of ``ctx`` in the current transaction. False when
    an outcome is already stored (a duplicate finished first): the caller must roll back."""
    values = record_values(
        ctx, response.status_code, dict(response.headers), bytes(response.body),
        ttl=ttl, secret=secret,
    )  # fmt: skip
    # Only an expired record with the same key is replaced.
    stmt = insert(IdempotencyKey).values(**values)
    stored = await db.scalar(
        stmt.on_conflict_do_update(
            index_elements=["scope", "key"],
            set_={k: stmt.excluded[k] for k in values if k not in {"scope", "key"}},
            where=IdempotencyKey.expires_at <= func.now(),
        ).returning(IdempotencyKey.id)
    )
    return stored is not None


async def store_error(
    db: AsyncSession,
    ctx: IdempotentRequest,
    response: Response,
    *,
    ttl: int,
    secret: crypto.Secrets,
) -> None:
    """Record a client error after the request's own transaction rolled back."""
    if await _try_lock(db, ctx.scope, ctx.key):
        await store(db, ctx, response, ttl=ttl, secret=secret)


def is_client_error(exc: BaseException) -> bool:
    return isinstance(exc, GatewayError) and exc.status_code < 500
