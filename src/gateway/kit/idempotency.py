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
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

import orjson
from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert
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


async def _try_lock(db: AsyncSession, scope: str, key: str) -> bool:
    locked = await db.scalar(
        text("SELECT pg_try_advisory_xact_lock(hashtextextended(:lock, 0))"),
        {"lock": f"idempotency:{scope}:{key}"},
    )
    return bool(locked)


async def begin(
    db: AsyncSession, request: Request, scope: str, secret: bytes
) -> IdempotentRequest | None:
    """Check the request's ``Idempotency-Key``: replay (raise ``IdempotentReplay``), refuse,
    or return the context under which ``store`` records the outcome."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None:
        return None
    if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidRequest(
            f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable characters.", param=HEADER
        )
    body = await request.body()
    fingerprint = _fingerprint(request.method, request.url.path, request.url.query, body)
    if not await _try_lock(db, scope, key):
        raise IdempotencyError(
            "A request with this Idempotency-Key is still being processed; retry later.",
            code="idempotency_key_in_use",
            status_code=409,
            param=HEADER,
        )
    stored = await db.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.scope == scope,
            IdempotencyKey.key == key,
            IdempotencyKey.expires_at > func.now(),
        )
    )
    if stored is not None:
        if stored.fingerprint != fingerprint:
            raise IdempotencyError(
                "This Idempotency-Key was used with a different request; "
                "use a new key for a new request.",
                code="idempotency_key_reused",
                status_code=422,
                param=HEADER,
            )
        headers = dict(stored.response_headers)
        headers["Idempotent-Replayed"] = "true"
        body = crypto.decrypt(secret, _PURPOSE, stored.response_body)
        raise IdempotentReplay(Response(body, status_code=stored.status_code, headers=headers))
    return IdempotentRequest(scope, key, fingerprint, request.method, request.url.path)


def storable(response: Response) -> bool:
    # Server errors are not recorded, so the client's retry gets a fresh attempt.
    return response.status_code < 500 and isinstance(getattr(response, "body", None), bytes)


async def store(
    db: AsyncSession, ctx: IdempotentRequest, response: Response, *, ttl: int, secret: bytes
) -> None:
    """Record ``response`` as the outcome of ``ctx`` in the current transaction."""
    headers = {k: v for k, v in response.headers.items() if k in _REPLAYED_HEADERS}
    values = {
        "scope": ctx.scope,
        "key": ctx.key,
        "fingerprint": ctx.fingerprint,
        "method": ctx.method,
        "path": ctx.path,
        "status_code": response.status_code,
        "response_headers": headers,
        "response_body": crypto.encrypt(secret, _PURPOSE, bytes(response.body)),
        "expires_at": utcnow() + timedelta(seconds=ttl),
    }
    # An expired record with the same key is replaced.
    stmt = insert(IdempotencyKey).values(**values)
    await db.execute(
        stmt.on_conflict_do_update(
            index_elements=["scope", "key"],
            set_={k: stmt.excluded[k] for k in values if k not in {"scope", "key"}},
        )
    )


async def store_error(
    db: AsyncSession, ctx: IdempotentRequest, response: Response, *, ttl: int, secret: bytes
) -> None:
    """Record a client error after the request's own transaction rolled back."""
    if await _try_lock(db, ctx.scope, ctx.key):
        await store(db, ctx, response, ttl=ttl, secret=secret)


async def purge_expired(db: AsyncSession) -> int:
    """Delete expired records; returns how many."""
    result = await db.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= func.now()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def is_client_error(exc: BaseException) -> bool:
    return isinstance(exc, GatewayError) and exc.status_code < 500
