"""The live event stream: ``GET /v1/events/stream`` over WebSocket.

Every API process keeps one Redis subscription to the events channel and fans it out to
its own WebSocket clients, so a client connected to any replica sees the events committed
by every process (API or worker). Each client gets the event objects its key may see,
filtered by session and type as it asked, and a heartbeat when nothing happens.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import orjson
import structlog
from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect
from redis.asyncio import Redis
from redis.exceptions import RedisError

from gateway.auth.principal import Principal
from gateway.auth.scopes import Access, allows
from gateway.auth.service import authenticate_connection, presented_key
from gateway.events.service import EVENTS_CHANNEL
from gateway.events.types import EventType
from gateway.kit.channels import scoped
from gateway.kit.errors import GatewayError, InvalidRequest, PermissionDenied
from gateway.kit.ids import is_valid_id
from gateway.kit.state import app_state
from gateway.kit.time import utcnow

log = structlog.get_logger(__name__)

POLICY_VIOLATION = 1008
# A client this far behind is cut off rather than buffered without bound.
MAX_BACKLOG = 1000
# How long a new client waits for the process to subscribe (it is not subscribed while
# nobody streams from it).
SUBSCRIBE_WAIT_SECONDS = 2.0

router = APIRouter(tags=["Events"])


@dataclass(eq=False)
class Listener:
    principal: Principal
    session_id: str | None
    types: frozenset[str] | None
    queue: asyncio.Queue[dict[str, Any]] = field(default_factory=lambda: asyncio.Queue(MAX_BACKLOG))
    overflowed: bool = False

    def wants(self, account_id: str, event: dict[str, Any]) -> bool:
        if account_id != self.principal.account_id:
            return False
        if self.principal.is_test and event.get("livemode"):
            return False
        event_session = (event.get("session") or {}).get("id")
        for required in (self.principal.session_id, self.session_id):
            if required is not None and event_session != required:
                return False
        return self.types is None or event.get("type") in self.types

    def offer(self, account_id: str, event: dict[str, Any]) -> None:
        if self.wants(account_id, event):
            try:
                self.queue.put_nowait(event)
            except asyncio.QueueFull:
                self.overflowed = True


class EventHub:
    """One subscription per process, shared by its stream clients, and held only while
    there are clients: every event of the deployment crosses the channel, and a process
    nobody streams from must not spend its CPU parsing them."""

    def __init__(self) -> None:
        self.listeners: set[Listener] = set()
        self._wanted = asyncio.Event()
        self._subscribed = asyncio.Event()

    def add(self, listener: Listener) -> None:
        self.listeners.add(listener)
        self._wanted.set()

    def remove(self, listener: Listener) -> None:
        self.listeners.discard(listener)
        if not self.listeners:
            self._wanted.clear()

    async def subscribed(self, within: float = SUBSCRIBE_WAIT_SECONDS) -> None:
        """Wait (a little) for the subscription, so a new client misses nothing after it."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), within)

    def dispatch(self, raw: bytes | str) -> None:
        message = orjson.loads(raw)
        for listener in list(self.listeners):
            listener.offer(message["account_id"], message["event"])

    async def run(self, redis: Redis) -> None:
        """Relay the channel to the listeners while there are any, until cancelled,
        resubscribing after errors."""
        while True:
            await self._wanted.wait()
            pubsub = redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(scoped(redis, EVENTS_CHANNEL))
                self._subscribed.set()
                while self.listeners:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is not None and message["type"] == "message":
                        self.dispatch(message["data"])
            except (RedisError, OSError) as exc:
                log.warning("events.stream.subscription_lost", error=str(exc))
                await asyncio.sleep(0.5)
            finally:
                self._subscribed.clear()
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]


def _filters(
    session: str | None, types: list[str] | None
) -> tuple[str | None, frozenset[str] | None]:
    if session is not None and not is_valid_id(session, "ses"):
        raise InvalidRequest(f"Invalid session '{session}'.", param="session")
    wanted: set[str] = set()
    for value in types or []:
        wanted.update(t.strip() for t in value.split(",") if t.strip())
    unknown = sorted(wanted - {t.value for t in EventType})
    if unknown:
        raise InvalidRequest(f"Unknown event type '{unknown[0]}'.", param="types")
    return session, frozenset(wanted) or None


@router.websocket("/v1/events/stream")
async def stream_events(
    websocket: WebSocket,
    session: Annotated[str | None, Query(max_length=64)] = None,
    types: Annotated[list[str] | None, Query()] = None,
) -> None:
    """Events as they happen. Authenticate with `Authorization: Bearer`, `X-Api-Key`, or
    (browsers) `?api_key=`; filter with `session` and `types` (comma-separated or
    repeated). Each message is an event object, or `{"object": "heartbeat"}`. A bad key
    or filter closes the socket with 1008 and the reason."""
    await websocket.accept()
    try:
        key = presented_key(websocket, query_param="api_key")
        principal = await authenticate_connection(websocket, key)
        if not allows(principal.scopes, "events", Access.read):
            raise PermissionDenied("This API key does not have the 'events: read' scope.")
        session_id, wanted = _filters(session, types)
    except GatewayError as exc:
        await websocket.close(code=POLICY_VIOLATION, reason=exc.message[:120])
        return
    await relay(websocket, Listener(principal, session_id, wanted))


async def relay(
    websocket: WebSocket,
    listener: Listener,
    *,
    ready: dict[str, Any] | None = None,
    still_allowed: Callable[[], Awaitable[bool]] | None = None,
) -> None:
    """Send the listener's events to the accepted ``websocket`` until either side stops,
    with a heartbeat when nothing happens. ``ready`` is sent once the process is
    subscribed (a client may then catch up on what it missed before); ``still_allowed`` is
    asked before each message, and a ``False`` closes the socket with 1008 (the dashboard's
    key was revoked)."""
    state = app_state(websocket)
    state.event_hub.add(listener)
    await state.event_hub.subscribed()
    closed = asyncio.create_task(_until_client_leaves(websocket))
    try:
        if ready is not None:
            await websocket.send_text(orjson.dumps(ready).decode())
        while not closed.done():
            if listener.overflowed:
                await websocket.close(code=1013, reason="Too far behind; reconnect.")
                return
            try:
                event = await asyncio.wait_for(
                    listener.queue.get(), state.settings.stream_heartbeat_seconds
                )
            except TimeoutError:
                event = {"object": "heartbeat", "at": utcnow().isoformat()}
            if still_allowed is not None and not await still_allowed():
                await websocket.close(code=POLICY_VIOLATION, reason="Signed out.")
                return
            await websocket.send_text(orjson.dumps(event).decode())
    except (WebSocketDisconnect, RuntimeError):
        return  # the client went away mid-send
    finally:
        state.event_hub.remove(listener)
        closed.cancel()


async def _until_client_leaves(websocket: WebSocket) -> None:
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
