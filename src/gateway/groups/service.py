"""Groups: operations of the session's engine, asked through the host that runs the
session. Ids and numbers are normalised here; a malformed participant fails alone in the
participant operations, as WhatsApp reports a failure per participant."""

from __future__ import annotations

import re
from typing import Any

from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit import service as audit
from gateway.auth.principal import Principal
from gateway.engines.base import Capability
from gateway.engines.records import (
    Group,
    GroupInvite,
    GroupPreview,
    NumberCheckError,
    ParticipantAction,
    ParticipantResult,
    ParticipantsUpdate,
)
from gateway.groups.schemas import GroupCreate, GroupUpdate
from gateway.kit.errors import GatewayError, InvalidRequest, NotFound
from gateway.kit.pagination import Page, page_of_list
from gateway.kit.phone import normalise_contact_id, normalise_group_id
from gateway.media.service import get_media
from gateway.sessions.service import call_engine

_INVITE = re.compile(r"^(?:https?://chat\.whatsapp\.com/)?([A-Za-z0-9]{10,32})/?$")
PICTURE_TYPES = ("image/jpeg", "image/png")


def normalise_invite_code(value: str) -> str:
    match = _INVITE.match(value.strip())
    if match is None:
        raise InvalidRequest(
            "Invalid invite code: give the code or the https://chat.whatsapp.com/ link.",
            param="code",
        )
    return match.group(1)


async def list_groups(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, page: Page
) -> tuple[list[Group], bool]:
    found = await call_engine(db, redis, caller, session_id, Capability.groups, "groups")
    groups = sorted((Group.model_validate(g) for g in found), key=lambda g: g.id)
    return page_of_list(groups, lambda g: g.id, page)


async def get_group(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, group_id: str
) -> Group:
    found = await call_engine(
        db, redis, caller, session_id, Capability.groups, "group",
        group_id=normalise_group_id(group_id),
    )  # fmt: skip
    return Group.model_validate(found)


async def create_group(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, body: GroupCreate
) -> Group:
    participants = [
        normalise_contact_id(p, param=f"participants.{i}") for i, p in enumerate(body.participants)
    ]
    try:
        found = await call_engine(
            db, redis, caller, session_id, Capability.groups_manage, "create_group",
            subject=body.subject.strip(), participants=participants,
        )  # fmt: skip
    except GatewayError as exc:
        # The engine names participants by id; the caller knows them as they gave them.
        index = _participant_index(exc.param)
        if index is not None and index < len(participants):
            exc.message = exc.message.replace(participants[index], body.participants[index])
        raise
    group = Group.model_validate(found)
    audit.record(
        db, "group.created", "group", group.id,
        changes={"session_id": session_id, "subject": group.subject,
                 "participants": [audit.personal(db, p.id) for p in group.participants]},
    )  # fmt: skip
    return group


def _participant_index(param: str | None) -> int | None:
    prefix = "participants."
    if param and param.startswith(prefix) and param[len(prefix) :].isdigit():
        return int(param[len(prefix) :])
    return None


async def update_group(
    db: AsyncSession,
    redis: ArqRedis,
    caller: Principal,
    session_id: str,
    group_id: str,
    body: GroupUpdate,
) -> Group:
    changes: dict[str, Any] = {}
    if body.subject is not None:
        changes["subject"] = body.subject.strip()
    if body.description is not None:
        changes["description"] = body.description
    if "picture" in body.model_fields_set:
        if body.picture is None:
            changes["remove_picture"] = True
        else:
            try:
                media = await get_media(db, caller, body.picture.media_id)
            except NotFound:
                raise NotFound("media", body.picture.media_id, param="picture.media_id") from None
            if media.mime_type not in PICTURE_TYPES:
                raise InvalidRequest(
                    f"A group picture must be a JPEG or PNG image, not {media.mime_type}.",
                    param="picture.media_id",
                )
            changes["picture_id"] = media.id
    if body.settings is not None:
        changes["settings"] = body.settings
    found = await call_engine(
        db, redis, caller, session_id, Capability.groups_manage, "update_group",
        group_id=normalise_group_id(group_id), **changes,
    )  # fmt: skip
    group = Group.model_validate(found)
    audit.record(db, "group.updated", "group", group.id, changes=_audited_update(session_id, body))
    return group


def _audited_update(session_id: str, body: GroupUpdate) -> dict[str, Any]:
    """What was asked to change, as ``{"field": {"to": value}}``: the previous values are
    WhatsApp's, which the gateway does not keep."""
    asked: dict[str, Any] = {}
    if body.subject is not None:
        asked["subject"] = {"to": body.subject.strip()}
    if body.description is not None:
        asked["description"] = {"to": body.description}
    if "picture" in body.model_fields_set:
        asked["picture"] = {"to": body.picture.media_id if body.picture is not None else None}
    if body.settings is not None:
        asked["settings"] = {"to": body.settings.model_dump(exclude_none=True)}
    return {"session_id": session_id, **asked}


async def update_participants(
    db: AsyncSession,
    redis: ArqRedis,
    caller: Principal,
    session_id: str,
    group_id: str,
    action: ParticipantAction,
    participants: list[str],
) -> ParticipantsUpdate:
    group = normalise_group_id(group_id)
    results: dict[int, ParticipantResult] = {}
    valid: dict[int, str] = {}
    for index, participant in enumerate(participants):
        try:
            valid[index] = normalise_contact_id(participant, param=f"participants.{index}")
        except InvalidRequest as exc:
            results[index] = ParticipantResult(
                participant=participant, id=None, status="failed",
                error=NumberCheckError(code="invalid_phone_number", message=exc.message),
            )  # fmt: skip
    if not valid:  # nothing to ask WhatsApp; the answer still shows the group
        group_now = await get_group(db, redis, caller, session_id, group)
        return ParticipantsUpdate(action=action, results=list(results.values()), group=group_now)
    found = ParticipantsUpdate.model_validate(
        await call_engine(
            db, redis, caller, session_id, Capability.groups_manage, "update_participants",
            group_id=group, action=action, participants=list(valid.values()),
        )
    )  # fmt: skip
    for index, result in zip(valid, found.results, strict=True):
        results[index] = result.model_copy(update={"participant": participants[index]})
    found.results = [results[i] for i in range(len(participants))]
    audit.record(
        db, "group.participants_updated", "group", found.group.id,
        changes={"session_id": session_id, "action": action,
                 "participants": [audit.personal(db, r.id) for r in found.results
                                  if r.status != "failed" and r.id],
                 "failed": [audit.personal(db, r.participant) for r in found.results
                            if r.status == "failed"]},
    )  # fmt: skip
    return found


async def leave_group(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, group_id: str
) -> str:
    group = normalise_group_id(group_id)
    await call_engine(
        db, redis, caller, session_id, Capability.groups_manage, "leave_group", group_id=group
    )
    audit.record(db, "group.left", "group", group, changes={"session_id": session_id})
    return group


async def group_invite(
    db: AsyncSession,
    redis: ArqRedis,
    caller: Principal,
    session_id: str,
    group_id: str,
    *,
    revoke: bool,
) -> GroupInvite:
    found = await call_engine(
        db, redis, caller, session_id, Capability.group_invites, "group_invite",
        group_id=normalise_group_id(group_id), revoke=revoke,
    )  # fmt: skip
    invite = GroupInvite.model_validate(found)
    if revoke:  # the old link stops working; the codes, which let anyone in, stay out
        audit.record(
            db, "group.invite_revoked", "group", invite.group_id,
            changes={"session_id": session_id},
        )  # fmt: skip
    return invite


async def group_preview(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, code: str
) -> GroupPreview:
    found = await call_engine(
        db, redis, caller, session_id, Capability.group_invites, "group_preview",
        code=normalise_invite_code(code),
    )  # fmt: skip
    return GroupPreview.model_validate(found)


async def join_group(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, code: str
) -> Group:
    found = await call_engine(
        db, redis, caller, session_id, Capability.group_invites, "join_group",
        code=normalise_invite_code(code),
    )  # fmt: skip
    group = Group.model_validate(found)
    audit.record(
        db, "group.joined", "group", group.id,
        changes={"session_id": session_id, "subject": group.subject},
    )  # fmt: skip
    return group
