"""The child's ops for groups: whatsmeow's group queries through neonize, answered as the
JSON of ``engines.records`` (``Group``, ``ParticipantsUpdate``, ``GroupInvite``,
``GroupPreview``).

The session's standing in a group is read from the group's metadata before a change, so
that a member asking an admin's change hears ``not_group_admin`` and a participant who
cannot be changed fails alone, as on the sandbox; WhatsApp has the last word either way
(its 401 or 403 is ``not_group_admin`` too). A group the session is not in is
``group_not_found``, an invite code that leads nowhere ``invite_not_found``.

The groups list carries no picture URLs: each is one more query to WhatsApp per group;
``group`` and the answers to changes carry it.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gateway.engines.web.clients import ClientError
from gateway.engines.web.neonize_directory_ids import (
    INVITE_GONE,
    LID_SERVER,
    NO_PICTURE,
    NOT_ADMIN,
    NOT_IN_GROUP,
    Person,
    bare,
    counterpart,
    is_set,
    whatsmeow,
)
from gateway.engines.web.neonize_jids import chat_id_of, jid_of
from gateway.engines.web.neonize_ops import NeonizeOp, OpContext
from gateway.engines.web.protocol import MeData

Json = dict[str, Any]
INVITE_URL = "https://chat.whatsapp.com/"
ADMIN_ROLES = ("superadmin", "admin")
DONE = {"add": "added", "remove": "removed", "promote": "promoted", "demote": "demoted"}
# What WhatsApp answers for one participant it did not change (its per-participant code).
PARTICIPANT_ERRORS = {
    403: ("invite_required", "Their privacy settings let only an invite add them."),
    404: ("not_on_whatsapp", "Not on WhatsApp, or an unknown LID."),
    408: ("recently_left", "They left the group recently."),
    409: ("already_participant", "Already in the group."),
}
# WhatsApp's group pictures: a JPEG, square, this many pixels a side (whatsmeow's advice).
PICTURE_SIDE = 640


def _person(participant: Any) -> Person:
    jid = participant.JID
    phone = participant.PhoneNumber if is_set(participant.PhoneNumber) else None
    lid = participant.LID if is_set(participant.LID) else None
    if phone is None and jid.Server != LID_SERVER:
        phone = jid
    if lid is None and jid.Server == LID_SERVER:
        lid = jid
    return Person(phone=bare(phone) if phone else None, lid=bare(lid) if lid else None)


def role_of(participant: Any) -> str:
    return (
        "superadmin" if participant.IsSuperAdmin else "admin" if participant.IsAdmin else "member"
    )


def participant_json(participant: Any) -> Json:
    person = _person(participant)
    return {"id": person.id, "phone_number": person.phone_number, "lid": person.lid_id,
            "role": role_of(participant)}  # fmt: skip


def _timestamp(seconds: float) -> str | None:
    if not seconds:
        return None
    if seconds > 10**11:  # milliseconds
        seconds /= 1000
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def _owner(info: Any) -> str | None:
    for jid in (info.OwnerPN, info.OwnerJID):
        if is_set(jid):
            return chat_id_of(jid)
    return None


def members(info: Any) -> list[Any]:
    """The group's participants; those WhatsApp refused (an error code) are not in it."""
    return [p for p in info.Participants if not p.Error]


def group_json(info: Any, picture_url: str | None) -> Json:
    """A ``records.Group`` of whatsmeow's ``GroupInfo``, admins first."""
    ranked = sorted(members(info), key=lambda p: 0 if p.IsSuperAdmin else 1 if p.IsAdmin else 2)
    topic = info.GroupTopic
    return {
        "id": chat_id_of(info.JID),
        "subject": info.GroupName.Name,
        "description": None if topic.TopicDeleted else (topic.Topic or None),
        "picture_url": picture_url,
        "owner": _owner(info),
        "created_at": _timestamp(info.GroupCreated),
        "settings": {
            "only_admins_send": info.GroupAnnounce.IsAnnounce,
            "only_admins_edit_info": info.GroupLocked.isLocked,
        },
        "participants": [participant_json(p) for p in ranked],
    }


def my_role(info: Any, me: MeData | None) -> str | None:
    """The session's role in the group; None when it cannot tell (WhatsApp will)."""
    if me is None:
        return None
    for participant in members(info):
        if me.id in _person(participant).names():
            return role_of(participant)
    return None


def not_admin(what: str) -> ClientError:
    return ClientError("not_group_admin", f"Only group admins can {what}.")


async def group_info(client: Any, group_id: str) -> Any:
    return await whatsmeow(client.get_group_info(jid_of(group_id)), "group_failed", NOT_IN_GROUP)


async def group_picture(client: Any, jid: Any) -> str | None:
    known = {words: "no_picture" for words in NO_PICTURE}
    try:
        picture = await whatsmeow(client.get_profile_picture(jid), "picture_failed", known)
    except ClientError as exc:
        if exc.code != "no_picture":
            raise
        return None
    return picture.URL or None


async def _answer(client: Any, group_id: str) -> Json:
    info = await group_info(client, group_id)
    return group_json(info, await group_picture(client, info.JID))


async def groups(ctx: OpContext, args: Json) -> list[Json]:
    """``{}`` → ``[Group]`` (no picture URLs)."""
    joined = await whatsmeow(ctx.client.get_joined_groups(), "groups_failed")
    return [group_json(info, None) for info in joined]


async def group(ctx: OpContext, args: Json) -> Json:
    """``{group_id}`` → ``Group``."""
    return await _answer(ctx.client, str(args["group_id"]))


async def create_group(ctx: OpContext, args: Json) -> Json:
    """``{subject, participants: [id]}`` → ``Group``."""
    participants = [jid_of(str(p)) for p in args["participants"]]
    info = await whatsmeow(
        ctx.client.create_group(str(args["subject"]), participants), "create_group_failed"
    )
    return group_json(info, None)


def group_photo(content: bytes) -> bytes:
    """``content`` as WhatsApp takes a group picture: a square JPEG (PNG is converted)."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(content))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise ClientError("invalid_image", f"Not an image: {exc}") from None
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    square = image.convert("RGB").crop((left, top, left + side, top + side))
    out = io.BytesIO()
    square.resize((min(side, PICTURE_SIDE),) * 2).save(out, format="JPEG", quality=90)
    return out.getvalue()


def staged_file(ctx: OpContext, name: str) -> bytes:
    """A file the host put in the session's directory for this op."""
    path = (ctx.workdir / name).resolve()
    if Path(ctx.workdir).resolve() not in path.parents:
        raise ClientError("bad_command", f"Not a file of the session: {name}.")
    return path.read_bytes()


async def update_group(ctx: OpContext, args: Json) -> Json:
    """``{group_id, subject?, description?, picture_file?, settings?: {only_admins_send?,
    only_admins_edit_info?}}`` → ``Group``. ``picture_file`` names an image in the
    session's directory; ``description: ""`` clears it. Unchanged values are not sent."""
    client, group_id = ctx.client, str(args["group_id"])
    info = await group_info(client, group_id)
    role = my_role(info, ctx.me)
    admin = role is None or role in ADMIN_ROLES
    subject, description = args.get("subject"), args.get("description")
    settings = args.get("settings") or {}
    send, edit_info = settings.get("only_admins_send"), settings.get("only_admins_edit_info")
    rename = subject is not None and subject != info.GroupName.Name
    describe = description is not None and (description or None) != (info.GroupTopic.Topic or None)
    announce = send is not None and send != info.GroupAnnounce.IsAnnounce
    lock = edit_info is not None and edit_info != info.GroupLocked.isLocked
    if (announce or lock) and not admin:
        raise not_admin("change the group's settings")
    if (rename or describe or args.get("picture_file")) and info.GroupLocked.isLocked and not admin:
        raise not_admin("change the group's info")
    if rename:
        await whatsmeow(client.set_group_name(info.JID, str(subject)), "group_update_failed",
                        {**NOT_ADMIN})  # fmt: skip
    if describe:
        await whatsmeow(
            client.set_group_topic(info.JID, info.GroupTopic.TopicID, "", str(description)),
            "group_update_failed", NOT_ADMIN,
        )  # fmt: skip
    if args.get("picture_file"):
        photo = group_photo(staged_file(ctx, str(args["picture_file"])))
        await whatsmeow(client.set_group_photo(info.JID, photo), "group_update_failed",
                        {**NOT_ADMIN, "not a valid image": "invalid_image"})  # fmt: skip
    if announce:
        await whatsmeow(client.set_group_announce(info.JID, bool(send)), "group_update_failed",
                        NOT_ADMIN)  # fmt: skip
    if lock:
        await whatsmeow(client.set_group_locked(info.JID, bool(edit_info)), "group_update_failed",
                        NOT_ADMIN)  # fmt: skip
    return await _answer(client, group_id)


def _refused(action: str, member: Json | None, is_me: bool) -> tuple[str, str] | None:
    """Why ``action`` cannot be done to a participant (code, message); None if it can."""
    if action == "add":
        return ("already_participant", "Already in the group.") if member else None
    if member is None:
        return ("not_participant", "Not in the group.")
    if is_me and action in ("remove", "demote"):
        return ("cannot_change_self", "Leave the group instead.")
    if member["role"] == "superadmin" and action in ("remove", "demote"):
        return ("cannot_change_owner", "The group's creator cannot be removed or demoted.")
    return None


def _failed(participant: str, member_id: str | None, code: str, message: str) -> Json:
    return {"participant": participant, "id": member_id, "status": "failed",
            "error": {"code": code, "message": message}}  # fmt: skip


async def _names(client: Any, participant_id: str) -> set[str]:
    """Every id a participant given by ``participant_id`` may come back under."""
    other = await counterpart(client, jid_of(participant_id))
    return {participant_id} | ({chat_id_of(other)} if other is not None else set())


async def update_participants(ctx: OpContext, args: Json) -> Json:
    """``{group_id, action: add|remove|promote|demote, participants: [id]}`` →
    ``ParticipantsUpdate``: one result per participant, in order, and the group after."""
    from neonize.utils.enum import ParticipantChange

    client, group_id, action = ctx.client, str(args["group_id"]), str(args["action"])
    participants = [str(p) for p in args["participants"]]
    info = await group_info(client, group_id)
    if my_role(info, ctx.me) == "member":
        raise not_admin(f"{action} participants")
    by_name: dict[str, Json] = {}
    for participant in members(info):
        for name in _person(participant).names():
            by_name[name] = participant_json(participant)
    results: list[Json | None] = []
    asked: dict[int, set[str]] = {}
    for index, participant in enumerate(participants):
        names = await _names(client, participant)
        member = next((by_name[name] for name in names if name in by_name), None)
        is_me = ctx.me is not None and ctx.me.id in names
        refusal = _refused(action, member, is_me)
        if refusal is not None:
            results.append(_failed(participant, member["id"] if member else participant, *refusal))
            continue
        results.append(None)
        asked[index] = names
    if asked:
        change = ParticipantChange[action.upper()]
        jids = [jid_of(participants[i]) for i in asked]
        answers = await whatsmeow(
            client.update_group_participants(info.JID, jids, change),
            "participants_failed", {**NOT_IN_GROUP, **NOT_ADMIN},
        )  # fmt: skip
        errors = {name: answer.Error for answer in answers for name in _person(answer).names()}
        for index, names in asked.items():
            results[index] = _result(action, participants[index], names, errors)
    return {"action": action, "results": results, "group": await _answer(client, group_id)}


def _result(action: str, participant: str, names: set[str], errors: dict[str, int]) -> Json:
    code = next((errors[name] for name in names if name in errors), None)
    if code is None:
        return _failed(participant, participant, "participant_failed", "WhatsApp did not answer.")
    if code:
        failure = PARTICIPANT_ERRORS.get(code, ("participant_failed", f"WhatsApp answered {code}."))
        return _failed(participant, participant, *failure)
    return {"participant": participant, "id": participant, "status": DONE[action]}


async def leave_group(ctx: OpContext, args: Json) -> None:
    """``{group_id}`` → nothing."""
    gone = {**NOT_IN_GROUP, "status 403": "group_not_found", "status 404": "group_not_found"}
    await whatsmeow(ctx.client.leave_group(jid_of(str(args["group_id"]))), "leave_failed", gone)


async def group_invite(ctx: OpContext, args: Json) -> Json:
    """``{group_id, revoke}`` → ``GroupInvite``; ``revoke`` resets the link first."""
    group_id = str(args["group_id"])
    known = {**NOT_IN_GROUP, "permission to get the group's invite link": "not_group_admin",
             **NOT_ADMIN}  # fmt: skip
    link = await whatsmeow(
        ctx.client.get_group_invite_link(jid_of(group_id), bool(args.get("revoke"))),
        "invite_failed", known,
    )  # fmt: skip
    code = str(link).rstrip("/").rsplit("/", 1)[-1]
    return {"group_id": group_id, "code": code, "url": INVITE_URL + code}


async def group_preview(ctx: OpContext, args: Json) -> Json:
    """``{code}`` → ``GroupPreview``: what WhatsApp shows of the group before joining."""
    info = await whatsmeow(
        ctx.client.get_group_info_from_link(str(args["code"])), "preview_failed", INVITE_GONE
    )
    topic = info.GroupTopic
    return {
        "id": chat_id_of(info.JID),
        "subject": info.GroupName.Name,
        "description": None if topic.TopicDeleted else (topic.Topic or None),
        "size": len(members(info)),
        "owner": _owner(info),
        "created_at": _timestamp(info.GroupCreated),
    }


async def join_group(ctx: OpContext, args: Json) -> Json:
    """``{code}`` → ``Group``: the group joined."""
    joined = await whatsmeow(
        ctx.client.join_group_with_link(str(args["code"])), "join_failed", INVITE_GONE
    )
    return await _answer(ctx.client, chat_id_of(joined))


GROUP_OPS: dict[str, NeonizeOp] = {
    "groups": groups,
    "group": group,
    "create_group": create_group,
    "update_group": update_group,
    "update_participants": update_participants,
    "leave_group": leave_group,
    "group_invite": group_invite,
    "group_preview": group_preview,
    "join_group": join_group,
}
