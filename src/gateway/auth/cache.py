"""Per-process cache of key lookups, so authentication does not query PostgreSQL per request.

Revocation must reach every API process within a second: changes are published on a Redis
channel after commit and every process drops the affected entries. While the subscription
is down (Redis restarting) entries are trusted for one second only, and the whole cache is
dropped when it comes back, because invalidations may have been missed meanwhile.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from contextlib import suppress

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.principal import Principal
from gateway.kit.aftercommit import publish_after_commit

log = structlog.get_logger(__name__)

CHANNEL = "gateway:auth:invalidate"
DEGRADED_MAX_AGE = 1.0
# Unknown keys are cached too (briefly) so a client hammering with a bad key cannot turn
# every request into a database query.
NEGATIVE_MAX_AGE = 5.0


class KeyCache:
    def __init__(self, *, max_age: float, max_entries: int = 50_000) -> None:
        self.max_age = max_age
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, Principal | None]] = OrderedDict()
        self.subscribed = False
        # Bumped on every invalidation so a lookup that raced one does not store a stale row.
        self._generation = 0

    @property
    def generation(self) -> int:
        return self._generation

    def get(self, secret_hash: str) -> tuple[bool, Principal | None]:
        entry = self._entries.get(secret_hash)
        if entry is None:
            return False, None
        stored_at, principal = entry
        age = time.monotonic() - stored_at
        limit = self.max_age if self.subscribed else DEGRADED_MAX_AGE
        if principal is None:
            limit = min(limit, NEGATIVE_MAX_AGE)
        if age > limit:
            self._entries.pop(secret_hash, None)
            return False, None
        return True, principal

    def put(self, secret_hash: str, principal: Principal | None, generation: int) -> None:
        if generation != self._generation:
            return
        self._entries[secret_hash] = (time.monotonic(), principal)
        self._entries.move_to_end(secret_hash)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def invalidate(self, message: str) -> None:
        """``key:<id>``, ``account:<id>`` or ``*``."""
        self._generation += 1
        kind, _, ident = message.partition(":")
        if kind == "*" or not ident:
            self._entries.clear()
            return
        stale = [
            h
            for h, (_, p) in self._entries.items()
            if p is not None and (p.key_id if kind == "key" else p.account_id) == ident
        ]
        for h in stale:
            del self._entries[h]

    def on_publish(self, channel: str, message: str) -> None:
        """Apply this process's own invalidations as they are committed."""
        if channel == CHANNEL:
            self.invalidate(message)

    async def listen(self, redis: Redis) -> None:
        """Apply invalidations published by any process until cancelled."""
        while True:
            pubsub = redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(CHANNEL)
                self.invalidate("*")
                self.subscribed = True
                while True:
                    message = await pubsub.get_message(timeout=5.0)
                    if message is not None and message["type"] == "message":
                        data = message["data"]
                        self.invalidate(data.decode() if isinstance(data, bytes) else str(data))
            except (RedisError, OSError) as exc:
                if self.subscribed:
                    log.warning("auth.cache.subscription_lost", error=str(exc))
                self.subscribed = False
                await asyncio.sleep(0.5)
            finally:
                self.subscribed = False
                with suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]


def invalidate_key_after_commit(db: AsyncSession, key_id: str) -> None:
    publish_after_commit(db, CHANNEL, f"key:{key_id}")


def invalidate_account_after_commit(db: AsyncSession, account_id: str) -> None:
    publish_after_commit(db, CHANNEL, f"account:{account_id}")
