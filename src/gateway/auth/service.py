"""Authentication: from the request's key to a ``Principal``, with no database query while
the key is cached."""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import cast

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from gateway.auth import repository
from gateway.auth.cache import KeyCache
from gateway.auth.keys import hash_key, parse_key, redact
from gateway.auth.principal import AccountSnapshot, Principal
from gateway.kit import crypto
from gateway.kit.client_address import client_address, parse_networks, within
from gateway.kit.errors import ApiKeyExpired, AuthenticationFailed, IpNotAllowed
from gateway.kit.state import app_state
from gateway.models import ApiKey

log = structlog.get_logger(__name__)

USAGE_KEY = "gateway:api_keys:last_used"
# last_used_at is recorded at most once per key per process in this interval, so usage
# tracking costs no write per request (a cron job moves it to PostgreSQL in bulk).
USAGE_RESOLUTION_SECONDS = 60.0


def presented_key(conn: HTTPConnection, query_param: str | None = None) -> str | None:
    """The key from ``Authorization: Bearer``, ``X-Api-Key``, or (WebSocket) a query param."""
    authorization = conn.headers.get("authorization")
    if authorization is not None:
        scheme, _, credentials = authorization.partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            raise AuthenticationFailed(
                "Use 'Authorization: Bearer <api key>' or the X-Api-Key header.",
                code="invalid_authorization_header",
            )
        return credentials.strip()
    key = conn.headers.get("x-api-key")
    if key is None and query_param is not None:
        key = conn.query_params.get(query_param)
    return key.strip() if key is not None else None


async def authenticate(
    key: str | None,
    *,
    reads: async_sessionmaker[AsyncSession],
    cache: KeyCache,
    secret: crypto.Secrets,
    default_rate_limit: str,
) -> Principal:
    if not key:
        raise AuthenticationFailed(
            "No API key provided. Send 'Authorization: Bearer <api key>'.",
            code="missing_api_key",
        )
    mode = parse_key(key)
    if mode is None:
        raise AuthenticationFailed(
            "Malformed API key: keys look like gw_live_… or gw_test_….",
            code="malformed_api_key",
        )
    keys = crypto.ring(secret)
    # The cache is keyed by the hash under the current secret key: a hit costs one HMAC.
    secret_hash = hash_key(key, keys[0])
    found, principal = cache.get(secret_hash)
    if not found:
        generation = cache.generation
        # Under every key of the ring, in one query: a key hashed before a rotation of
        # the secret key is found all the same, and re-hashed under the current key.
        hashes = [secret_hash, *(hash_key(key, old) for old in keys[1:])]
        # A short session of its own: the request's connection (if it ever takes one) is
        # not held from here to its end, nor is a second one taken while this is held.
        async with reads() as db:
            row = await repository.key_with_account(db, hashes)
            if row is not None:
                await _rehash_if_old(db, row[0], secret_hash, crypto.key_id_hex(keys[0]))
        principal = None
        if row is not None:
            api_key, account, plan_rate_limit = row
            principal = Principal(
                key_id=api_key.id,
                account_id=api_key.account_id,
                mode=api_key.mode,
                scopes=dict(api_key.scopes),
                session_id=api_key.session_id,
                # The key's own limit, else the account's, else its plan's (live keys
                # only: test mode is not the plan's, and is bounded on its own), else the
                # operator's default.
                rate_limit=api_key.rate_limit
                or account.default_rate_limit
                or (plan_rate_limit if api_key.mode == "live" else None)
                or default_rate_limit,
                plan_id=account.plan_id,
                revoked=api_key.revoked_at is not None,
                allowed_networks=(
                    None if api_key.allowed_ips is None else parse_networks(api_key.allowed_ips)
                ),
                expires_at=None if api_key.expires_at is None else api_key.expires_at.timestamp(),
                account=AccountSnapshot(
                    id=account.id,
                    name=account.name,
                    email=account.email,
                    default_rate_limit=account.default_rate_limit,
                    created_at=account.created_at,
                    retention_messages_days=account.retention_messages_days,
                    retention_events_days=account.retention_events_days,
                    retention_webhook_deliveries_days=account.retention_webhook_deliveries_days,
                ),
            )
        cache.put(secret_hash, principal, generation)
    if principal is None:
        raise AuthenticationFailed(f"Invalid API key provided: {redact(key, mode.value)}")
    if principal.revoked:
        raise AuthenticationFailed(
            f"This API key was revoked: {redact(key, mode.value)}", code="api_key_revoked"
        )
    if principal.expires_at is not None and time.time() >= principal.expires_at:
        raise ApiKeyExpired(f"This API key has expired: {redact(key, mode.value)}")
    return principal


async def _rehash_if_old(
    db: AsyncSession, api_key: ApiKey, current_hash: str, current_key_id: str
) -> None:
    """Re-hash on first use: a key found by its hash under an old secret key (or whose
    hash predates recorded key ids) is stored under the current one, so the old key can be
    dropped from the keyring. One more statement, once per key and rotation; best effort
    (the request is authenticated whatever it does)."""
    if api_key.secret_hash == current_hash and api_key.secret_key_id == current_key_id:
        return
    try:
        await repository.rehash(
            db,
            api_key.id,
            old_hash=api_key.secret_hash,
            new_hash=current_hash,
            secret_key_id=current_key_id,
        )
    except (SQLAlchemyError, OSError) as exc:
        log.warning("auth.rehash_failed", key_id=api_key.id, error=str(exc))


def admit_address(principal: Principal, conn: HTTPConnection) -> None:
    """Refuse a key used from outside its ``allowed_ips``. The address is only worked out
    for a key that has an allowlist: an unrestricted key pays nothing for the feature."""
    networks = principal.allowed_networks
    if networks is None:
        return
    address = client_address(conn.scope, app_state(conn).settings.trusted_proxy_networks)
    if address is None:
        raise IpNotAllowed(
            "This API key is restricted to some IP addresses, and the address of this "
            "request could not be determined."
        )
    if not within(address, networks):
        raise IpNotAllowed(f"This API key cannot be used from IP address {address}.")


async def authenticate_connection(conn: HTTPConnection, key: str | None) -> Principal:
    """The principal of ``key`` presented on ``conn`` (a request or a WebSocket), with
    every restriction of the key checked: revoked, expired, the caller's address."""
    state = app_state(conn)
    principal = await authenticate(
        key,
        reads=state.autocommit_sessionmaker,
        cache=state.key_cache,
        secret=state.settings.secrets,
        default_rate_limit=state.settings.default_rate_limit,
    )
    admit_address(principal, conn)
    return principal


class UsageRecorder:
    """Remembers when each key was last used, in Redis, at most once a minute per key."""

    def __init__(self) -> None:
        self._recorded: dict[str, float] = {}

    async def touch(self, redis: Redis, key_id: str) -> None:
        now = time.time()
        if now - self._recorded.get(key_id, 0.0) < USAGE_RESOLUTION_SECONDS:
            return
        self._recorded[key_id] = now
        try:
            await cast(Awaitable[int], redis.hset(USAGE_KEY, key_id, str(now)))
        except (RedisError, OSError):
            # Usage stamps are best effort; the request must not fail for them.
            self._recorded.pop(key_id, None)
