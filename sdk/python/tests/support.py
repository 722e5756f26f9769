"""What the tests share besides fixtures: a polling wait, a real HTTP receiver, sample
files, and the session helpers every test module uses."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

import anyio
import httpx

from gateway_sdk import AsyncGateway, Gateway
from gateway_sdk.models import (
    LinkRequest,
    MessageOut,
    SandboxConfig,
    SessionConfig,
    SessionCreate,
    SessionCreateMetadata,
    SessionOut,
)

T = TypeVar("T")

#: Anyone who is not a magic number: delivered, then read.
CUSTOMER = "+12025550123"

# The first bytes of real files of each type (all the gateway's type check reads), padded.
PAD = bytes(i % 256 for i in range(1024))
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + PAD
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + PAD
OGG = b"OggS\x00\x02" + b"\x00" * 20 + b"OpusHead" + PAD
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + PAD
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + PAD


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def eventually(probe: Callable[[], T | None], *, what: str, timeout: float = 20) -> T:
    """Call ``probe`` until it returns something other than None, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


async def eventually_async(probe: Callable[[], Awaitable[T | None]], *, what: str) -> T:
    """`eventually` for async probes, with its 20 s."""
    try:
        with anyio.fail_after(20):
            while True:
                value = await probe()
                if value is not None:
                    break
                await anyio.sleep(0.1)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None
    return value


def sandbox_session(name: str) -> SessionCreate:
    # Acks within milliseconds, so waiting for `read` is quick.
    sandbox = SandboxConfig(ack_delivered_ms=50, ack_read_ms=50)
    metadata = SessionCreateMetadata.from_dict({"team": "support"})
    return SessionCreate(name=name, metadata=metadata, config=SessionConfig(sandbox=sandbox))


def session_in_status(gw: Gateway, session_id: str, status: str) -> SessionOut:
    def probe() -> SessionOut | None:
        session = gw.sessions.retrieve_session(session_id)
        return session if session.status == status else None

    return eventually(probe, what=f"session {session_id} {status}")


def linked_session(gw: Gateway, name: str) -> SessionOut:
    """A sandbox session created, linked by the sandbox phone, and WORKING."""
    created = gw.sessions.create_session(body=sandbox_session(name))
    session_in_status(gw, created.id, "SCAN_QR_CODE")
    gw.sandbox.sandbox_link_session(created.id, body=LinkRequest(push_name="Acme Support"))
    return session_in_status(gw, created.id, "WORKING")


def message_in_status(gw: Gateway, message_id: str, statuses: set[str]) -> MessageOut:
    def probe() -> MessageOut | None:
        message = gw.messages.retrieve_message(message_id)
        return message if message.status.value in statuses else None

    return eventually(probe, what=f"message {message_id} {' or '.join(sorted(statuses))}")


async def async_session_in_status(gw: AsyncGateway, session_id: str, status: str) -> SessionOut:
    async def probe() -> SessionOut | None:
        session = await gw.sessions.retrieve_session(session_id)
        return session if session.status == status else None

    return await eventually_async(probe, what=f"session {session_id} {status}")


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1: it records POSTs and serves ``files`` on GET."""

    base_url: str
    deliveries: list[Delivery] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    receiver = Receiver("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            receiver.deliveries.append(Delivery(self.path, headers, body))
            self.send_response(204)
            self.end_headers()

        def do_GET(self) -> None:
            found = receiver.files.get(self.path)
            if found is None:
                self.send_response(404)
                self.end_headers()
                return
            mime_type, content = found
            self.send_response(200)
            self.send_header("Content-Type", mime_type)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, format: str, *args: object) -> None:
            pass  # the suite's output is the tests', not the receiver's access log

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Attempt:
    method: str
    status: int | None
    started_at: float
    idempotency_key: str | None
    retry_after: str | None
    replayed: str | None


class RecordingTransport(httpx.BaseTransport):
    """Sends for real and notes each attempt (what the SDK's retries send through)."""

    def __init__(self) -> None:
        self.wrapped = httpx.HTTPTransport()
        self.attempts: list[Attempt] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        started_at = time.monotonic()
        key = request.headers.get("idempotency-key")
        try:
            response = self.wrapped.handle_request(request)
        except httpx.TransportError:
            self.attempts.append(Attempt(request.method, None, started_at, key, None, None))
            raise
        self.attempts.append(
            Attempt(
                request.method,
                response.status_code,
                started_at,
                key,
                response.headers.get("retry-after"),
                response.headers.get("idempotent-replayed"),
            )
        )
        return response

    def close(self) -> None:
        self.wrapped.close()
