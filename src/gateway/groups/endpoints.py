from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.engines.records import (
    Group,
    GroupInvite,
    GroupPreview,
    ParticipantAction,
    ParticipantsUpdate,
)
from gateway.groups import service
from gateway.groups.schemas import (
    GroupCreate,
    GroupJoinRequest,
    GroupLeft,
    GroupUpdate,
    ParticipantsRequest,
)
from gateway.kit.errors import ENGINE_RESPONSES, ERROR_RESPONSES
from gateway.kit.pagination import ListResponse, PageParams
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.kit.state import RedisDep
from gateway.kit.time import utcnow

router = APIRouter(
    prefix="/sessions/{session_id}/groups",
    tags=["Groups"],
    route_class=TransactionalRoute,
    responses={
        **ERROR_RESPONSES,
        **ENGINE_RESPONSES,
        403: {"description": "The key lacks the scope, or only group admins may do this "
              "(`group_admin_required`)."},
    },
)  # fmt: skip

Reader = Annotated[Principal, scoped("groups", Access.read)]
Writer = Annotated[Principal, scoped("groups", Access.write)]
SessionId = Annotated[str, Path(description="The session's id (`ses_…`).", max_length=64)]
GroupId = Annotated[
    str, Path(description="The group's id (`…@g.us`).", max_length=64, examples=["120363…@g.us"])
]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=Group)
async def create_group(
    redis: RedisDep, session_id: SessionId, body: GroupCreate, caller: Writer, db: DbSession
) -> Group:
    """Create a group of the session (its creator, `superadmin`) and the participants; a
    `group.joined` event follows. Participants not on WhatsApp are refused (422)."""
    return await service.create_group(db, redis, caller, session_id, body)


@router.get("", response_model=ListResponse[Group])
async def list_groups(
    redis: RedisDep, session_id: SessionId, caller: Reader, db: DbSession, page: PageParams
) -> ListResponse[Group]:
    """The groups the session is in, ordered by id."""
    items, has_more = await service.list_groups(db, redis, caller, session_id, page)
    return ListResponse(data=items, has_more=has_more)


@router.get("/join-info", response_model=GroupPreview)
async def retrieve_group_join_info(
    redis: RedisDep,
    session_id: SessionId,
    caller: Reader,
    db: DbSession,
    code: Annotated[str, Query(max_length=100, description="The invite code or link.")],
) -> GroupPreview:
    """What an invite code leads to, without joining."""
    return await service.group_preview(db, redis, caller, session_id, code)


@router.post("/join", response_model=Group)
async def join_group(
    redis: RedisDep, session_id: SessionId, body: GroupJoinRequest, caller: Writer, db: DbSession
) -> Group:
    """Join a group by invite code or link (`group.joined` follows). Joining a group the
    session is in answers the group."""
    return await service.join_group(db, redis, caller, session_id, body.code)


@router.get("/{group_id}", response_model=Group)
async def retrieve_group(
    redis: RedisDep, session_id: SessionId, group_id: GroupId, caller: Reader, db: DbSession
) -> Group:
    """The group with its participants and their roles."""
    return await service.get_group(db, redis, caller, session_id, group_id)


@router.patch("/{group_id}", response_model=Group)
async def update_group(
    redis: RedisDep,
    session_id: SessionId,
    group_id: GroupId,
    body: GroupUpdate,
    caller: Writer,
    db: DbSession,
) -> Group:
    """Change the subject, description, picture or settings (`group.updated` follows,
    naming what changed). With `only_admins_edit_info`, only admins may change the info;
    only admins may change the settings."""
    return await service.update_group(db, redis, caller, session_id, group_id, body)


@router.post("/{group_id}/participants/{action}", response_model=ParticipantsUpdate)
async def update_group_participants(
    redis: RedisDep,
    session_id: SessionId,
    group_id: GroupId,
    action: Annotated[ParticipantAction, Path(description="What to do to each participant.")],
    body: ParticipantsRequest,
    caller: Writer,
    db: DbSession,
) -> ParticipantsUpdate:
    """Add, remove, promote (to admin) or demote participants; admins only. Each
    participant gets its own result, so one bad number does not fail the others. A
    `group.participants` event follows for those changed."""
    return await service.update_participants(
        db, redis, caller, session_id, group_id, action, body.participants
    )


@router.get("/{group_id}/invite", response_model=GroupInvite)
async def retrieve_group_invite(
    redis: RedisDep, session_id: SessionId, group_id: GroupId, caller: Reader, db: DbSession
) -> GroupInvite:
    """The group's invite code and link (admins only)."""
    return await service.group_invite(db, redis, caller, session_id, group_id, revoke=False)


@router.post("/{group_id}/invite/revoke", response_model=GroupInvite)
async def revoke_group_invite(
    redis: RedisDep, session_id: SessionId, group_id: GroupId, caller: Writer, db: DbSession
) -> GroupInvite:
    """Replace the invite code: the old link stops working."""
    return await service.group_invite(db, redis, caller, session_id, group_id, revoke=True)


@router.post("/{group_id}/leave", response_model=GroupLeft)
async def leave_group(
    redis: RedisDep, session_id: SessionId, group_id: GroupId, caller: Writer, db: DbSession
) -> GroupLeft:
    """Leave the group (`group.left` follows). The chat stays in the chat list."""
    left = await service.leave_group(db, redis, caller, session_id, group_id)
    return GroupLeft(group_id=left, left_at=utcnow())
