"""A real HTTP server on 127.0.0.1, in a thread, for code that fetches or delivers over HTTP.

Routes map a path to a ``Reply`` (or a function of the request returning one); every
request is recorded. The server is stopped and joined when the ``serving`` block ends.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Without Content-Length the body ends when the connection closes: the client cannot
    # know the size in advance and must count while it reads.
    content_length: bool = True
    # Repeat ``body`` this many times, written chunk by chunk.
    repeat: int = 1


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Route = Reply | Callable[[Recorded], Reply]


class LocalServer:
    def __init__(
        self, routes: dict[str, Route], tls: ssl.SSLContext | None, fallback: Route
    ) -> None:
        self.routes = routes
        self.fallback = fallback
        self.requests: list[Recorded] = []
        self.bytes_sent = 0
        self.release = threading.Event()  # unblocks handlers that wait for the test's end
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                recorded = Recorded(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                server.requests.append(recorded)
                route = server.routes.get(self.path.split("?", 1)[0], server.fallback)
                reply = route(recorded) if callable(route) else route
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.content_length:
                    self.send_header("Content-Length", str(len(reply.body) * reply.repeat))
                self.end_headers()
                try:
                    for _ in range(reply.repeat):
                        self.wfile.write(reply.body)
                        server.bytes_sent += len(reply.body)
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                    pass  # the client stopped reading, as it may

            do_GET = do_PUT = do_POST = _serve

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # failed TLS handshakes and dropped clients are part of the tests

        self.httpd = Server(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.scheme = "https" if tls is not None else "http"

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"


@contextmanager
def serving(
    routes: dict[str, Route] | None = None,
    *,
    tls: ssl.SSLContext | None = None,
    fallback: Route | None = None,
) -> Iterator[LocalServer]:
    """Serve ``routes``; other paths get ``fallback`` (by default a 404)."""
    server = LocalServer(routes or {}, tls, fallback or Reply(404, b"not found"))
    # A short poll interval: shutdown() waits for the serving loop's next poll.
    thread = threading.Thread(target=server.httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.httpd.shutdown()
        server.httpd.server_close()
        thread.join(timeout=5)


class HeldReceiver:
    """A route that holds each request until the test lets it answer."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.arrived = threading.Semaphore(0)
        self.answer = threading.Semaphore(0)

    def __call__(self, _: Recorded) -> Reply:
        self.arrived.release()
        self.answer.acquire(timeout=10)
        return self.replies.pop(0)

    async def wait_for_request(self) -> None:
        assert await asyncio.to_thread(self.arrived.acquire, timeout=10)
