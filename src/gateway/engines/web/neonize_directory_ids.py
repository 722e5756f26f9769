"""Who a JID is, as the child's directory ops answer it, and whatsmeow's failures as codes.

whatsmeow names a person by phone number (``…@s.whatsapp.net``) or by LID (``…@lid``)
and keeps the mappings between the two that it has seen (in usync answers, group
metadata, messages) in its own store; ``person_of`` asks that store for the other half.
neonize raises whatsmeow's errors as exceptions carrying Go's text (``errors.go``), so
``whatsmeow`` maps the known texts to our codes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import structlog

from gateway.engines.web.clients import ClientError
from gateway.engines.web.neonize_jids import chat_id_of, jid_of

log = structlog.get_logger(__name__)
T = TypeVar("T")

PHONE_SERVER = "s.whatsapp.net"
LID_SERVER = "lid"
# whatsmeow's words (errors.go) for a group the session is not in, or that is gone.
NOT_IN_GROUP = {
    "you're not participating in that group": "group_not_found",
    "that group does not exist": "group_not_found",
}
INVITE_GONE = {
    "that group invite link is not valid": "invite_not_found",
    "that group invite link has been revoked": "invite_not_found",
}
# An admin-only change asked by a member: the server's 401 or 403 to the query.
NOT_ADMIN = {"status 401": "not_group_admin", "status 403": "not_group_admin"}
NO_PICTURE = (
    "that user or group does not have a profile picture",
    "the user has hidden their profile picture from you",
)
# Failures of the connection rather than of the request: worth trying again.
PASSING = ("websocket not connected", "timed out", "websocket disconnected")


async def whatsmeow(call: Awaitable[T], code: str, known: Mapping[str, str] | None = None) -> T:
    """What neonize answers, or ``ClientError``: the code of the first of ``known``'s texts
    in whatsmeow's error, else ``code``."""
    try:
        return await call
    except ClientError:
        raise
    except Exception as exc:
        text = str(exc)[:500]
        for words, mapped in (known or {}).items():
            if words in text:
                raise ClientError(mapped, text) from None
        raise ClientError(code, text, transient=any(p in text for p in PASSING)) from None


def is_set(jid: Any) -> bool:
    return bool(jid is not None and jid.User)


@dataclass(frozen=True)
class Person:
    """Someone by phone number and LID, each None while unknown (one of them is set)."""

    phone: Any
    lid: Any

    @property
    def phone_id(self) -> str | None:
        return chat_id_of(self.phone) if self.phone is not None else None

    @property
    def lid_id(self) -> str | None:
        return chat_id_of(self.lid) if self.lid is not None else None

    @property
    def id(self) -> str:
        """Ours: the phone-number id when the number is known, else the LID."""
        return self.phone_id or str(self.lid_id)

    @property
    def phone_number(self) -> str | None:
        return f"+{self.phone.User}" if self.phone is not None else None

    def names(self) -> set[str]:
        """Every id this person answers to."""
        return {name for name in (self.phone_id, self.lid_id) if name}


def bare(jid: Any) -> Any:
    """``jid`` without its device part (whatsmeow's ``ToNonAD``)."""
    return jid_of(chat_id_of(jid))


async def counterpart(client: Any, jid: Any) -> Any | None:
    """The other id whatsmeow's store maps ``jid`` to (LID ↔ phone number), if any."""
    lookup = client.get_pn_from_lid if jid.Server == LID_SERVER else client.get_lid_from_pn
    try:
        other = await lookup(jid)
    except Exception as exc:  # a store read: an unknown mapping is an empty JID, not this
        log.warning("web.directory.lid_lookup_failed", jid=chat_id_of(jid), error=str(exc))
        return None
    return bare(other) if is_set(other) else None


async def person_of(client: Any, jid: Any, *, other: Any = None) -> Person:
    """The person ``jid`` names, the other half from ``other`` or whatsmeow's store."""
    jid = bare(jid)
    if not is_set(other):
        other = await counterpart(client, jid)
    else:
        other = bare(other)
    if jid.Server == LID_SERVER:
        return Person(phone=other, lid=jid)
    return Person(phone=jid, lid=other)


def phone_jid(phone_number: str) -> Any:
    """whatsmeow's JID of an E.164 number."""
    return jid_of(f"{phone_number.lstrip('+')}@c.us")
