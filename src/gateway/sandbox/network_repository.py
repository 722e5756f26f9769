"""SQL of the simulated network's social graph: what each sandbox phone knows of its
contacts, its chat list, and the account's groups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import DateTime, Integer, String, Table, bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import (
    SandboxChat,
    SandboxContact,
    SandboxDevice,
    SandboxGroup,
    SandboxGroupMember,
    Session,
)

# -- contacts ------------------------------------------------------------------------------


async def contacts_of(db: AsyncSession, session_id: str) -> Sequence[SandboxContact]:
    return (
        await db.scalars(select(SandboxContact).where(SandboxContact.session_id == session_id))
    ).all()


async def contact_by_phone(
    db: AsyncSession, session_id: str, phone_number: str
) -> SandboxContact | None:
    return await db.get(SandboxContact, (session_id, phone_number), populate_existing=True)


async def contact_by_lid(db: AsyncSession, session_id: str, lid: str) -> SandboxContact | None:
    return await db.scalar(
        select(SandboxContact)
        .where(SandboxContact.session_id == session_id, SandboxContact.lid == lid)
        .limit(1)
    )


async def remember_contact(
    db: AsyncSession, session_id: str, phone_number: str, lid: str, **changes: Any
) -> None:
    """Record what the phone learnt of a number; ``changes`` only ever set facts (a known
    number stays known), so a repeated report changes nothing."""
    values = {"session_id": session_id, "phone_number": phone_number, "lid": lid, **changes}
    await db.execute(
        insert(SandboxContact)
        .values(**values)
        .on_conflict_do_update(
            index_elements=[SandboxContact.session_id, SandboxContact.phone_number],
            set_={**changes, "updated_at": func.now()} if changes else {"updated_at": func.now()},
        )
    )


# -- chats ---------------------------------------------------------------------------------


async def chats_of(db: AsyncSession, session_id: str) -> Sequence[SandboxChat]:
    return (
        await db.scalars(
            select(SandboxChat)
            .where(SandboxChat.session_id == session_id)
            .order_by(SandboxChat.last_activity_at.desc().nulls_last(), SandboxChat.chat_id)
        )
    ).all()


async def chat(db: AsyncSession, session_id: str, chat_id: str) -> SandboxChat | None:
    return await db.get(SandboxChat, (session_id, chat_id), populate_existing=True)


_chats = cast(Table, SandboxChat.__table__)
_CHAT_COLUMNS = [
    "session_id",
    "chat_id",
    "name",
    "unread_count",
    "last_message",
    "last_activity_at",
]


def record_chat_message_statement(source: Any) -> Any:
    """The upsert moving a chat to the top, its values (``_CHAT_COLUMNS``) from
    ``source``: a message in it came or went, and an incoming one counts as unread."""
    new = insert(_chats).from_select(_CHAT_COLUMNS, source)
    return new.on_conflict_do_update(
        index_elements=[_chats.c.session_id, _chats.c.chat_id],
        set_={
            "name": func.coalesce(new.excluded.name, _chats.c.name),
            "unread_count": _chats.c.unread_count + new.excluded.unread_count,
            "last_message": new.excluded.last_message,
            "last_activity_at": new.excluded.last_activity_at,
        },
    )


# Built once: a message of every send and every arrival moves its chat.
_RECORD_CHAT_MESSAGE = record_chat_message_statement(
    select(
        bindparam("b_session_id", type_=String), bindparam("b_chat_id", type_=String),
        bindparam("b_name", type_=String), bindparam("b_unread", type_=Integer),
        bindparam("b_last", type_=JSONB), bindparam("b_at", type_=DateTime(timezone=True)),
    )
)  # fmt: skip


async def record_chat_message(
    db: AsyncSession,
    session_id: str,
    chat_id: str,
    *,
    name: str | None,
    last_message: dict[str, Any],
    at: datetime,
    incoming: bool,
) -> None:
    """A message came or went in a chat: it moves to the top, and an incoming one counts
    as unread. The chat starts when it is not in the list."""
    await db.execute(
        _RECORD_CHAT_MESSAGE,
        {"b_session_id": session_id, "b_chat_id": chat_id, "b_name": name,
         "b_unread": 1 if incoming else 0, "b_last": last_message, "b_at": at},
    )  # fmt: skip


async def ensure_chat(db: AsyncSession, session_id: str, chat_id: str, name: str | None) -> None:
    await db.execute(
        insert(SandboxChat)
        .values(session_id=session_id, chat_id=chat_id, name=name)
        .on_conflict_do_nothing()
    )


async def change_chat(db: AsyncSession, session_id: str, chat_id: str, **values: Any) -> bool:
    result = await db.execute(
        update(SandboxChat)
        .where(SandboxChat.session_id == session_id, SandboxChat.chat_id == chat_id)
        .values(**values)
    )
    return bool(getattr(result, "rowcount", 0))


async def delete_chat(db: AsyncSession, session_id: str, chat_id: str) -> bool:
    result = await db.execute(
        delete(SandboxChat).where(
            SandboxChat.session_id == session_id, SandboxChat.chat_id == chat_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def rename_group_chats(db: AsyncSession, group_id: str, subject: str) -> None:
    await db.execute(
        update(SandboxChat).where(SandboxChat.chat_id == group_id).values(name=subject)
    )


# -- groups --------------------------------------------------------------------------------


async def groups_with_member(
    db: AsyncSession, account_id: str, member_id: str
) -> Sequence[SandboxGroup]:
    return (
        await db.scalars(
            select(SandboxGroup)
            .join(SandboxGroupMember, SandboxGroupMember.group_id == SandboxGroup.id)
            .where(SandboxGroup.account_id == account_id, SandboxGroupMember.member_id == member_id)
            .order_by(SandboxGroup.id)
        )
    ).all()


async def group(
    db: AsyncSession, account_id: str, group_id: str, *, lock: bool = False
) -> SandboxGroup | None:
    stmt = select(SandboxGroup).where(
        SandboxGroup.account_id == account_id, SandboxGroup.id == group_id
    )
    if lock:
        stmt = stmt.with_for_update()
    return await db.scalar(stmt.execution_options(populate_existing=True))


async def group_by_invite(db: AsyncSession, account_id: str, code: str) -> SandboxGroup | None:
    return await db.scalar(
        select(SandboxGroup).where(
            SandboxGroup.account_id == account_id, SandboxGroup.invite_code == code
        )
    )


async def members(
    db: AsyncSession, group_ids: Sequence[str]
) -> dict[str, list[SandboxGroupMember]]:
    """Each group's participants, creator and admins first, then by when they joined."""
    rows = (
        await db.scalars(
            select(SandboxGroupMember)
            .where(SandboxGroupMember.group_id.in_(group_ids))
            .order_by(SandboxGroupMember.joined_at, SandboxGroupMember.member_id)
        )
    ).all()
    by_group: dict[str, list[SandboxGroupMember]] = {g: [] for g in group_ids}
    for row in rows:
        by_group[row.group_id].append(row)
    return by_group


async def members_of(db: AsyncSession, group_id: str) -> list[SandboxGroupMember]:
    return (await members(db, [group_id]))[group_id]


async def group_with_members(
    db: AsyncSession, account_id: str, group_id: str, *, lock: bool = False
) -> tuple[SandboxGroup, list[SandboxGroupMember]] | None:
    """The account's group and its participants; None if the account has no such group."""
    row = await group(db, account_id, group_id, lock=lock)
    return None if row is None else (row, await members_of(db, group_id))


async def add_group(db: AsyncSession, row: SandboxGroup) -> None:
    db.add(row)
    await db.flush()


async def add_members(db: AsyncSession, group_id: str, roles: dict[str, str], at: datetime) -> None:
    if roles:
        await db.execute(
            insert(SandboxGroupMember)
            .values([
                {"group_id": group_id, "member_id": m, "role": r, "joined_at": at}
                for m, r in roles.items()
            ])
            .on_conflict_do_nothing()
        )  # fmt: skip


async def remove_members(db: AsyncSession, group_id: str, member_ids: Sequence[str]) -> None:
    await db.execute(
        delete(SandboxGroupMember).where(
            SandboxGroupMember.group_id == group_id, SandboxGroupMember.member_id.in_(member_ids)
        )
    )


async def set_roles(db: AsyncSession, group_id: str, member_ids: Sequence[str], role: str) -> None:
    await db.execute(
        update(SandboxGroupMember)
        .where(
            SandboxGroupMember.group_id == group_id, SandboxGroupMember.member_id.in_(member_ids)
        )
        .values(role=role)
    )


async def linked_sessions(
    db: AsyncSession, account_id: str, phone_numbers: Sequence[str]
) -> dict[str, str]:
    """The account's sandbox sessions linked to these phones: {E.164: session id}."""
    if not phone_numbers:
        return {}
    rows = await db.execute(
        select(SandboxDevice.phone_number, SandboxDevice.session_id)
        .join(Session, Session.id == SandboxDevice.session_id)
        .where(
            Session.account_id == account_id,
            Session.deleted_at.is_(None),
            SandboxDevice.linked_at.is_not(None),
            SandboxDevice.phone_number.in_(phone_numbers),
        )
    )
    return {phone: session_id for phone, session_id in rows.all() if phone}
