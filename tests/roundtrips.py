"""Counting the round trips a piece of code makes to PostgreSQL and Redis.

PostgreSQL: a TCP proxy in front of the server reads what clients send. A client waits
for the server at the end of every simple query (``Q``) and every ``Sync`` (``S``) of the
extended protocol, so those are its round trips, whatever library or pipelining sent
them. Redis: every ``send_packed_command`` of redis-py is one request the client then
reads the answers of (a pipeline sends all its commands in one), counted only in the
context that asked, so background subscriptions do not blur the count.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import pytest
from redis.asyncio.connection import AbstractConnection
from sqlalchemy import make_url

_UNTYPED_REQUESTS = {80877103, 80877104}  # SSLRequest, GSSENCRequest: startup follows


@dataclass
class PostgresCounter:
    round_trips: int = 0
    messages: list[str] = field(default_factory=list)

    def reset(self) -> None:
        self.round_trips = 0
        self.messages.clear()


async def _pipe_server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    writer.close()


async def _pipe_client(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, counter: PostgresCounter
) -> None:
    with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
        started = False
        while True:
            if not started:
                head = await reader.readexactly(8)
                length, code = struct.unpack("!ii", head)
                writer.write(head + await reader.readexactly(length - 8))
                started = code not in _UNTYPED_REQUESTS
            else:
                head = await reader.readexactly(5)
                kind, length = head[:1], struct.unpack("!i", head[1:])[0]
                body = await reader.readexactly(length - 4)
                writer.write(head + body)
                if kind in (b"Q", b"S"):
                    counter.round_trips += 1
                    counter.messages.append(kind.decode())
            await writer.drain()
    writer.close()


@asynccontextmanager
async def postgres_proxy(database_url: str) -> AsyncIterator[tuple[str, PostgresCounter]]:
    """A URL reaching ``database_url``'s server through a counting proxy, and its counter."""
    url = make_url(database_url)
    counter = PostgresCounter()
    tasks: set[asyncio.Task[None]] = set()

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(url.host, url.port or 5432)
        for coroutine in (
            _pipe_client(reader, up_writer, counter),
            _pipe_server(up_reader, writer),
        ):
            task = asyncio.create_task(coroutine)
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    # The proxy reads the protocol, so it must stay unencrypted.
    proxied = url.set(host="127.0.0.1", port=port).update_query_dict({"ssl": "disable"})
    try:
        yield proxied.render_as_string(hide_password=False), counter
    finally:
        server.close()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()


_counting: ContextVar[list[int] | None] = ContextVar("redis_round_trips", default=None)


@pytest.fixture
def redis_round_trips(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``with redis_round_trips() as count:`` counts this context's Redis requests."""
    original = AbstractConnection.send_packed_command

    async def counted(self: AbstractConnection, command: Any, check_health: bool = True) -> None:
        box = _counting.get()
        if box is not None:
            box[0] += 1
        await original(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)

    @contextmanager
    def count() -> Iterator[list[int]]:
        box = [0]
        token = _counting.set(box)
        try:
            yield box
        finally:
            _counting.reset(token)

    return count
