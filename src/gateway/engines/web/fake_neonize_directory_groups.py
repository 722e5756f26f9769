"""The fake neonize client's groups (``fake_neonize_directory``): whatsmeow's group
methods over the in-memory network, as an admin or a member of each group sees them."""

from __future__ import annotations

import secrets
from typing import Any

from neonize.proto import Neonize_pb2 as pb

from gateway.engines.web.fake_neonize_directory_network import (
    ADMIN_ROLES,
    FORBIDDEN,
    INVITE_INVALID,
    INVITE_REVOKED,
    JPEG_MAGIC,
    NO_GROUP,
    NO_INVITE_PERMISSION,
    NOT_AUTHORIZED,
    NOT_IN_GROUP,
    FakeGroup,
    FakeWhatsApp,
    fake_jid,
    invite_code,
)


class FakeGroups(FakeWhatsApp):
    def _participant(self, group: FakeGroup, phone: str, role: str, error: int = 0) -> Any:
        person = self._network.people.get(phone)
        lid = person.lid if person is not None else None
        if phone == self._me() and self.me_lid is not None:
            lid = self.me_lid.User
        participant = pb.GroupParticipant(
            JID=fake_jid(lid, "lid") if group.addressing == "lid" and lid else fake_jid(phone),
            PhoneNumber=fake_jid(phone), IsAdmin=role in ADMIN_ROLES,
            IsSuperAdmin=role == "superadmin", Error=error,
        )  # fmt: skip
        if lid:
            participant.LID.CopyFrom(fake_jid(lid, "lid"))
        return participant

    def _info(self, group: FakeGroup) -> pb.GroupInfo:
        info = pb.GroupInfo(
            JID=fake_jid(group.id, "g.us"), GroupCreated=float(group.created),
            GroupName=pb.GroupName(Name=group.subject),
            GroupTopic=pb.GroupTopic(
                Topic=group.description or "", TopicID=group.topic_id,
                TopicDeleted=group.description is None and bool(group.topic_id),
            ),
            GroupAnnounce=pb.GroupAnnounce(IsAnnounce=group.announce),
            GroupLocked=pb.GroupLocked(isLocked=group.locked),
            Participants=[self._participant(group, p, r) for p, r in group.members.items()],
        )  # fmt: skip
        if group.owner:
            info.OwnerJID.CopyFrom(fake_jid(group.owner))
            info.OwnerPN.CopyFrom(fake_jid(group.owner))
        return info

    def _group(self, jid: pb.JID, *, admin: bool = False, error: str = NOT_AUTHORIZED) -> FakeGroup:
        """The group, if the session is in it (and an admin, when ``admin``)."""
        group = self._network.groups.get(jid.User)
        if group is None:
            raise Exception(NO_GROUP)
        role = group.members.get(self._me())
        if role is None:
            raise Exception(NOT_IN_GROUP)
        if admin and role not in ADMIN_ROLES:
            raise Exception(error)
        return group

    def _edit_info(self, jid: pb.JID) -> FakeGroup:
        group = self._group(jid)
        return self._group(jid, admin=True) if group.locked else group

    async def get_joined_groups(self) -> list[pb.GroupInfo]:
        self._maybe_fail("get_joined_groups")
        me = self._me()
        return [self._info(g) for g in self._network.groups.values() if me in g.members]

    async def get_group_info(self, jid: pb.JID) -> pb.GroupInfo:
        self._maybe_fail("get_group_info")
        return self._info(self._group(jid))

    async def create_group(
        self, name: str, participants: list[pb.JID] | None = None, linked_parent: Any = None,
        group_parent: Any = None,
    ) -> pb.GroupInfo:  # fmt: skip
        self._maybe_fail("create_group")
        self._record("create_group", name=name, participants=list(participants or []))
        me = self._me()
        group = FakeGroup(id=f"120363{secrets.randbelow(10**12):012d}", subject=name,
                          members={me: "superadmin"}, owner=me)  # fmt: skip
        refused = []
        for jid in participants or []:
            phone = self._phone_of(jid)
            person = self._network.people.get(phone) if phone else None
            if person is None or not person.on_whatsapp or person.invite_only:
                refused.append((phone or jid.User, 404 if person is None else 403))
                continue
            group.members.setdefault(person.phone, "member")
        self._network.groups[group.id] = group
        info = self._info(group)
        info.Participants.extend(self._participant(group, p, "member", e) for p, e in refused)
        return info

    async def update_group_participants(
        self, jid: pb.JID, participants_changes: list[pb.JID], action: Any
    ) -> list[pb.GroupParticipant]:
        self._maybe_fail("update_group_participants")
        self._record("update_group_participants", jid=jid, participants=participants_changes,
                     action=action)  # fmt: skip
        group = self._group(jid, admin=True, error=FORBIDDEN)
        answers = []
        for each in participants_changes:
            phone = self._phone_of(each) or each.User
            error = self._change_participant(group, action.value, phone)
            role = group.members.get(phone, "member")
            answers.append(self._participant(group, phone, role, error))
        return answers

    def _change_participant(self, group: FakeGroup, action: str, phone: str) -> int:
        """WhatsApp's code for one participant: 0 done, else why not."""
        person = self._network.people.get(phone)
        if action == "add":
            if phone in group.members:
                return 409
            if person is None or not person.on_whatsapp:
                return 404
            if person.invite_only:
                return 403
            group.members[phone] = "member"
            return 0
        if phone not in group.members:
            return 404
        if action == "remove":
            del group.members[phone]
        else:
            group.members[phone] = "admin" if action == "promote" else "member"
        return 0

    async def set_group_name(self, jid: pb.JID, name: str) -> None:
        self._maybe_fail("set_group_name")
        self._record("set_group_name", jid=jid, name=name)
        self._edit_info(jid).subject = name

    async def set_group_topic(self, jid: pb.JID, previous_id: str, new_id: str, topic: str) -> None:
        self._maybe_fail("set_group_topic")
        self._record("set_group_topic", jid=jid, previous_id=previous_id, topic=topic)
        group = self._edit_info(jid)
        group.description = topic or None
        group.topic_id = new_id or secrets.token_hex(8).upper()

    async def set_group_photo(self, jid: pb.JID, file_or_bytes: str | bytes) -> str:
        self._maybe_fail("set_group_photo")
        content = file_or_bytes if isinstance(file_or_bytes, bytes) else b""
        self._record("set_group_photo", jid=jid, size=len(content))
        group = self._edit_info(jid)
        if not content.startswith(JPEG_MAGIC):  # WhatsApp takes JPEG only
            raise Exception("the given data is not a valid image")
        group.picture_id = str(secrets.randbelow(10**10))
        return group.picture_id

    async def set_group_announce(self, jid: pb.JID, announce: bool) -> None:
        self._maybe_fail("set_group_announce")
        self._record("set_group_announce", jid=jid, announce=announce)
        self._group(jid, admin=True).announce = announce

    async def set_group_locked(self, jid: pb.JID, locked: bool) -> None:
        self._maybe_fail("set_group_locked")
        self._record("set_group_locked", jid=jid, locked=locked)
        self._group(jid, admin=True).locked = locked

    async def leave_group(self, jid: pb.JID) -> None:
        self._maybe_fail("leave_group")
        self._record("leave_group", jid=jid)
        group = self._network.groups.get(jid.User)
        if group is None:
            raise Exception("info query returned status 404: item-not-found")
        if group.members.pop(self._me(), None) is None:
            raise Exception(FORBIDDEN)
        if group.members and not any(r in ADMIN_ROLES for r in group.members.values()):
            group.members[next(iter(group.members))] = "admin"  # never left without an admin

    async def get_group_invite_link(self, jid: pb.JID, revoke: bool = False) -> str:
        self._maybe_fail("get_group_invite_link")
        self._record("get_group_invite_link", jid=jid, revoke=revoke)
        group = self._group(jid, admin=True, error=NO_INVITE_PERMISSION)
        if revoke:
            group.revoked.append(group.invite_code)
            group.invite_code = invite_code()
        return f"https://chat.whatsapp.com/{group.invite_code}"

    def _invited(self, code: str) -> FakeGroup:
        for group in self._network.groups.values():
            if group.invite_code == code:
                return group
            if code in group.revoked:
                raise Exception(INVITE_REVOKED)
        raise Exception(INVITE_INVALID)

    async def get_group_info_from_link(self, code: str) -> pb.GroupInfo:
        self._maybe_fail("get_group_info_from_link")
        return self._info(self._invited(code))

    async def join_group_with_link(self, code: str) -> pb.JID:
        self._maybe_fail("join_group_with_link")
        self._record("join_group_with_link", code=code)
        group = self._invited(code)
        group.members.setdefault(self._me(), "member")
        return fake_jid(group.id, "g.us")
