"""Pub/sub stays on its own Redis database: Redis itself delivers a publication to the
subscribers of every database, so two deployments on one server would hear each other."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from gateway.kit.channels import scoped
from gateway.kit.queue import PendingPublish, push

CHANNEL = "gateway:test:channels"


async def _next_message(redis: Redis, channel: str, within: float) -> bytes | None:
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(channel)
    try:
        deadline = asyncio.get_running_loop().time() + within
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            message = await pubsub.get_message(timeout=left)
            if message is not None and message["type"] == "message":
                return bytes(message["data"])
        return None
    finally:
        await pubsub.aclose()


async def test_a_publication_reaches_its_own_database_only(redis: Redis) -> None:
    ours = redis.connection_pool.connection_kwargs.get("db", 0)
    # Only connected to, never written: another database of the same server.
    other = Redis(
        connection_pool=redis.connection_pool.__class__(
            **{**redis.connection_pool.connection_kwargs, "db": (ours + 1) % 16}
        )
    )
    try:
        assert scoped(redis, CHANNEL) != scoped(other, CHANNEL)
        here = asyncio.create_task(_next_message(redis, scoped(redis, CHANNEL), 1.0))
        there = asyncio.create_task(_next_message(other, scoped(other, CHANNEL), 1.0))
        await asyncio.sleep(0.2)  # both subscribed
        await push(redis, [PendingPublish(CHANNEL, "hello")])
        assert await here == b"hello"
        assert await there is None
    finally:
        await other.aclose()
