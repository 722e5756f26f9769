"""``/dashboard/stream``: the live updates of the dashboard's pages over a WebSocket.

The page's script cannot send the API key (it is in an HTTP-only cookie), so this socket
authenticates by the cookie, which the browser sends with the handshake; and since a
WebSocket handshake is not bound by the same-origin policy, it also refuses any
``Origin`` that is not this gateway's (cross-site WebSocket hijacking). It then rides the
API's event stream (``events/stream.py``: one Redis subscription per process, fanned out
to listeners) with the key's own reach: its account, its mode, its session, and only the
event types its scopes may read.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, WebSocket

from gateway.auth.scopes import Access
from gateway.dashboard.auth import SignInRequired, same_origin, visitor_of
from gateway.events.stream import POLICY_VIOLATION, Listener, relay
from gateway.events.types import EventType
from gateway.kit.errors import AuthenticationFailed
from gateway.kit.ids import is_valid_id

router = APIRouter()

# What the pages show live, by the scope that reads it.
LIVE_TYPES = {
    "sessions": (EventType.session_status, EventType.session_qr),
    "messages": (EventType.message_status,),
}


@router.websocket("/stream")
async def dashboard_stream(
    websocket: WebSocket,
    session: Annotated[str | None, Query(max_length=64)] = None,
    page: Annotated[Literal["events"] | None, Query()] = None,
) -> None:
    await websocket.accept()
    if websocket.headers.get("origin") is None or not same_origin(websocket):
        await websocket.close(code=POLICY_VIOLATION, reason="Not from this dashboard.")
        return
    try:
        visitor = await visitor_of(websocket, rate_limited=False)
    except SignInRequired:
        await websocket.close(code=POLICY_VIOLATION, reason="Signed out.")
        return
    if session is not None and not is_valid_id(session, "ses"):
        await websocket.close(code=POLICY_VIOLATION, reason="Invalid session.")
        return
    types: frozenset[str] | None = frozenset(
        event_type.value
        for resource, event_types in LIVE_TYPES.items()
        if visitor.can(resource, Access.read)
        for event_type in event_types
    )
    if page == "events":
        # The event log shows every type, as the API's own stream does for a key that
        # reads events; without that scope the log shows nothing live either.
        types = None if visitor.can("events", Access.read) else frozenset()
    if types is not None and not types:
        await websocket.close(code=POLICY_VIOLATION, reason="This key can see nothing live.")
        return
    cookie_key = visitor.principal.key_id

    async def still_allowed() -> bool:
        # The key as it is now (the cache drops a revoked key within a second), so an
        # open page stops receiving the moment its key is revoked.
        try:
            now = await visitor_of(websocket, rate_limited=False)
        except (SignInRequired, AuthenticationFailed):
            return False
        return now.principal.key_id == cookie_key

    await relay(
        websocket,
        Listener(visitor.principal, session, types),
        ready={"object": "ready"},
        still_allowed=still_allowed,
    )
