"""Per-key rate limits: one Redis round trip per request.

Windows are fixed and aligned to the clock (the window of ``100/minute`` starts on the
minute), so the reset time is known without asking Redis; the counter is incremented and
given its expiry atomically by ``limits``' Lua script. ``limits``' own strategies need a
second round trip to report the reset time, which every response advertises.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import RedisStorage
from redis.asyncio import ConnectionPool
from redis.exceptions import RedisError

from gateway.kit.errors import InvalidRequest

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class RateLimitState:
    limit: int
    remaining: int
    window_seconds: int
    reset_at: float
    allowed: bool

    def reset_in(self, now: float | None = None) -> int:
        return max(1, math.ceil(self.reset_at - (time.time() if now is None else now)))

    def headers(self) -> dict[str, str]:
        reset_in = self.reset_in()
        return {
            "RateLimit-Policy": f'"api-key";q={self.limit};w={self.window_seconds}',
            "RateLimit": f'"api-key";r={self.remaining};t={reset_in}',
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(math.ceil(self.reset_at)),
        }


@lru_cache(maxsize=1024)
def parse_limit(rate: str) -> RateLimitItem:
    """Parse ``limits`` notation (``"100/second"``, ``"1000 per 10 minutes"``)."""
    return parse(rate)


def validate_rate_limit(rate: str | None, param: str = "rate_limit") -> str | None:
    if rate is None:
        return None
    try:
        item = parse_limit(rate.strip())
    except ValueError:
        raise InvalidRequest(
            f"Invalid {param} '{rate}': use the form '100/second' or '1000 per 10 minutes'.",
            param=param,
        ) from None
    if item.amount < 1:
        raise InvalidRequest(f"{param} must allow at least one request.", param=param)
    return rate.strip()


def per_second(rate: str) -> float:
    """Requests per second that ``rate`` allows, to compare limits with other windows."""
    item = parse_limit(rate)
    return item.amount / item.get_expiry()


class RateLimiter:
    def __init__(self, redis_url: str, pool: ConnectionPool | None = None) -> None:
        # Sharing the process's connection pool: one set of connections, closed with it.
        options: dict[str, Any] = {} if pool is None else {"connection_pool": pool}
        self.storage = RedisStorage(
            "async+" + redis_url if redis_url.startswith("redis") else redis_url,
            key_prefix="gateway:ratelimit",
            implementation="redispy",
            **options,
        )

    def window(self, subject: str, rate: str) -> RateWindow:
        """The current window of ``subject``'s limit, for a script that counts a request
        along with something else in the same round trip (the send path's quota)."""
        item = parse_limit(rate)
        window = item.get_expiry()
        index = int(time.time() // window)
        key = self.storage.bridge.prefixed_key(item.key_for(subject, str(index)))
        return RateWindow(key, item.amount, window, (index + 1) * window)

    async def hit(self, subject: str, rate: str, cost: int = 1) -> RateLimitState | None:
        """Count one request (or ``cost`` units) for ``subject``; ``None`` when Redis cannot
        be reached, in which case the request is let through (availability beats
        strictness here)."""
        item = parse_limit(rate)
        window = item.get_expiry()
        now = time.time()
        index = int(now // window)
        key = item.key_for(subject, str(index))
        try:
            count = await self.storage.incr(key, window, amount=cost)
        except (RedisError, OSError) as exc:
            log.warning("ratelimit.unavailable", error=str(exc))
            return None
        return RateWindow(key, item.amount, window, (index + 1) * window).state(count)


@dataclass(frozen=True, slots=True)
class RateWindow:
    key: str  # the Redis key, prefixed
    limit: int
    window_seconds: int
    reset_at: float

    def state(self, count: int) -> RateLimitState:
        return RateLimitState(
            limit=self.limit,
            remaining=max(0, self.limit - count),
            window_seconds=self.window_seconds,
            reset_at=self.reset_at,
            allowed=count <= self.limit,
        )
