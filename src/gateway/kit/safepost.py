"""POSTs to URLs customers give (webhook endpoints) through the SSRF guard, on kept-alive
connections.

Every POST passes ``check_url`` (a DNS answer may have changed since the URL was
accepted) and a new connection goes to a checked address, with the URL's name in Host and
SNI. Idle connections are kept per target (scheme, host name, port), never shared between
names: a connection's TLS certificate was checked for one name only. Redirects are not
followed, only the first bytes of the answer are read, and the whole exchange has one
deadline.

The client is a small HTTP/1.1 one (h11, the parser httpcore itself uses, over asyncio
streams) rather than httpx: a webhook POST needs none of httpx's features, and on the
delivery path httpx's layers cost several times the exchange itself (bench/README.md).
Media downloads (``safehttp.fetch``) still use httpx.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import OrderedDict, deque
from dataclasses import dataclass

import h11
import httpx

from gateway.kit.safehttp import USER_AGENT, ResolvedTarget, UrlUnreachable, check_url

_READ_BYTES = 65536


@dataclass(frozen=True)
class PostResult:
    status_code: int
    headers: dict[str, str]  # names in lower case
    excerpt: bytes


class PostFailed(Exception):
    """The exchange broke after the connection was made: reset, closed early, or not
    HTTP/1.1 the parser accepts. The message says how."""


class _Stale(Exception):
    """A kept-alive connection the server had closed: nothing was exchanged on it."""


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.http = h11.Connection(h11.CLIENT)
        self.idle_since = time.monotonic()

    def usable(self, expiry: float) -> bool:
        """Idle, still open, and not idle so long the server may be closing it."""
        return (
            not self.writer.is_closing()
            and not self.reader.at_eof()
            and self.http.our_state is h11.IDLE
            and time.monotonic() - self.idle_since < expiry
        )

    def close(self) -> None:
        self.writer.close()

    async def exchange(
        self, request: h11.Request, body: bytes, excerpt_bytes: int, *, reused: bool
    ) -> tuple[PostResult, bool]:
        """Send the request and read the answer up to ``excerpt_bytes`` of its body;
        returns the result and whether the connection can carry another request."""
        http = self.http
        try:
            self.writer.write(
                http.send(request) + http.send(h11.Data(data=body)) + http.send(h11.EndOfMessage())
            )
            status, headers, excerpt = 0, {}, b""
            while True:
                event = http.next_event()
                if event is h11.NEED_DATA:
                    data = await self.reader.read(_READ_BYTES)
                    if not data and reused and not status:
                        raise _Stale
                    http.receive_data(data)
                elif isinstance(event, h11.Response):
                    status = event.status_code
                    headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                               for k, v in event.headers}  # fmt: skip
                elif isinstance(event, h11.Data):
                    excerpt += event.data
                    if len(excerpt) >= excerpt_bytes:
                        break  # the rest is not read: the connection is not reused
                elif isinstance(event, h11.EndOfMessage):
                    break
                elif isinstance(event, h11.ConnectionClosed):
                    raise PostFailed("the server closed the connection before answering")
                # InformationalResponse (1xx): the real answer follows.
        except TimeoutError:
            raise  # the exchange's deadline, for the caller
        except OSError as exc:  # reset, broken pipe, a TLS alert
            if reused and not status:
                raise _Stale from exc
            raise PostFailed(f"{type(exc).__name__}: {exc}") from exc
        except h11.ProtocolError as exc:
            raise PostFailed(f"{type(exc).__name__}: {exc}") from exc
        reusable = http.our_state is h11.DONE and http.their_state is h11.DONE
        if reusable:
            http.start_next_cycle()
            self.idle_since = time.monotonic()
        return PostResult(status, headers, excerpt[:excerpt_bytes]), reusable


class _Slots:
    """A counting semaphore whose waiters take several units at once, first come first
    served (so a job waiting for room for its whole chunk is not starved, and two jobs
    holding half of what each needs cannot block each other)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._free = size
        self._waiters: deque[tuple[int, asyncio.Future[None]]] = deque()

    async def take(self, count: int) -> None:
        if count > self.size:
            raise ValueError(f"{count} slots asked of {self.size}")
        if not self._waiters and self._free >= count:
            self._free -= count
            return
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((count, granted))
        try:
            await granted
        except asyncio.CancelledError:
            # Granted as the cancellation came: hand the slots on. Not granted: let the
            # waiters behind this one move up.
            self.give(count if granted.done() and not granted.cancelled() else 0)
            raise

    def give(self, count: int = 1) -> None:
        self._free += count
        while self._waiters and (self._waiters[0][1].done() or self._free >= self._waiters[0][0]):
            wanted, granted = self._waiters.popleft()
            if not granted.done():
                self._free -= wanted
                granted.set_result(None)


class TargetPools:
    """Kept-alive connections for ``post``, per target (scheme, host name as resolved
    and sent in Host and SNI, port), and a bound on the POSTs in flight.

    ``timeout`` is the whole exchange's deadline: resolving, connecting, sending and
    reading the start of the answer. ``reserve``/``release`` let a caller wait for room
    before it commits to POSTs (a delivery job, before it leases deliveries), so that at
    most ``max_in_flight`` run at once. The least recently used targets' idle connections
    are closed beyond ``max_targets``.
    """

    def __init__(
        self,
        *,
        timeout: float,
        max_in_flight: int = 100,
        max_idle_per_target: int = 20,
        keepalive_expiry: float = 5.0,
        max_targets: int = 1000,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.timeout = timeout
        self.max_idle_per_target = max_idle_per_target
        self.keepalive_expiry = keepalive_expiry
        self.max_targets = max_targets
        self._slots = _Slots(max_in_flight)
        self._verify = verify
        self._tls: ssl.SSLContext | None = verify if isinstance(verify, ssl.SSLContext) else None
        self._idle: OrderedDict[tuple[str, str, int], list[_Connection]] = OrderedDict()

    @property
    def max_in_flight(self) -> int:
        return self._slots.size

    def __len__(self) -> int:
        """How many targets have idle connections kept."""
        return len(self._idle)

    async def reserve(self, count: int) -> None:
        """Wait until ``count`` more POSTs may be in flight; ``release`` each after it."""
        await self._slots.take(count)

    def release(self, count: int = 1) -> None:
        self._slots.give(count)

    def _tls_context(self) -> ssl.SSLContext:
        # One context for every connection: building one loads the CA bundle.
        if self._tls is None:
            self._tls = httpx.create_ssl_context(verify=self._verify, trust_env=False)
        return self._tls

    async def exchange(
        self, target: ResolvedTarget, request: h11.Request, body: bytes, excerpt_bytes: int
    ) -> PostResult:
        key = (target.url.scheme, target.host, target.port)
        idle = self._idle.get(key, [])
        while idle:
            connection = idle.pop()
            if not connection.usable(self.keepalive_expiry):
                connection.close()
                continue
            try:
                return await self._use(key, connection, request, body, excerpt_bytes, True)
            except _Stale:
                continue  # closed by the server while idle: nothing was sent to it
        connection = await self._connect(target)
        return await self._use(key, connection, request, body, excerpt_bytes, False)

    async def _use(
        self,
        key: tuple[str, str, int],
        connection: _Connection,
        request: h11.Request,
        body: bytes,
        excerpt_bytes: int,
        reused: bool,
    ) -> PostResult:
        kept = False
        try:
            result, reusable = await connection.exchange(
                request, body, excerpt_bytes, reused=reused
            )
            if reusable:
                kept = self._keep(key, connection)
            return result
        finally:
            if not kept:
                connection.close()

    def _keep(self, key: tuple[str, str, int], connection: _Connection) -> bool:
        idle = self._idle.setdefault(key, [])
        self._idle.move_to_end(key)
        if len(idle) >= self.max_idle_per_target:
            return False
        idle.append(connection)
        while len(self._idle) > self.max_targets:
            _, dropped = self._idle.popitem(last=False)
            for old in dropped:
                old.close()
        return True

    async def _connect(self, target: ResolvedTarget) -> _Connection:
        """A connection to the first checked address that accepts one (TLS checked
        against the URL's name, never the address)."""
        tls = target.url.scheme == "https"
        failure: OSError | None = None
        for address in target.addresses:
            try:
                reader, writer = await asyncio.open_connection(
                    str(address),
                    target.port,
                    ssl=self._tls_context() if tls else None,
                    server_hostname=target.host if tls else None,
                )
            except OSError as exc:  # refused, unreachable, or a TLS failure
                failure = exc
                continue
            return _Connection(reader, writer)
        raise UrlUnreachable(f"Could not connect to {target.host}: {failure}", param="url")

    async def aclose(self) -> None:
        targets = list(self._idle.values())
        self._idle.clear()
        for idle in targets:
            for connection in idle:
                connection.close()

    async def __aenter__(self) -> TargetPools:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()


async def post(
    pools: TargetPools,
    url: str,
    *,
    content: bytes,
    headers: dict[str, str],
    allow_private: bool,
    excerpt_bytes: int = 1024,
) -> PostResult:
    """POST ``content`` to ``url`` through the guard, within ``pools.timeout`` (else
    ``TimeoutError``): the URL is resolved and checked at every call, a new connection
    goes to a checked address and a kept-alive one is reused only for the same target;
    redirects are not followed and only the first ``excerpt_bytes`` of the answer are
    read. Raises ``UrlInvalid``/``UrlNotAllowed``/``UrlUnreachable`` (the guard, or no
    address accepted a connection) and ``PostFailed`` (the exchange broke)."""
    async with asyncio.timeout(pools.timeout):
        target = await check_url(url, allow_private=allow_private, param="url")
        # One value per name, whatever its case; the guard's own headers win.
        fields = {name.lower(): (name, str(value)) for name, value in headers.items()}
        for name, value in (
            ("Host", target.url.netloc.decode("ascii")),
            ("User-Agent", USER_AGENT),
            ("Accept-Encoding", "identity"),  # the excerpt is logged as it came
            ("Content-Length", str(len(content))),
        ):
            fields[name.lower()] = (name, value)
        try:
            request = h11.Request(
                method="POST", target=target.url.raw_path, headers=list(fields.values())
            )
        except h11.LocalProtocolError as exc:
            raise PostFailed(f"invalid request: {exc}") from exc
        return await pools.exchange(target, request, content, excerpt_bytes)
