"""Pub/sub channel names as this deployment's Redis sees them.

Redis pub/sub ignores database numbers: a message published on one database reaches the
subscribers of every other. Two deployments (or a staging and a production one, or two
test runs) sharing a Redis server on different databases would hear each other's nudges,
cache invalidations and events. The database number in the name keeps each to its own.
"""

from __future__ import annotations

from redis.asyncio import Redis


def scoped(redis: Redis, channel: str) -> str:
    """``channel`` on ``redis``'s database: what to publish on and subscribe to."""
    database = redis.connection_pool.connection_kwargs.get("db", 0)
    return f"{channel}@{database}"
