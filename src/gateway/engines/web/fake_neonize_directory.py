"""The fake neonize client's contacts, LIDs, blocklist and groups (``fake_neonize``).

An in-memory WhatsApp as whatsmeow sees it from one linked device: people (seeded with
``fake_add_contact``; no one else is on WhatsApp), groups (``fake_add_group``, or made
through ``create_group``) with invite codes, the session's blocklist, and the LID map
whatsmeow's store keeps, which learns a person's LID only when it is seeded as known or
a usync for the user (``get_user_info``) answered it. Methods have neonize's signatures
and return its protobufs; failures raise whatsmeow's own words (``errors.go``), as
neonize does; every call is journaled (``fake_calls``) and can be scripted to fail
(``fake_fail``).

Test ops: ``fake_add_contact`` ``{phone_number, name?, push_name?, business_name?, lid?,
lid_known? (true), about?, picture_url?, picture_hidden?, on_whatsapp? (true),
in_address_book? (true), invite_only?}``; ``fake_add_group`` ``{subject, participants:
[{phone_number, role?}], me_role? ("superadmin"; null: not in it), description?,
announce?, locked?, addressing? ("pn" or "lid"), invite_code?}`` → ``{id, invite_code}``;
``fake_group`` ``{group_id}`` → the group as the network has it.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from neonize.proto import Neonize_pb2 as pb

from gateway.engines.web.fake_neonize_directory_groups import FakeGroups
from gateway.engines.web.fake_neonize_directory_network import (
    FakeGroup,
    FakePerson,
    digits_of,
    fake_jid,
    invite_code,
)

TestOp = Callable[[dict[str, Any]], Awaitable[Any]]


class FakeContactStore:
    """``client.contact``: whatsmeow's contact store (the address book it synced)."""

    def __init__(self, owner: FakeGroups) -> None:
        self._owner = owner

    def _info(self, person: FakePerson | None) -> pb.ContactInfo:
        if person is None or not person.in_address_book:
            return pb.ContactInfo(Found=False)
        return pb.ContactInfo(
            Found=True, FullName=person.name or "", FirstName=(person.name or "").split(" ")[0],
            PushName=person.push_name or "", BusinessName=person.business_name or "",
        )  # fmt: skip

    async def get_contact(self, user: pb.JID) -> pb.ContactInfo:
        self._owner._maybe_fail("get_contact")
        # Entries are kept under the number: a LID finds nothing, as in whatsmeow's store.
        if user.Server == "lid":
            return pb.ContactInfo(Found=False)
        return self._info(self._owner._network.people.get(user.User))

    async def get_all_contacts(self) -> list[pb.Contact]:
        self._owner._maybe_fail("get_all_contacts")
        people = self._owner._network.people.values()
        return [pb.Contact(JID=fake_jid(p.phone), Info=self._info(p)) for p in people
                if p.in_address_book]  # fmt: skip


class FakeDirectory(FakeGroups):
    """Mixed into ``fake_neonize.FakeNewAClient``."""

    @property
    def contact(self) -> FakeContactStore:
        return FakeContactStore(self)

    async def send_app_state(self, patch_info: pb.PatchInfo) -> None:
        """Taken as WhatsApp takes a patch it accepts; journaled as it was given."""
        self._maybe_fail("send_app_state")
        self._record("send_app_state", patch_info=patch_info)

    # -- people -----------------------------------------------------------------------------

    async def is_on_whatsapp(self, *numbers: str) -> list[pb.IsOnWhatsAppResponse]:
        self._maybe_fail("is_on_whatsapp")
        self._record("is_on_whatsapp", numbers=list(numbers))
        answers = []
        for number in numbers:
            person = self._network.people.get(digits_of(number))
            on = person is not None and person.on_whatsapp
            answers.append(
                pb.IsOnWhatsAppResponse(Query=number, IsIn=on, JID=fake_jid(digits_of(number)))
            )
        return answers

    async def get_user_info(self, *jid: pb.JID) -> list[pb.GetUserInfoSingleReturnFunction]:
        self._maybe_fail("get_user_info")
        self._record("get_user_info", jids=list(jid))
        answers = []
        for each in jid:
            phone = self._phone_of(each)
            person = self._network.people.get(phone) if phone else None
            if person is None or not person.on_whatsapp:
                continue
            person.lid_known = True  # the usync's answer carries the LID: the store keeps it
            info = pb.UserInfo(
                Status=person.about or "", PictureID="1" if person.picture_url else ""
            )
            answers.append(pb.GetUserInfoSingleReturnFunction(JID=each, UserInfo=info))
        return answers

    async def get_profile_picture(self, jid: pb.JID, extra: Any = None) -> pb.ProfilePictureInfo:
        self._maybe_fail("get_profile_picture")
        if jid.Server == "g.us":
            group = self._network.groups.get(jid.User)
            if group is None or group.picture_id is None:
                raise Exception("that user or group does not have a profile picture")
            url = f"https://pps.whatsapp.net/fake/{group.id}/{group.picture_id}.jpg"
            return pb.ProfilePictureInfo(URL=url, ID=group.picture_id, Type="image")
        phone = self._phone_of(jid)
        person = self._network.people.get(phone) if phone else None
        if person is not None and person.picture_hidden:
            raise Exception("the user has hidden their profile picture from you")
        if person is None or not person.picture_url:
            raise Exception("that user or group does not have a profile picture")
        return pb.ProfilePictureInfo(URL=person.picture_url, ID="1", Type="image")

    async def get_lid_from_pn(self, jid: pb.JID) -> pb.JID:
        self._maybe_fail("get_lid_from_pn")
        person = self._network.people.get(jid.User)
        if person is None or person.lid is None or not person.lid_known:
            return pb.JID()  # whatsmeow's store: no mapping is an empty JID, no error
        return fake_jid(person.lid, "lid")

    async def get_pn_from_lid(self, jid: pb.JID) -> pb.JID:
        self._maybe_fail("get_pn_from_lid")
        for person in self._network.people.values():
            if person.lid == jid.User and person.lid_known:
                return fake_jid(person.phone)
        return pb.JID()

    def _blocklist(self) -> pb.Blocklist:
        return pb.Blocklist(DHash="fake", JIDs=[fake_jid(p) for p in sorted(self._network.blocked)])

    async def get_blocklist(self) -> pb.Blocklist:
        self._maybe_fail("get_blocklist")
        return self._blocklist()

    async def update_blocklist(self, jid: pb.JID, action: Any) -> pb.Blocklist:
        self._maybe_fail("update_blocklist")
        self._record("update_blocklist", jid=jid, action=action)
        phone = self._phone_of(jid)
        if phone is None:
            raise Exception("info query returned status 400: bad-request")
        if action.value == "block":
            self._network.blocked.add(phone)
        else:
            self._network.blocked.discard(phone)
        return self._blocklist()

    # -- test ops -----------------------------------------------------------------------

    def directory_test_ops(self) -> dict[str, TestOp]:
        return {
            "fake_add_contact": self._fake_add_contact,
            "fake_add_group": self._fake_add_group,
            "fake_group": self._fake_group,
        }

    async def _fake_add_contact(self, args: dict[str, Any]) -> dict[str, Any]:
        values = {k: v for k, v in args.items() if k != "phone_number" and v is not None}
        if "lid" in values:
            values["lid"] = digits_of(str(values["lid"]))
        person = FakePerson(phone=digits_of(str(args["phone_number"])), **values)
        self._network.people[person.phone] = person
        return {"id": f"{person.phone}@c.us"}

    async def _fake_add_group(self, args: dict[str, Any]) -> dict[str, Any]:
        members = {digits_of(str(p["phone_number"])): str(p.get("role") or "member")
                   for p in args.get("participants") or []}  # fmt: skip
        me_role = args.get("me_role", "superadmin")
        if me_role:
            members[self._me()] = str(me_role)
        owner = next((p for p, r in members.items() if r == "superadmin"), None)
        group = FakeGroup(
            id=f"120363{secrets.randbelow(10**12):012d}", subject=str(args["subject"]),
            members=members, description=args.get("description"),
            announce=bool(args.get("announce")), locked=bool(args.get("locked")),
            addressing=str(args.get("addressing") or "pn"), owner=owner,
            invite_code=str(args.get("invite_code") or invite_code()),
        )  # fmt: skip
        self._network.groups[group.id] = group
        return {"id": f"{group.id}@g.us", "invite_code": group.invite_code}

    async def _fake_group(self, args: dict[str, Any]) -> dict[str, Any] | None:
        group = self._network.groups.get(str(args["group_id"]).split("@")[0])
        if group is None:
            return None
        return {"subject": group.subject, "description": group.description,
                "members": dict(group.members), "announce": group.announce,
                "locked": group.locked, "picture_id": group.picture_id,
                "invite_code": group.invite_code, "revoked": list(group.revoked)}  # fmt: skip
