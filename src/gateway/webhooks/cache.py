"""Per-process cache of each account's enabled webhook endpoints, so fan-out makes no
query per event: only what matching needs (the endpoint's id, event types and sessions).

Any change to an endpoint (created, updated, deleted, disabled by a 410 or by failing too
long) is published on ``CHANNEL`` after its transaction commits; every process drops that
account's entry, the committing process at once (its ``local`` hook, or the delivery job
directly). While the subscription is down, entries are trusted for a second only
(``InvalidatedCache``). A session made without a cache (``attach`` not called on its
sessionmaker) simply queries.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.kit.aftercommit import publish_after_commit
from gateway.kit.cache import InvalidatedCache

CHANNEL = "gateway:webhooks:endpoints"
# Invalidations keep entries right; the age limit only bounds the harm of a lost one.
MAX_AGE_SECONDS = 300.0
_INFO_KEY = "gateway.webhooks.endpoint_cache"
# Accounts whose endpoints the current transaction changed: its fan-out reads them itself
# (it sees its own uncommitted change, which must not reach the cache before the commit).
_CHANGED_KEY = "gateway.webhooks.endpoints_changed"


@dataclass(frozen=True, slots=True)
class EndpointRoute:
    """What fan-out needs of an enabled endpoint to decide whether it wants an event."""

    endpoint_id: str
    event_types: frozenset[str]  # "*" for every type
    session_ids: frozenset[str] | None  # None: every session, and account-level events

    def wants(self, event_type: str, session_id: str | None) -> bool:
        # The same rule as repository.matching_endpoints, in memory.
        if "*" not in self.event_types and event_type not in self.event_types:
            return False
        if self.session_ids is None:
            return True
        return session_id is not None and session_id in self.session_ids


class EndpointCache(InvalidatedCache[str, tuple[EndpointRoute, ...]]):
    """Account id → its enabled endpoints' routes."""

    def __init__(self, *, max_age: float = MAX_AGE_SECONDS, max_entries: int = 50_000) -> None:
        super().__init__(CHANNEL, max_age=max_age, max_entries=max_entries)

    def forget_account(self, account_id: str) -> None:
        self.invalidate(_message(account_id))


def _message(account_id: str) -> str:
    return f"account:{account_id}"


def attach(sessionmaker: async_sessionmaker[AsyncSession], cache: EndpointCache) -> None:
    """Give the sessions ``sessionmaker`` makes from now on the cache (in ``Session.info``,
    where fan-out, which has only the session, finds it)."""
    info = dict(sessionmaker.kw.get("info") or {})
    info[_INFO_KEY] = cache
    sessionmaker.configure(info=info)


def cache_of(db: AsyncSession) -> EndpointCache | None:
    cache = db.info.get(_INFO_KEY)
    return cache if isinstance(cache, EndpointCache) else None


def changed_in(db: AsyncSession, account_id: str) -> bool:
    """Whether this transaction changed the account's endpoints (not committed yet)."""
    return account_id in db.info.get(_CHANGED_KEY, ())


def invalidate_after_commit(db: AsyncSession, account_id: str) -> None:
    """Every process drops the account's endpoints once this transaction commits."""
    db.info.setdefault(_CHANGED_KEY, set()).add(account_id)
    publish_after_commit(db, CHANNEL, _message(account_id))


def start(
    sessionmaker: async_sessionmaker[AsyncSession], redis: Redis
) -> tuple[EndpointCache, asyncio.Task[None]]:
    """A cache for ``sessionmaker``'s sessions and the task listening for invalidations
    (cancel it with ``stop``)."""
    cache = EndpointCache()
    attach(sessionmaker, cache)
    return cache, asyncio.create_task(cache.listen(redis), name="webhook-endpoint-invalidations")


async def stop(listener: asyncio.Task[None]) -> None:
    listener.cancel()
    with suppress(asyncio.CancelledError):
        await listener
