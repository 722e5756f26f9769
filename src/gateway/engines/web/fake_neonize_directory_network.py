"""The fake neonize client's WhatsApp (``fake_neonize_directory``): people, groups and
the blocklist, in memory, and whatsmeow's words for what goes wrong."""

from __future__ import annotations

import secrets
import string
import time
from dataclasses import dataclass, field
from typing import Any

from neonize.proto import Neonize_pb2 as pb

NOT_IN_GROUP = "you're not participating in that group"
NO_GROUP = "that group does not exist"
INVITE_INVALID = "that group invite link is not valid"
INVITE_REVOKED = "that group invite link has been revoked"
NO_INVITE_PERMISSION = "you don't have the permission to get the group's invite link"
FORBIDDEN = "info query returned status 403: forbidden"
NOT_AUTHORIZED = "info query returned status 401: not-authorized"
DEFAULT_ABOUT = "Hey there! I am using WhatsApp."
ADMIN_ROLES = ("superadmin", "admin")
JPEG_MAGIC = b"\xff\xd8\xff"


def fake_jid(user: str, server: str = "s.whatsapp.net") -> pb.JID:
    return pb.JID(User=user, Server=server, Device=0, RawAgent=0, Integrator=0, IsEmpty=False)


def digits_of(value: str) -> str:
    return "".join(ch for ch in value.split("@")[0].split(":")[0] if ch.isdigit())


def invite_code() -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(22))


@dataclass
class FakePerson:
    phone: str  # the number's digits
    lid: str | None = None  # the LID's digits
    lid_known: bool = True  # whether whatsmeow's store maps the two yet
    name: str | None = None
    push_name: str | None = None
    business_name: str | None = None
    about: str | None = DEFAULT_ABOUT
    picture_url: str | None = None
    picture_hidden: bool = False
    on_whatsapp: bool = True
    in_address_book: bool = True
    invite_only: bool = False  # privacy: only an invite can add them to groups


@dataclass
class FakeGroup:
    id: str  # the JID's user part
    subject: str
    members: dict[str, str]  # phone digits → role
    description: str | None = None
    topic_id: str = ""
    announce: bool = False
    locked: bool = False
    addressing: str = "pn"
    picture_id: str | None = None
    invite_code: str = field(default_factory=invite_code)
    revoked: list[str] = field(default_factory=list)
    owner: str | None = None
    created: int = field(default_factory=lambda: int(time.time()))


@dataclass
class FakeNetwork:
    people: dict[str, FakePerson] = field(default_factory=dict)
    groups: dict[str, FakeGroup] = field(default_factory=dict)
    blocked: set[str] = field(default_factory=set)  # phone digits


class FakeWhatsApp:
    """What the fake's parts share: the network, and who the session is. Mixed into
    ``fake_neonize.FakeNewAClient``, which gives ``_record``, ``_maybe_fail`` and ``me_jid``."""

    me_jid: pb.JID | None
    me_lid: pb.JID | None

    def _record(self, method: str, **args: Any) -> None:
        raise NotImplementedError

    def _maybe_fail(self, method: str) -> None:
        raise NotImplementedError

    @property
    def _network(self) -> FakeNetwork:
        # FakeNewAClient does not call this mixin's __init__: the state starts here.
        network: FakeNetwork | None = self.__dict__.get("_fake_network")
        if network is None:
            network = self.__dict__["_fake_network"] = FakeNetwork()
        return network

    def _me(self) -> str:
        if self.me_jid is None:
            raise Exception("the store doesn't contain a device JID")
        return str(self.me_jid.User)

    def _phone_of(self, jid: pb.JID) -> str | None:
        """The digits of the number ``jid`` names (through the network, for a LID)."""
        if jid.Server != "lid":
            return str(jid.User)
        if self.me_lid is not None and jid.User == self.me_lid.User:
            return self._me()
        return next((p.phone for p in self._network.people.values() if p.lid == jid.User), None)
