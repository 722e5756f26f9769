"""The web engine's chats, host side: the chat list kept in PostgreSQL, and the changes
(archive, mark unread, delete) sent to WhatsApp through the session's child.

whatsmeow keeps no chat list. What the gateway knows of one:

- the phone's own, sent once to a newly linked device in history syncs (names, unread
  counts, archived, pinned, the latest message): the child reports it (``chats_synced``,
  ``neonize_chats``) and ``store_synced`` keeps it in ``web_chats``;
- every message since, which the gateway stores anyway (``messages``): a chat's last
  message and activity are its newest message's when that is newer than the sync's,
  and its unread count is the sync's plus the messages received after it, or after the
  chat was last read through the gateway (``record_read``, for ``mark_read``) or deleted.

``chats()`` and ``chat()`` are answered from PostgreSQL alone (``chats_repository``):
no call to the child, so they work while WhatsApp is unreachable. Measured on the 2-core
machine, one statement: 2,000 chats over 200,000 messages, half of the chats never read,
about 110 ms, of which about 85 ms is counting unread messages (a chat never read counts
every message it received) and 13 ms finding the session's chats; the list grows with
the unread messages, not with all of them.

Changes go to WhatsApp first, as app-state patches (``neonize_chats``), and the row
follows once WhatsApp took them; a chat the list does not show is a 404. neonize 0.5.2
cannot deliver app-state patches (``neonize_chats`` says why), so ``chats_manage`` is
not among the engine's capabilities and, over neonize's client, each change answers 501
saying so; the fake client takes them, which is how they are tested.

Not kept, because neonize has no app-state events: what the phone (or another linked
device) changes later, such as archiving a chat or reading it there. Unread counts can
therefore run ahead of the phone's until the chat is read through the gateway, and a
chat archived on the phone shows unarchived until the next link.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gateway.engines.base import Capability, EngineResources, EngineSession, EngineUnsupported
from gateway.engines.records import Chat, LastMessage
from gateway.engines.web import chats_repository as repository
from gateway.engines.web.calls import ChildCalls
from gateway.engines.web.chat_events import ChatsSyncedData, SyncedChat
from gateway.engines.web.chats_repository import Scope
from gateway.kit.errors import GatewayError, NotFound
from gateway.kit.ids import new_id

MEDIA_TYPES = frozenset({"image", "video", "audio", "document", "sticker"})
# Our servers → WhatsApp's, for the chats that no history sync named.
WHATSAPP_SERVERS = {"c.us": "s.whatsapp.net", "g.us": "g.us", "lid": "lid"}
NEVER = datetime.min.replace(tzinfo=UTC)


class ChatChangesUndeliverable(EngineUnsupported):
    """501: the session's WhatsApp library cannot send the change (its words say why)."""

    def __init__(self, message: str) -> None:
        GatewayError.__init__(self, message)
        self.engine = "web"
        self.operation = Capability.chats_manage.value


def scope_of(session: EngineSession) -> Scope:
    return Scope(account_id=session.account_id, session_id=session.id)


def whatsapp_jid(chat_id: str) -> str:
    user, _, server = chat_id.partition("@")
    return f"{user}@{WHATSAPP_SERVERS.get(server, server)}"


def _text(kind: str, content: dict[str, Any]) -> str | None:
    if kind in MEDIA_TYPES:
        caption = (content.get("media") or {}).get("caption") or content.get("caption")
        return str(caption) if caption else None
    return str(content["text"]) if content.get("text") else None


def _stored_last(state: Any) -> LastMessage | None:
    """The newest message the gateway stored in the chat (after it was deleted)."""
    if state.last_id is None:
        return None
    content: dict[str, Any] = state.last_content or {}
    inbound = state.last_direction == "inbound"
    at: datetime = state.last_sent_at or state.last_created_at
    if inbound and content.get("timestamp"):
        at = datetime.fromisoformat(str(content["timestamp"]))  # WhatsApp's time of it
    return LastMessage(
        id=state.last_id, engine_message_id=state.last_engine_message_id, from_me=not inbound,
        from_id=content.get("from_id") if inbound else None, type=state.last_type,
        text=_text(state.last_type, content), timestamp=at,
    )  # fmt: skip


def last_of(state: Any) -> LastMessage | None:
    stored = _stored_last(state)
    synced = state.synced_last_message
    if synced is None:
        return stored
    from_sync = LastMessage.model_validate(synced)
    return stored if stored is not None and stored.timestamp >= from_sync.timestamp else from_sync


def chat_of(state: Any) -> Chat:
    last = last_of(state)
    times = [at for at in (state.synced_activity_at, last.timestamp if last else None) if at]
    name = state.name
    if name is None and state.last_id is not None and state.last_direction == "inbound":
        is_group = str(state.chat_id).endswith("@g.us")
        name = None if is_group else (state.last_content or {}).get("from_name")
    return Chat(
        id=state.chat_id, name=name, is_group=str(state.chat_id).endswith("@g.us"),
        unread_count=state.unread_count, marked_unread=state.marked_unread,
        archived=state.archived, last_message=last, last_activity_at=max(times, default=None),
    )  # fmt: skip


def _activity(chat: Chat) -> tuple[bool, datetime | str]:
    return (chat.last_activity_at is not None, chat.last_activity_at or "")


def _synced_row(chat: SyncedChat, read_after: str) -> dict[str, Any]:
    last = chat.last_message
    return {
        "chat_id": chat.chat_id, "whatsapp_jid": chat.whatsapp_jid, "name": chat.name,
        "listed": True, "archived": chat.archived, "pinned": chat.pinned,
        "marked_unread": chat.marked_unread, "unread_base": chat.unread_count,
        # Received messages the gateway stores from now on count on top of the phone's.
        "read_after": read_after,
        "synced_last_message": last.model_dump(mode="json", exclude={"id"}) if last else None,
        "synced_activity_at": chat.last_activity_at,
    }  # fmt: skip


async def store_synced(
    resources: EngineResources, session: EngineSession, data: ChatsSyncedData
) -> None:
    """Keep what a history sync says of the session's chats. One chat can come twice
    (under its number and its LID): the one active last is kept."""
    chosen: dict[str, SyncedChat] = {}
    for chat in data.chats:
        held = chosen.get(chat.chat_id)
        if held is None or (chat.last_activity_at or NEVER) > (held.last_activity_at or NEVER):
            chosen[chat.chat_id] = chat
    read_after = new_id("msg")
    async with resources.sessionmaker() as db:
        rows = [_synced_row(chat, read_after) for chat in chosen.values()]
        await repository.store_synced(db, scope_of(session), rows)
        await db.commit()


async def record_read(resources: EngineResources, session: EngineSession, chat_id: str) -> None:
    """The chat was read through the gateway: nothing in it is unread any more."""
    async with resources.sessionmaker() as db:
        await repository.change_chat(
            db, scope_of(session), chat_id,
            unread_base=0, marked_unread=False, read_after=new_id("msg"),
        )  # fmt: skip
        await db.commit()


class WebChats(ChildCalls):
    async def chats(self) -> list[Chat]:
        async with self.resources.sessionmaker() as db:
            states = await repository.chat_states(db, scope_of(self.session))
        chats = sorted((chat_of(state) for state in states), key=lambda c: c.id)
        return sorted(chats, key=_activity, reverse=True)

    async def chat(self, chat_id: str) -> Chat:
        return chat_of(await self._state(chat_id))

    async def _state(self, chat_id: str) -> Any:
        async with self.resources.sessionmaker() as db:
            state = await repository.chat_state(db, scope_of(self.session), chat_id)
        if state is None:
            raise NotFound("chat", chat_id, param="chat_id")
        return state

    async def _change(self, op: str, chat_id: str, values: dict[str, Any], **args: Any) -> None:
        """``op`` through the child (WhatsApp takes the patch), then ``values`` on the row."""
        state = await self._state(chat_id)
        target = state.whatsapp_jid or whatsapp_jid(chat_id)
        errors = {"app_state_undeliverable": ChatChangesUndeliverable}
        await self._call(
            op, errors=errors, whatsapp_jid=target, last=_patch_last(state, target), **args
        )
        async with self.resources.sessionmaker() as db:
            await repository.change_chat(db, scope_of(self.session), chat_id, **values)
            await db.commit()

    async def archive_chat(self, chat_id: str, archived: bool) -> Chat:
        values: dict[str, Any] = {"archived": archived}
        if archived:
            values["pinned"] = False  # the patch unpins it, as WhatsApp does
        await self._change("archive_chat", chat_id, values, archived=archived)
        return await self.chat(chat_id)

    async def mark_chat_unread(self, chat_id: str) -> Chat:
        await self._change("mark_chat_unread", chat_id, {"marked_unread": True})
        return await self.chat(chat_id)

    async def delete_chat(self, chat_id: str) -> None:
        cleared = new_id("msg")
        values = {
            "listed": False, "cleared_after": cleared, "read_after": cleared, "unread_base": 0,
            "archived": False, "pinned": False, "marked_unread": False,
            "synced_last_message": None, "synced_activity_at": None,
        }  # fmt: skip
        await self._change("delete_chat", chat_id, values)


def _patch_last(state: Any, target: str) -> dict[str, Any] | None:
    """The chat's last message as the patch's message range names it (its key)."""
    last = last_of(state)
    if last is None:
        return None
    participant = None
    if str(state.chat_id).endswith("@g.us") and not last.from_me and last.from_id:
        participant = whatsapp_jid(last.from_id)
    return {
        "remote_jid": target, "message_id": last.engine_message_id, "from_me": last.from_me,
        "participant": participant, "timestamp": int(last.timestamp.timestamp()),
    }  # fmt: skip
