"""Per-process caches kept honest by invalidations on a Redis channel.

A change is published on the cache's channel after its transaction commits, and every
process drops the entries it names; the publishing process applies it at once (through
``run_after_commit``'s ``local`` hook), so its own next request never sees the old value.
While the subscription is down (Redis restarting) entries are trusted for one second
only, and the whole cache is dropped when it comes back, since invalidations may have been
missed meanwhile.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import suppress
from typing import Generic, TypeVar, cast

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from gateway.kit.channels import scoped

log = structlog.get_logger(__name__)

DEGRADED_MAX_AGE = 1.0

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class InvalidatedCache(Generic[K, V]):
    """A bounded LRU map whose entries live ``max_age`` seconds (``negative_max_age`` for
    ``None`` values, which cache a miss) unless an invalidation drops them first.

    Messages on ``channel`` are ``*`` (drop everything) or ``<kind>:<id>``; ``matches``
    says which entries a message names (by default: the entry whose key is ``id``)."""

    def __init__(
        self,
        channel: str,
        *,
        max_age: float,
        negative_max_age: float | None = None,
        max_entries: int = 50_000,
        matches: Callable[[str, str, K, V | None], bool] | None = None,
    ) -> None:
        self.channel = channel
        self.max_age = max_age
        self.negative_max_age = max_age if negative_max_age is None else negative_max_age
        self.max_entries = max_entries
        self._matches = matches
        self._entries: OrderedDict[K, tuple[float, V | None]] = OrderedDict()
        self.subscribed = False
        # Bumped on every invalidation, so a lookup that raced one does not store a value
        # read before the change.
        self._generation = 0

    @property
    def generation(self) -> int:
        return self._generation

    def get(self, key: K) -> tuple[bool, V | None]:
        """``(found, value)``; ``value`` is ``None`` for a cached miss."""
        entry = self._entries.get(key)
        if entry is None:
            return False, None
        stored_at, value = entry
        limit = self.max_age if self.subscribed else min(self.max_age, DEGRADED_MAX_AGE)
        if value is None:
            limit = min(limit, self.negative_max_age)
        if time.monotonic() - stored_at > limit:
            self._entries.pop(key, None)
            return False, None
        return True, value

    def put(self, key: K, value: V | None, generation: int) -> None:
        """Store what was read while ``generation`` was current (skipped if it no longer is)."""
        if generation != self._generation:
            return
        self._entries[key] = (time.monotonic(), value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def invalidate(self, message: str) -> None:
        self._generation += 1
        kind, _, ident = message.partition(":")
        if kind == "*" or not ident:
            self._entries.clear()
            return
        if self._matches is None:
            self._entries.pop(cast(K, ident), None)  # keys are the ids they are named by
            return
        stale = [k for k, (_, v) in self._entries.items() if self._matches(kind, ident, k, v)]
        for key in stale:
            del self._entries[key]

    def on_publish(self, channel: str, message: str) -> None:
        """Apply this process's own invalidations as they are committed."""
        if channel == self.channel:
            self.invalidate(message)

    async def listen(self, redis: Redis) -> None:
        """Apply invalidations published by any process until cancelled."""
        while True:
            pubsub = redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(scoped(redis, self.channel))
                self.invalidate("*")
                self.subscribed = True
                while True:
                    message = await pubsub.get_message(timeout=5.0)
                    if message is not None and message["type"] == "message":
                        data = message["data"]
                        self.invalidate(data.decode() if isinstance(data, bytes) else str(data))
            except (RedisError, OSError) as exc:
                if self.subscribed:
                    log.warning("cache.subscription_lost", channel=self.channel, error=str(exc))
                self.subscribed = False
                await asyncio.sleep(0.5)
            finally:
                self.subscribed = False
                with suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
