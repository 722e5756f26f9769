"""neonize's group events as the gateway's group changes (``records.GroupChange``).

- ``JoinedGroup`` (the session created a group, was added, or joined by invite) →
  ``group.joined`` with the group as WhatsApp sent it.
- ``GroupInfo`` (a change notification) → one change per thing that changed: the
  session leaving or removed, or the group deleted → ``group.left``; participants
  joining, added, leaving, removed, promoted, demoted → ``group.participants``; the
  subject, description or settings → ``group.updated``, with the group as it is now
  (asked of WhatsApp: the notification carries only what changed; when that fails the
  update is logged and not reported, rather than reported with a group it is not).
  The session's own joins are left to ``JoinedGroup``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

import structlog

from gateway.engines.records import (
    Group,
    GroupChange,
    GroupJoined,
    GroupLeft,
    GroupParticipant,
    GroupParticipantsChanged,
    GroupRole,
    GroupSettings,
    GroupUpdated,
)
from gateway.engines.web.event_data import EventData
from gateway.engines.web.inbound_events import GroupChangedData, notification_key
from gateway.engines.web.neonize_jids import chat_id_of
from gateway.engines.web.neonize_ops import OpContext

log = structlog.get_logger(__name__)

PHONE_SERVER = "s.whatsapp.net"
LID_SERVER = "lid"
GroupField = Literal["subject", "description", "picture", "settings"]
# GroupInfo's fields → what changed, as ``group.updated`` says it.
UPDATES: tuple[tuple[str, GroupField], ...] = (
    ("Name", "subject"), ("Topic", "description"), ("Locked", "settings"),
    ("Announce", "settings"),
)  # fmt: skip


def _id(jid: Any) -> str | None:
    return chat_id_of(jid) if jid.User else None


def participant_of(jid: Any, role: GroupRole = "member") -> GroupParticipant:
    """A participant named by one JID (a phone number or a LID)."""
    phone = jid.Server == PHONE_SERVER
    return GroupParticipant(
        id=chat_id_of(jid), phone_number=f"+{jid.User}" if phone else None,
        lid=chat_id_of(jid) if jid.Server == LID_SERVER else None, role=role,
    )  # fmt: skip


def _member(member: Any) -> GroupParticipant:
    """A participant as group info lists it: its JID, and its LID and number if known."""
    jid, lid, phone = member.JID, member.LID, member.PhoneNumber
    if not phone.User and jid.Server == PHONE_SERVER:
        phone = jid
    if not lid.User and jid.Server == LID_SERVER:
        lid = jid
    role: GroupRole = (
        "superadmin" if member.IsSuperAdmin else "admin" if member.IsAdmin else "member"
    )
    return GroupParticipant(
        id=chat_id_of(phone) if phone.User else chat_id_of(lid if lid.User else jid),
        phone_number=f"+{phone.User}" if phone.User else None,
        lid=chat_id_of(lid) if lid.User else None,
        role=role,
    )


def group_of(info: Any) -> Group:
    """whatsmeow's ``GroupInfo`` as the gateway's group (no picture: it is asked apart)."""
    owner = info.OwnerPN if info.OwnerPN.User else info.OwnerJID
    created = info.GroupCreated  # neonize's float32 seconds: within a minute or two
    return Group(
        id=chat_id_of(info.JID),
        subject=info.GroupName.Name,
        description=info.GroupTopic.Topic or None,
        picture_url=None,
        owner=_id(owner),
        created_at=datetime.fromtimestamp(created, UTC) if created > 0 else None,
        settings=GroupSettings(
            only_admins_send=info.GroupAnnounce.IsAnnounce,
            only_admins_edit_info=info.GroupLocked.isLocked,
        ),
        participants=[_member(member) for member in info.Participants],
    )


async def _my_ids(ctx: OpContext) -> set[str]:
    """The session's own ids: its phone-number id, and its LID (groups may address it so)."""
    ids = {ctx.me.id} if ctx.me is not None else set()
    try:
        device = await ctx.client.get_me()
    except Exception as exc:  # not linked yet, or the library failed: the number must do
        log.warning("web.inbound.me_unknown", error=str(exc)[:200])
        return ids
    return ids | {chat_id_of(jid) for jid in (device.JID, device.LID) if jid.User}


async def on_joined_group(ctx: OpContext, event: Any) -> list[EventData]:
    group = group_of(event.GroupInfo)
    mine = await _my_ids(ctx)
    by = _id(event.Sender) if event.HasField("Sender") else None
    if event.Reason == "invite":
        via: Literal["created", "added", "invite"] = "invite"
    elif group.owner in mine and (event.CreateKey or by is None or by in mine):
        via = "created"
    else:
        via = "added"
    # WhatsApp's participant list version changes with every join, so a later join of
    # the same group (after leaving) is another notification; the create key names a
    # creation.
    version = event.GroupInfo.ParticipantVersionID or event.CreateKey
    key = notification_key("group.joined", group.id, via, version) if version else None
    return [
        GroupChangedData.of(
            GroupJoined(via=via, by=by or (group.owner if via == "created" else None), group=group),
            key,
        )
    ]


async def on_group_info(ctx: OpContext, event: Any) -> list[EventData]:
    group_id = chat_id_of(event.JID)
    by = _id(event.Sender) if event.HasField("Sender") else None
    mine = await _my_ids(ctx) if event.Leave or event.Join else set()
    changes: list[GroupChange] = []
    if event.Delete.Deleted or any(chat_id_of(jid) in mine for jid in event.Leave):
        left_by_me = by is None or by in mine
        reason: Literal["left", "removed"] = (
            "left" if left_by_me and not event.Delete.Deleted else "removed"
        )
        changes.append(GroupLeft(by=by, reason=reason, group_id=group_id))
    changes.extend(_participant_changes(event, group_id, by, mine))
    changed = sorted({what for field, what in UPDATES if event.HasField(field)})
    if changed and not event.Delete.Deleted:
        group = await _group_now(ctx, event.JID)
        if group is not None:
            changes.append(GroupUpdated(by=by, changes=changed, group=group))
    return [GroupChangedData.of(change, _info_key(event, change)) for change in changes]


def _info_key(event: Any, change: GroupChange) -> str | None:
    """A change notification is dated by WhatsApp; each change it makes is one of its
    notifications. The group as it is now (``GroupUpdated.group``, asked afterwards) is
    left out: it may differ when the notification is delivered again."""
    if not event.Timestamp:
        return None
    what = change.model_dump(mode="json", exclude={"group"})
    return notification_key("group_info", chat_id_of(event.JID), event.Timestamp,
                            change.event_type.value, what)  # fmt: skip


def _participant_changes(
    event: Any, group_id: str, by: str | None, mine: set[str]
) -> list[GroupParticipantsChanged]:
    changes = []
    joined = [jid for jid in event.Join if chat_id_of(jid) not in mine]
    if joined:
        # Added by an admin, or came by themselves (an invite link, or asked to join).
        themselves = (
            by is None or event.JoinReason == "invite" or by in {chat_id_of(j) for j in joined}
        )
        changes.append(_participants(group_id, by, "join" if themselves else "add", joined))
    left = [jid for jid in event.Leave if chat_id_of(jid) not in mine]
    if left:
        themselves = by is None or by in {chat_id_of(j) for j in left}
        changes.append(_participants(group_id, by, "leave" if themselves else "remove", left))
    if event.Promote:
        changes.append(_participants(group_id, by, "promote", event.Promote, "admin"))
    if event.Demote:
        changes.append(_participants(group_id, by, "demote", event.Demote))
    return changes


def _participants(
    group_id: str, by: str | None, action: Any, jids: Any, role: GroupRole = "member"
) -> GroupParticipantsChanged:
    return GroupParticipantsChanged(
        by=by, group_id=group_id, action=action,
        participants=[participant_of(jid, role) for jid in jids],
    )  # fmt: skip


async def _group_now(ctx: OpContext, jid: Any) -> Group | None:
    try:
        return group_of(await ctx.client.get_group_info(jid))
    except Exception as exc:  # the notification stands; the group could not be read
        log.warning("web.inbound.group_unreadable", group_id=chat_id_of(jid),
                    error=str(exc)[:200])  # fmt: skip
        return None
