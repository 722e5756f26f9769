"""How the child's WhatsApp client is extended by the engine's parts.

The neonize adapter (``neonize_client``) keeps the connection and the link; the rest of
what a session does is ops and event handlers in modules of their own, over the same
neonize client object (neonize's ``NewAClient`` in production, ``fake_neonize``'s stand-in
in tests):

- ops (``neonize_messaging.OPS``, ``neonize_directory.OPS``): a command the host sends by
  name, carried out only while the session is linked, answered with JSON;
- event handlers (``neonize_inbound.HANDLERS``): one per neonize event class name (as in
  ``neonize.aioze.events``, e.g. ``"MessageEv"``), each turning an event into the
  protocol's events for the host.

Both get an ``OpContext``; both raise ``ClientError`` for what they cannot do.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.engines.web.protocol import EventData, MeData


@dataclass(frozen=True)
class OpContext:
    client: Any  # neonize's NewAClient, or the fake of it
    me: MeData | None  # who is linked; None before linking (events only)
    workdir: Path  # the session's directory, shared with the host: files travel as paths


NeonizeOp = Callable[[OpContext, dict[str, Any]], Awaitable[Any]]
EventHandler = Callable[[OpContext, Any], Awaitable[list[EventData]]]
