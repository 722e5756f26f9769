"""API keys: create (shown once), list, update, revoke. Every change reaches the other API
processes' caches through an invalidation published after commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.api_keys import repository
from gateway.api_keys.repository import Reach
from gateway.api_keys.schemas import ApiKeyUpdate
from gateway.audit import service as audit
from gateway.auth.cache import invalidate_key_after_commit
from gateway.auth.keys import KeyMode, generate_key, hash_key
from gateway.auth.principal import Principal
from gateway.auth.scopes import exceeding, normalise
from gateway.billing.plans import ensure_room_for_api_key
from gateway.config import Settings
from gateway.kit import crypto
from gateway.kit.client_address import parse_networks
from gateway.kit.errors import InvalidRequest, NotFound, PermissionDenied
from gateway.kit.ids import is_valid_id, new_id
from gateway.kit.pagination import Page
from gateway.kit.time import utcnow
from gateway.models import ApiKey
from gateway.ratelimit.service import per_second, validate_rate_limit


def _scopes(requested: Any) -> dict[str, str]:
    return normalise(None if requested is None else requested.model_dump(exclude_none=True))


async def create_key(
    db: AsyncSession,
    *,
    account_id: str,
    secret: bytes,
    name: str = "API key",
    mode: KeyMode = KeyMode.test,
    scopes: dict[str, str] | None = None,
    session_id: str | None = None,
    rate_limit: str | None = None,
    allowed_ips: list[str] | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the key itself, which is never stored."""
    if session_id is not None and not is_valid_id(session_id, "ses"):
        raise InvalidRequest(f"Invalid session id '{session_id}'.", param="session_id")
    plaintext = generate_key(mode)
    key = ApiKey(
        id=new_id("key"),
        account_id=account_id,
        name=name,
        mode=mode.value,
        secret_hash=hash_key(plaintext, secret),
        secret_key_id=crypto.key_id_hex(secret),
        last4=plaintext[-4:],
        scopes=scopes if scopes is not None else normalise(None),
        session_id=session_id,
        rate_limit=validate_rate_limit(rate_limit),
        allowed_ips=allowed_ips,
        expires_at=expires_at,
    )
    added = await repository.add(db, key)
    audit.record(
        db, "api_key.created", "api_key", key.id, changes=audited(key), account_id=account_id
    )
    return added, plaintext


AUDITED_FIELDS = (
    "name", "mode", "scopes", "session_id", "rate_limit", "allowed_ips", "expires_at", "redacted"
)  # fmt: skip


def audited(key: ApiKey) -> dict[str, Any]:
    """What the audit log shows of a key: never its hash."""
    return audit.fields_of(key, AUDITED_FIELDS)


async def create_key_as(
    db: AsyncSession,
    caller: Principal,
    *,
    settings: Settings,
    name: str,
    mode: KeyMode | None,
    scopes: Any,
    session_id: str | None,
    rate_limit: str | None,
    allowed_ips: list[str] | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Create a key on behalf of ``caller``, who cannot grant more than it holds."""
    mode = mode or KeyMode(caller.mode)
    if caller.is_test and mode is KeyMode.live:
        raise PermissionDenied("A test-mode key cannot create live-mode keys.", param="mode")
    granted = _scopes(scopes)
    if too_much := exceeding(caller.scopes, granted):
        raise PermissionDenied(
            f"A key cannot grant more access than the key creating it has: {', '.join(too_much)}.",
            param=f"scopes.{too_much[0]}",
        )
    if caller.session_id is not None and session_id != caller.session_id:
        raise PermissionDenied(
            f"This key is restricted to session {caller.session_id}; "
            "the keys it creates must be restricted to it too.",
            param="session_id",
        )
    _within_callers_reach(caller, allowed_ips)
    _within_callers_life(caller, expires_at)
    await ensure_room_for_api_key(db, settings, caller.account_id, mode=mode.value)
    return await create_key(
        db,
        account_id=caller.account_id,
        secret=settings.secret,
        name=name,
        mode=mode,
        scopes=granted,
        session_id=session_id,
        rate_limit=_within_callers_rate(caller, rate_limit),
        allowed_ips=allowed_ips,
        expires_at=expires_at,
    )


def reach_of(caller: Principal) -> Reach:
    return Reach(
        caller.account_id,
        mode="test" if caller.is_test else None,
        session_id=caller.session_id,
    )


async def get_key(db: AsyncSession, reach: Reach, key_id: str) -> ApiKey:
    key = await repository.get(db, reach, key_id)
    if key is None:
        raise NotFound("API key", key_id)
    return key


async def list_keys(db: AsyncSession, reach: Reach, page: Page) -> Sequence[ApiKey]:
    return await repository.list_page(db, reach, page)


def _within_callers_rate(caller: Principal, rate_limit: str | None) -> str | None:
    rate_limit = validate_rate_limit(rate_limit)
    if rate_limit is not None and per_second(rate_limit) > per_second(caller.rate_limit):
        raise PermissionDenied(
            f"A key cannot allow more requests than the key changing it ({caller.rate_limit}).",
            param="rate_limit",
        )
    return rate_limit


def _within_callers_reach(caller: Principal, allowed_ips: list[str] | None) -> None:
    # A restricted key handing out keys usable from elsewhere would undo its restriction.
    mine = caller.allowed_networks
    if mine is None:
        return
    if allowed_ips is None:
        raise PermissionDenied(
            "This key is restricted to some IP addresses; the keys it creates or changes "
            "must be restricted to them too.",
            param="allowed_ips",
        )
    for index, network in enumerate(parse_networks(allowed_ips)):
        if not any(network.version == m.version and network.subnet_of(m) for m in mine):  # type: ignore[arg-type]
            raise PermissionDenied(
                f"{network.compressed} is outside the addresses this key may be used from.",
                param=f"allowed_ips[{index}]",
            )


def _within_callers_life(caller: Principal, expires_at: datetime | None) -> None:
    if caller.expires_at is None:
        return
    if expires_at is None or expires_at.timestamp() > caller.expires_at:
        raise PermissionDenied(
            "This key expires; the keys it creates or changes must expire no later than it.",
            param="expires_at",
        )


async def update_key(
    db: AsyncSession, caller: Principal, key_id: str, changes: ApiKeyUpdate
) -> ApiKey:
    key = await get_key(db, reach_of(caller), key_id)
    before = audited(key)
    if changes.name is not None:
        key.name = changes.name
    if "rate_limit" in changes.model_fields_set:
        key.rate_limit = _within_callers_rate(caller, changes.rate_limit)
    if changes.scopes is not None:
        granted = _scopes(changes.scopes)
        if too_much := exceeding(caller.scopes, granted):
            raise PermissionDenied(
                f"A key cannot grant more access than the calling key has: {', '.join(too_much)}.",
                param=f"scopes.{too_much[0]}",
            )
        key.scopes = granted
    if "allowed_ips" in changes.model_fields_set:
        _within_callers_reach(caller, changes.allowed_ips)
        key.allowed_ips = changes.allowed_ips
    if "expires_at" in changes.model_fields_set:
        _within_callers_life(caller, changes.expires_at)
        key.expires_at = changes.expires_at
    await db.flush()
    audit.record(db, "api_key.updated", "api_key", key.id, changes=audit.diff(before, audited(key)))
    invalidate_key_after_commit(db, key.id)
    return key


async def revoke_key(db: AsyncSession, reach: Reach, key_id: str) -> ApiKey:
    """Revoke a key; revoking a revoked key changes nothing."""
    key = await get_key(db, reach, key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        await db.flush()
    audit.record(
        db, "api_key.revoked", "api_key", key.id, changes={"name": key.name},
        account_id=key.account_id,
    )  # fmt: skip
    invalidate_key_after_commit(db, key.id)
    return key


async def revoke_any_key(db: AsyncSession, key_id: str) -> ApiKey:
    """Revoke a key of any account (the operator's CLI)."""
    key = await repository.get_any(db, key_id)
    if key is None:
        raise NotFound("API key", key_id)
    return await revoke_key(db, Reach(key.account_id), key_id)
