"""POSTs through the guard on kept-alive connections: reused per target, checked every
time, never shared between names, and recovering from what servers do to idle ones."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway.kit.safehttp import UrlNotAllowed, UrlUnreachable
from gateway.kit.safepost import PostFailed, TargetPools, post
from tests.kit.test_safehttp import _tls_contexts, fake_dns
from tests.local_http import Reply, serving


class KeepAliveServer:
    """An HTTP/1.1 server on 127.0.0.1 that keeps connections open (the local_http one
    speaks HTTP/1.0 and closes each), counting the connections it accepts."""

    def __init__(self, tls: ssl.SSLContext | None = None, body: bytes = b"ok") -> None:
        self.tls = tls
        self.body = body
        self.connections = 0
        self.hosts: list[str] = []
        self.bodies: list[bytes] = []
        self._handlers: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self._writers.add(writer)
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                headers = {
                    name.strip().lower(): value.strip()
                    for name, _, value in (
                        line.decode().partition(":") for line in head.split(b"\r\n")[1:] if line
                    )
                }
                self.hosts.append(headers.get("host", ""))
                self.bodies.append(await reader.readexactly(int(headers.get("content-length", 0))))
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(self.body), self.body)
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, OSError):
            pass  # the client closed the connection, or failed the TLS handshake
        finally:
            writer.close()
            self._writers.discard(writer)
            self._handlers.discard(task)

    def drop_idle_connections(self) -> None:
        """What a server does to connections idle past its keep-alive timeout."""
        for writer in list(self._writers):
            writer.close()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[int]:
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0, ssl=self.tls)
        try:
            yield server.sockets[0].getsockname()[1]
        finally:
            server.close()
            self.drop_idle_connections()
            await asyncio.gather(*self._handlers, return_exceptions=True)
            await server.wait_closed()


async def _post(pools: TargetPools, url: str, body: bytes = b"{}") -> tuple[int, bytes]:
    result = await post(pools, url, content=body, headers={}, allow_private=True)
    return result.status_code, result.excerpt


async def test_post_reuses_a_kept_alive_connection_and_still_checks_every_time() -> None:
    receiver = KeepAliveServer()
    async with receiver.running() as port, TargetPools(timeout=5) as pools:
        with fake_dns({"hooks.test": [["127.0.0.1"]] * 5}) as looked_up:
            for n in range(5):
                assert await _post(pools, f"http://hooks.test:{port}/in", b"%d" % n) == (
                    200,
                    b"ok",
                )
    assert receiver.connections == 1  # one connection, kept alive across the POSTs
    assert looked_up == ["hooks.test"] * 5  # and the guard resolved and checked each time
    assert receiver.hosts == [f"hooks.test:{port}"] * 5
    assert receiver.bodies == [b"0", b"1", b"2", b"3", b"4"]


async def test_a_kept_alive_connection_does_not_let_a_rebound_name_through() -> None:
    receiver = KeepAliveServer()
    async with receiver.running() as port, TargetPools(timeout=5) as pools:
        url = f"http://rebinding.test:{port}/in"
        with fake_dns({"rebinding.test": [["127.0.0.1"], ["169.254.169.254"]]}):
            await _post(pools, url)
            with pytest.raises(UrlNotAllowed, match="metadata"):
                await _post(pools, url)
    assert len(receiver.hosts) == 1


async def test_each_name_gets_its_own_connections_so_tls_is_checked_for_each(
    tmp_path: Path,
) -> None:
    # Two names on one address: a connection made (and its certificate checked) for one
    # must never carry a request for the other.
    server_tls, client_tls = _tls_contexts("hooks.test", tmp_path)
    receiver = KeepAliveServer(tls=server_tls)
    async with receiver.running() as port, TargetPools(timeout=5, verify=client_tls) as pools:
        with fake_dns({"hooks.test": [["127.0.0.1"]] * 2, "other.test": [["127.0.0.1"]]}):
            for _ in range(2):
                assert (await _post(pools, f"https://hooks.test:{port}/in"))[0] == 200
            with pytest.raises(UrlUnreachable):
                await _post(pools, f"https://other.test:{port}/in")
    assert receiver.connections == 1  # other.test's handshake failed: its name was checked
    assert receiver.hosts == [f"hooks.test:{port}"] * 2


async def test_a_connection_the_server_closed_while_idle_is_replaced() -> None:
    receiver = KeepAliveServer()
    async with receiver.running() as port, TargetPools(timeout=5) as pools:
        url = f"http://127.0.0.1:{port}/in"
        assert await _post(pools, url) == (200, b"ok")
        receiver.drop_idle_connections()
        await asyncio.sleep(0.05)
        assert await _post(pools, url) == (200, b"ok")
    assert receiver.connections == 2
    assert len(receiver.bodies) == 2


async def test_only_the_start_of_a_long_answer_is_read_and_its_connection_dropped() -> None:
    receiver = KeepAliveServer(body=b"x" * 5000)
    async with receiver.running() as port, TargetPools(timeout=5) as pools:
        for _ in range(2):
            result = await post(
                pools, f"http://127.0.0.1:{port}/", content=b"", headers={},
                allow_private=True, excerpt_bytes=100,
            )  # fmt: skip
            assert result.excerpt == b"x" * 100
    assert receiver.connections == 2  # an answer not read to its end leaves no reusable one


async def test_http_10_servers_and_answers_that_close_the_connection() -> None:
    # The test server speaks HTTP/1.0: every answer ends its connection.
    with serving({"/in": Reply(201, b"made", headers={"Retry-After": "7"})}) as server:
        async with TargetPools(timeout=5) as pools:
            for _ in range(2):
                result = await post(
                    pools, server.url("/in"), content=b"{}", headers={"X-Custom": "yes"},
                    allow_private=True,
                )  # fmt: skip
                assert (result.status_code, result.excerpt) == (201, b"made")
                assert result.headers["retry-after"] == "7"
            assert len(pools) == 0  # nothing kept
    assert [r.headers["x-custom"] for r in server.requests] == ["yes", "yes"]
    assert server.requests[0].headers["host"] == f"127.0.0.1:{server.port}"


async def test_the_whole_exchange_has_one_deadline_and_errors_are_named() -> None:
    with serving() as server:

        def stall(_: object) -> Reply:
            server.release.wait(10)
            return Reply(body=b"late")

        server.routes["/slow"] = stall
        async with TargetPools(timeout=0.3) as pools:
            with pytest.raises(TimeoutError):
                await _post(pools, server.url("/slow"))
            with pytest.raises(PostFailed, match="invalid request"):
                await post(
                    pools, server.url("/"), content=b"", headers={"X-Bad": "a\r\nb"},
                    allow_private=True,
                )  # fmt: skip


async def test_reserve_waits_for_room_first_come_first_served() -> None:
    pools = TargetPools(timeout=1, max_in_flight=3)
    order: list[str] = []
    await pools.reserve(2)

    async def take(name: str, count: int) -> None:
        await pools.reserve(count)
        order.append(name)

    big = asyncio.create_task(take("three", 3))
    await asyncio.sleep(0)
    small = asyncio.create_task(take("one", 1))  # one slot is free, but it queues behind
    await asyncio.sleep(0.01)
    assert order == []
    pools.release(2)
    await big
    assert order == ["three"]
    pools.release(3)
    await small
    assert order == ["three", "one"]
    pools.release(1)

    # A waiter given up on does not hold the others back.
    await pools.reserve(3)
    gone = asyncio.create_task(pools.reserve(2))
    await asyncio.sleep(0)
    gone.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await gone
    pools.release(1)
    await asyncio.wait_for(pools.reserve(1), 1)
