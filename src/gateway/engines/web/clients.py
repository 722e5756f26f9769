"""The WhatsApp client a web session's child process drives, and how it is chosen.

A client is what speaks WhatsApp Web: the neonize (whatsmeow) adapter, over neonize in
production (``neonize``) and over a scripted stand-in for neonize in tests (``fake``).
The child builds the one named on its command line (``--client``), which the engine
chose from the session's config (``{"web": {"client": "fake"}}``), else from
``GATEWAY_WEB_CLIENT``, else ``neonize``. Clients are imported by name only when built.

A client reports what happens by calling ``emit`` with an event's data; it answers
commands by returning, or by raising ``ClientError``.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from gateway.engines.web.protocol import EventData

CLIENT_ENV = "GATEWAY_WEB_CLIENT"
DEFAULT_CLIENT = "neonize"
# name → "module:attribute" of the client's class.
CLIENTS: dict[str, str] = {
    "fake": "gateway.engines.web.fake_library:FakeClient",
    "neonize": "gateway.engines.web.neonize_client:NeonizeClient",
}

Emit = Callable[[EventData], Awaitable[None]]
ExtraOp = Callable[[dict[str, Any]], Awaitable[Any]]


class ClientError(Exception):
    """A command the client could not carry out; ``transient`` ones may succeed later."""

    def __init__(self, code: str, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = transient


class UnknownClient(Exception):
    pass


class WhatsAppClient(Protocol):
    async def start(self, options: dict[str, Any]) -> None:
        """Connect: resume the stored link, or begin linking (``qr`` events follow)."""
        ...

    async def pair_phone(self, phone_number: str) -> str:
        """Link by code instead of QR: the code to type on the phone."""
        ...

    async def probe(self) -> None:
        """Return only once WhatsApp's servers have answered a round trip over the
        connection, so that a dead connection hangs or raises; the host bounds the wait.
        A client also reports its keep-alives failing and restored as ``KeepAliveData``
        (neonize: KeepAliveTimeout, KeepAliveRestored)."""
        ...

    async def logout(self) -> None:
        """Unlink the device and forget its credentials."""
        ...

    async def close(self) -> None:
        """Disconnect, keeping the link; the child exits next."""
        ...

    def extra_ops(self) -> Mapping[str, ExtraOp]:
        """Every op beyond the protocol's own: sends, groups … (and the fake's test ops)."""
        ...


def client_name(config: Mapping[str, Any]) -> str:
    """Which client a session's child runs: its config's ``web.client``, else the
    environment's ``GATEWAY_WEB_CLIENT``, else neonize."""
    web = config.get("web") or {}
    name = web.get("client") if isinstance(web, Mapping) else None
    return str(name or os.environ.get(CLIENT_ENV) or DEFAULT_CLIENT)


def is_known(name: str) -> bool:
    return name in CLIENTS


def build_client(name: str, session_id: str, emit: Emit) -> WhatsAppClient:
    """The client called ``name`` for ``session_id``, reporting through ``emit``."""
    try:
        module_name, attribute = CLIENTS[name].split(":")
    except KeyError:
        raise UnknownClient(f"no WhatsApp client called {name!r}") from None
    factory = getattr(importlib.import_module(module_name), attribute)
    client: WhatsAppClient = factory(session_id, emit)
    return client
