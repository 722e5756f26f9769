"""Groups in the simulated network. The network is one per account, so two sandbox
sessions of an account can share a group and join each other's by invite code. Each
change is reported as WhatsApp reports it to the session that made it."""

from __future__ import annotations

import secrets
import string
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.engines.control import poke_engine_after_commit
from gateway.engines.records import (
    Group,
    GroupChange,
    GroupInvite,
    GroupJoined,
    GroupLeft,
    GroupParticipant,
    GroupParticipantsChanged,
    GroupPreview,
    GroupSettings,
    GroupSettingsUpdate,
    GroupUpdated,
    NumberCheckError,
    ParticipantAction,
    ParticipantResult,
    ParticipantsUpdate,
)
from gateway.engines.sandbox import directory
from gateway.engines.sandbox.contacts import SandboxContacts, resolve
from gateway.kit.errors import GatewayError, InvalidRequest, NotFound, PermissionDenied
from gateway.kit.phone import whatsapp_id
from gateway.kit.time import utcnow
from gateway.models import SandboxGroup, SandboxGroupMember
from gateway.sandbox import network_repository as network
from gateway.sandbox.repository import add_inbound

INVITE_ALPHABET = string.ascii_letters + string.digits
INVITE_URL = "https://chat.whatsapp.com/"
ADMIN_ROLES = ("superadmin", "admin")
_DONE = {"add": "added", "remove": "removed", "promote": "promoted", "demote": "demoted"}


def new_group_id() -> str:
    return f"120363{secrets.randbelow(10**12):012d}@g.us"


def new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(22))


def participant_out(member: SandboxGroupMember) -> GroupParticipant:
    phone = directory.phone_of_id(member.member_id)
    entry = directory.BY_PHONE.get(phone) if phone else None
    lid = entry.lid if entry else directory.lid_of(phone) if phone else None
    return GroupParticipant(
        id=member.member_id,
        phone_number=phone,
        lid=lid,
        role=member.role,  # type: ignore[arg-type]
    )


def group_out(row: SandboxGroup, members: Sequence[SandboxGroupMember]) -> Group:
    ranked = sorted(
        members, key=lambda m: ADMIN_ROLES.index(m.role) if m.role in ADMIN_ROLES else 2
    )
    return Group(
        id=row.id,
        subject=row.subject,
        description=row.description,
        picture_url=f"{directory.PICTURE_BASE_URL}/groups/{row.picture_id}.jpg"
        if row.picture_id
        else None,
        owner=row.owner,
        created_at=row.created_at,
        settings=GroupSettings(
            only_admins_send=row.only_admins_send,
            only_admins_edit_info=row.only_admins_edit_info,
        ),
        participants=[participant_out(m) for m in ranked],
    )


def _failed(participant: str, member_id: str | None, code: str, message: str) -> ParticipantResult:
    return ParticipantResult(
        participant=participant,
        id=member_id,
        status="failed",
        error=NumberCheckError(code=code, message=message),
    )


class SandboxGroups(SandboxContacts):
    async def _group_of_mine(
        self, db: AsyncSession, me: str, group_id: str, *, lock: bool = False
    ) -> tuple[SandboxGroup, list[SandboxGroupMember]]:
        found = await network.group_with_members(db, self.session.account_id, group_id, lock=lock)
        if found is None or all(m.member_id != me for m in found[1]):
            raise NotFound("group", group_id, param="group_id")
        return found

    async def _notify(
        self,
        db: AsyncSession,
        change: GroupChange,
        *,
        before: set[str],
        after: set[str],
        group: Group | None,
        for_others: GroupChange | None = None,
    ) -> None:
        """Deliver ``change`` to every linked session of the account in the group, before
        or after it: the acting session sees ``change``; one just added, ``group.joined``;
        one just removed, ``group.left``; the others ``for_others`` (default ``change``).
        They travel through the network's inbound queue, in the transaction that made the
        change, so a host that stops before reporting loses nothing: the next one reports."""
        phones = {p for p in map(directory.phone_of_id, before | after) if p}
        sessions = await network.linked_sessions(db, self.session.account_id, sorted(phones))
        for phone, session_id in sessions.items():
            member_id = whatsapp_id(phone)
            note = for_others or change
            if session_id == self.session.id:
                note = change
            elif member_id not in before and group is not None:
                note = GroupJoined(via="added", by=change.by, group=group)
                await network.ensure_chat(db, session_id, group.id, group.subject)
            elif member_id not in after and group is not None:
                note = GroupLeft(
                    reason="removed", group_id=group.id, subject=group.subject, by=change.by
                )
            await add_inbound(db, session_id, group_change_payload(note))
            if session_id != self.session.id:
                poke_engine_after_commit(db, session_id)

    async def _member_id(self, db: AsyncSession, participant: str) -> str | None:
        """The phone-number id of a participant given by phone-number id or LID."""
        known = await resolve(db, self.session.id, participant)
        return whatsapp_id(known.phone_number) if known is not None else None

    async def groups(self) -> list[Group]:
        me = await self._me()
        async with self.resources.sessionmaker() as db:
            rows = await network.groups_with_member(db, self.session.account_id, me)
            members = await network.members(db, [r.id for r in rows])
        return [group_out(r, members[r.id]) for r in rows]

    async def group(self, group_id: str) -> Group:
        me = await self._me()
        async with self.resources.sessionmaker() as db:
            return group_out(*await self._group_of_mine(db, me, group_id))

    async def create_group(self, subject: str, participants: list[str]) -> Group:
        me = await self._me()
        now = utcnow()
        async with self.resources.sessionmaker() as db:
            roles = {me: "superadmin"}
            for index, participant in enumerate(participants):
                member_id = await self._member_id(db, participant)
                if member_id is None:
                    raise InvalidRequest(
                        f"{participant} is not on WhatsApp.",
                        code="participant_not_on_whatsapp",
                        param=f"participants.{index}",
                    )
                roles.setdefault(member_id, "member")
            row = SandboxGroup(
                id=new_group_id(),
                account_id=self.session.account_id,
                subject=subject,
                owner=me,
                invite_code=new_invite_code(),
                only_admins_send=False,
                only_admins_edit_info=False,
            )
            await network.add_group(db, row)
            await network.add_members(db, row.id, roles, now)
            await network.ensure_chat(db, self.session.id, row.id, subject)
            group = group_out(row, await network.members_of(db, row.id))
            change = GroupJoined(via="created", by=me, group=group)
            await self._notify(db, change, before=set(), after=set(roles), group=group)
            await self._commit(db)
        self.poke()
        return group

    async def update_group(
        self,
        group_id: str,
        *,
        subject: str | None = None,
        description: str | None = None,
        picture_id: str | None = None,
        remove_picture: bool = False,
        settings: GroupSettingsUpdate | None = None,
    ) -> Group:
        me = await self._me()
        async with self.resources.sessionmaker() as db:
            row, members = await self._group_of_mine(db, me, group_id, lock=True)
            admin = any(m.member_id == me and m.role in ADMIN_ROLES for m in members)
            changes: list[str] = []
            if subject is not None and subject != row.subject:
                row.subject = subject
                await network.rename_group_chats(db, row.id, subject)
                changes.append("subject")
            if description is not None and (description or None) != row.description:
                row.description = description or None
                changes.append("description")
            if (picture_id is not None and picture_id != row.picture_id) or (
                remove_picture and row.picture_id is not None
            ):
                row.picture_id = None if remove_picture else picture_id
                changes.append("picture")
            send = settings.only_admins_send if settings else None
            edit_info = settings.only_admins_edit_info if settings else None
            if (send is not None and send != row.only_admins_send) or (
                edit_info is not None and edit_info != row.only_admins_edit_info
            ):
                if not admin:
                    raise _admin_required("change the group's settings")
                row.only_admins_send = row.only_admins_send if send is None else send
                if edit_info is not None:
                    row.only_admins_edit_info = edit_info
                changes.append("settings")
            if changes and row.only_admins_edit_info and not admin:
                raise _admin_required("change the group's info")
            await db.flush()
            group = group_out(row, members)
            if changes:
                ids = {m.member_id for m in members}
                change = GroupUpdated(changes=changes, by=me, group=group)  # type: ignore[arg-type]
                await self._notify(db, change, before=ids, after=ids, group=group)
            await self._commit(db)
        self.poke()
        return group

    async def update_participants(
        self, group_id: str, action: ParticipantAction, participants: list[str]
    ) -> ParticipantsUpdate:
        me = await self._me()
        results: list[ParticipantResult] = []
        async with self.resources.sessionmaker() as db:
            row, members = await self._group_of_mine(db, me, group_id, lock=True)
            roles = {m.member_id: m.role for m in members}
            if roles[me] not in ADMIN_ROLES:
                raise _admin_required(f"{action} participants")
            done: dict[str, str] = {}
            for participant in participants:
                member_id = await self._member_id(db, participant)
                failure = _participant_failure(action, member_id, roles, me)
                if failure is not None:
                    results.append(_failed(participant, member_id, *failure))
                    continue
                assert member_id is not None
                done[member_id] = participant
                roles[member_id] = {"add": "member", "promote": "admin", "demote": "member"}.get(
                    action, ""
                )
                results.append(
                    ParticipantResult(participant=participant, id=member_id, status=_DONE[action])  # type: ignore[arg-type]
                )
            if action == "add":
                await network.add_members(db, row.id, {m: "member" for m in done}, utcnow())
            elif action == "remove":
                await network.remove_members(db, row.id, list(done))
            else:
                await network.set_roles(db, row.id, list(done), roles_for(action))
            after = await network.members_of(db, row.id)
            group = group_out(row, after)
            if done:
                by_id = {m.member_id: participant_out(m) for m in after}
                change = GroupParticipantsChanged(
                    group_id=row.id,
                    action=action,
                    participants=[by_id[m] if m in by_id else _former(m) for m in done],
                    by=me,
                )
                await self._notify(
                    db, change,
                    before={m.member_id for m in members}, after=set(by_id), group=group,
                )  # fmt: skip
            await self._commit(db)
        self.poke()
        return ParticipantsUpdate(action=action, results=results, group=group)

    async def leave_group(self, group_id: str) -> None:
        me = await self._me()
        async with self.resources.sessionmaker() as db:
            row, members = await self._group_of_mine(db, me, group_id, lock=True)
            subject = row.subject
            await network.remove_members(db, row.id, [me])
            remaining = [m for m in members if m.member_id != me]
            if remaining and not any(m.role in ADMIN_ROLES for m in remaining):
                # As WhatsApp does: a group is never left without an admin.
                await network.set_roles(db, row.id, [remaining[0].member_id], "admin")
            ids = {m.member_id for m in members}
            me_before = next(m for m in members if m.member_id == me)
            await self._notify(
                db, GroupLeft(reason="left", group_id=group_id, subject=subject, by=me),
                before=ids, after=ids - {me}, group=None,
                for_others=GroupParticipantsChanged(
                    group_id=group_id, action="leave", participants=[participant_out(me_before)],
                    by=me,
                ),
            )  # fmt: skip
            await self._commit(db)
        self.poke()

    async def group_invite(self, group_id: str, *, revoke: bool = False) -> GroupInvite:
        me = await self._me()
        async with self.resources.sessionmaker() as db:
            row, members = await self._group_of_mine(db, me, group_id, lock=True)
            if not any(m.member_id == me and m.role in ADMIN_ROLES for m in members):
                raise _admin_required("see or reset the invite link")
            if revoke:
                row.invite_code = new_invite_code()
                await db.flush()
            code = row.invite_code
            await db.commit()
        return GroupInvite(group_id=group_id, code=code, url=INVITE_URL + code)

    async def _invited_group(self, db: AsyncSession, code: str) -> SandboxGroup:
        row = await network.group_by_invite(db, self.session.account_id, code)
        if row is None:
            raise NotFound("invite", code, param="code")
        return row

    async def group_preview(self, code: str) -> GroupPreview:
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            row = await self._invited_group(db, code)
            size = len(await network.members_of(db, row.id))
        return GroupPreview(
            id=row.id,
            subject=row.subject,
            description=row.description,
            size=size,
            owner=row.owner,
            created_at=row.created_at,
        )

    async def join_group(self, code: str) -> Group:
        me = await self._me()
        async with self.resources.sessionmaker() as db:
            row = await self._invited_group(db, code)
            members = await network.members_of(db, row.id)
            already = any(m.member_id == me for m in members)
            if not already:
                await network.add_members(db, row.id, {me: "member"}, utcnow())
                await network.ensure_chat(db, self.session.id, row.id, row.subject)
            after = await network.members_of(db, row.id)
            group = group_out(row, after)
            if not already:
                mine = next(p for p in group.participants if p.id == me)
                await self._notify(
                    db, GroupJoined(via="invite", by=me, group=group),
                    before={m.member_id for m in members}, after={m.member_id for m in after},
                    group=group,
                    for_others=GroupParticipantsChanged(
                        group_id=row.id, action="join", participants=[mine], by=me
                    ),
                )  # fmt: skip
                await self._commit(db)
        self.poke()
        return group


GROUP_CHANGES: dict[str, type[GroupChange]] = {
    kind.event_type.value: kind
    for kind in (GroupJoined, GroupLeft, GroupUpdated, GroupParticipantsChanged)
}


def group_change_payload(change: GroupChange) -> dict[str, Any]:
    """How a group change waits in the network's inbound queue for its session."""
    return {"type": "group_change", "event": change.event_type.value,
            "data": change.model_dump(mode="json")}  # fmt: skip


def group_change_of(payload: dict[str, Any]) -> GroupChange:
    return GROUP_CHANGES[payload["event"]].model_validate(payload["data"])


def _former(member_id: str) -> GroupParticipant:
    """A participant just removed, as the change shows them."""
    return participant_out(SandboxGroupMember(member_id=member_id, role="member"))


def roles_for(action: str) -> str:
    return "admin" if action == "promote" else "member"


def _participant_failure(
    action: str, member_id: str | None, roles: dict[str, str], me: str
) -> tuple[str, str] | None:
    """Why ``action`` cannot be done to ``member_id`` (code, message); None if it can."""
    if member_id is None:
        return ("not_on_whatsapp", "Not on WhatsApp, or an unknown LID.")
    role = roles.get(member_id) or None
    if action == "add":
        return ("already_participant", "Already in the group.") if role else None
    if role is None:
        return ("not_participant", "Not in the group.")
    if member_id == me and action in ("remove", "demote"):
        return ("cannot_change_self", "Leave the group instead.")
    if role == "superadmin" and action in ("remove", "demote"):
        return ("cannot_change_owner", "The group's creator cannot be removed or demoted.")
    return None


def _admin_required(what: str) -> GatewayError:
    return PermissionDenied(
        f"Only group admins can {what}.", code="group_admin_required", param="group_id"
    )
