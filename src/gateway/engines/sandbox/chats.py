"""The sandbox phone's chat list: every message that comes or goes moves its chat to the
top; received ones count as unread until the chat is read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.engines.records import Chat, LastMessage
from gateway.engines.sandbox.core import SandboxCore
from gateway.kit.errors import NotFound
from gateway.models import SandboxChat
from gateway.sandbox import network_repository as network


def chat_out(row: SandboxChat) -> Chat:
    last = row.last_message
    return Chat(
        id=row.chat_id,
        name=row.name,
        is_group=row.chat_id.endswith("@g.us"),
        unread_count=row.unread_count,
        marked_unread=row.marked_unread,
        archived=row.archived,
        last_message=LastMessage.model_validate(last) if last else None,
        last_activity_at=row.last_activity_at,
    )


def last_message(
    *,
    engine_message_id: str,
    from_me: bool,
    from_id: str | None,
    type: str,
    text: str | None,
    at: datetime,
) -> dict[str, Any]:
    """A chat's last message, as the chat list stores it."""
    return LastMessage(
        engine_message_id=engine_message_id,
        from_me=from_me,
        from_id=from_id,
        type=type,
        text=text,
        timestamp=at,
    ).model_dump(mode="json", exclude={"id"})


async def record_message(
    db: AsyncSession,
    session_id: str,
    chat_id: str,
    *,
    name: str | None,
    engine_message_id: str,
    from_me: bool,
    from_id: str | None,
    type: str,
    text: str | None,
    at: datetime,
) -> None:
    last = last_message(
        engine_message_id=engine_message_id, from_me=from_me, from_id=from_id, type=type,
        text=text, at=at,
    )  # fmt: skip
    await network.record_chat_message(
        db, session_id, chat_id, name=name, last_message=last, at=at, incoming=not from_me
    )


class SandboxChats(SandboxCore):
    async def chats(self) -> list[Chat]:
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            return [chat_out(row) for row in await network.chats_of(db, self.session.id)]

    async def chat(self, chat_id: str) -> Chat:
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            return chat_out(await self._chat(db, chat_id))

    async def _chat(self, db: AsyncSession, chat_id: str) -> SandboxChat:
        row = await network.chat(db, self.session.id, chat_id)
        if row is None:
            raise NotFound("chat", chat_id, param="chat_id")
        return row

    async def _change(self, chat_id: str, **values: Any) -> Chat:
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            if not await network.change_chat(db, self.session.id, chat_id, **values):
                raise NotFound("chat", chat_id, param="chat_id")
            await db.commit()
            return chat_out(await self._chat(db, chat_id))

    async def archive_chat(self, chat_id: str, archived: bool) -> Chat:
        return await self._change(chat_id, archived=archived)

    async def mark_chat_unread(self, chat_id: str) -> Chat:
        return await self._change(chat_id, marked_unread=True)

    async def mark_read(self, chat_id: str) -> None:
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            await network.change_chat(
                db, self.session.id, chat_id, unread_count=0, marked_unread=False
            )
            await db.commit()

    async def delete_chat(self, chat_id: str) -> None:
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            if not await network.delete_chat(db, self.session.id, chat_id):
                raise NotFound("chat", chat_id, param="chat_id")
            await db.commit()
