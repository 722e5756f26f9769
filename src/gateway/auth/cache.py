"""Per-process cache of key lookups (with the key's account), so authentication and
``GET /v1/account`` do not query PostgreSQL per request.

Revocation must reach every API process within a second: changes are published after
commit and every process drops the affected entries (``kit/cache.py``). Unknown keys are
cached too, briefly, so a client hammering with a bad key cannot turn every request into
a database query.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.principal import Principal
from gateway.kit.aftercommit import publish_after_commit
from gateway.kit.cache import InvalidatedCache

CHANNEL = "gateway:auth:invalidate"
NEGATIVE_MAX_AGE = 5.0


def _names(kind: str, ident: str, _hash: str, principal: Principal | None) -> bool:
    if principal is None:
        return False
    if kind == "key":
        return principal.key_id == ident
    if kind == "plan":
        return principal.plan_id == ident
    return principal.account_id == ident


class KeyCache(InvalidatedCache[str, Principal]):
    """Principals by the HMAC of their key; invalidated by ``key:<id>``, ``account:<id>``,
    ``plan:<id>`` (the plan's rate limit is the default of its keys) or ``*``."""

    def __init__(self, *, max_age: float, max_entries: int = 50_000) -> None:
        super().__init__(
            CHANNEL,
            max_age=max_age,
            negative_max_age=NEGATIVE_MAX_AGE,
            max_entries=max_entries,
            matches=_names,
        )


def invalidate_key_after_commit(db: AsyncSession, key_id: str) -> None:
    publish_after_commit(db, CHANNEL, f"key:{key_id}")


def invalidate_account_after_commit(db: AsyncSession, account_id: str) -> None:
    publish_after_commit(db, CHANNEL, f"account:{account_id}")
