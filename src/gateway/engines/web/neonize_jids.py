"""Our chat ids (``…@c.us``, ``…@g.us``, ``…@lid``) and whatsmeow's JIDs, both ways."""

from __future__ import annotations

from typing import Any

from gateway.engines.web.clients import ClientError

# Our server part → WhatsApp's.
CHAT_SERVERS = {"c.us": "s.whatsapp.net", "s.whatsapp.net": "s.whatsapp.net", "g.us": "g.us",
                "lid": "lid", "newsletter": "newsletter", "broadcast": "broadcast"}  # fmt: skip


def chat_id_of(jid: Any) -> str:
    """Our id of a WhatsApp JID: ``<digits>@c.us`` for a phone number, else as it is
    (``…@g.us``, ``…@lid``); the device part is dropped."""
    server = "c.us" if jid.Server == "s.whatsapp.net" else jid.Server
    return f"{jid.User}@{server}"


def jid_of(chat_id: str) -> Any:
    """whatsmeow's JID of our ``chat_id``; ``ClientError invalid_recipient`` if it is none."""
    from neonize.proto.Neonize_pb2 import JID

    user, _, server = chat_id.partition("@")
    if server not in CHAT_SERVERS or not user:
        raise ClientError("invalid_recipient", f"Not a chat: {chat_id}.")
    server = CHAT_SERVERS[server]
    return JID(User=user, Server=server, RawAgent=0, Device=0, Integrator=0, IsEmpty=False)
