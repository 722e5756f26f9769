"""The SQL of a web session's chat list (``chats``): ``web_chats`` rows and what the
``messages`` table says of each chat, every statement scoped by account and session.

A chat's messages are read where they are, not counted into the row as they come: the
gateway stores every message a session sends or receives, and the index on
``(session_id, chat_id, id)`` answers what the list needs per chat with a few probes
(the session's distinct chats by a skip scan, each chat's newest message, the received
messages after its read mark), so nothing on the message paths has to keep a counter
right (measured: see ``chats``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import WebChat


@dataclass(frozen=True)
class Scope:
    account_id: str
    session_id: str


# The session's chats: those it has messages in (a skip scan over the index, one probe
# per distinct chat rather than a read of every message) and those it has rows for.
_EVERY_CHAT = """
WITH RECURSIVE seen(chat_id) AS (
    (SELECT m.chat_id FROM messages m
     WHERE m.session_id = :session_id AND m.account_id = :account_id
     ORDER BY m.chat_id LIMIT 1)
    UNION ALL
    SELECT (SELECT m.chat_id FROM messages m
            WHERE m.session_id = :session_id AND m.account_id = :account_id
              AND m.chat_id > seen.chat_id
            ORDER BY m.chat_id LIMIT 1)
    FROM seen WHERE seen.chat_id IS NOT NULL
),
ids AS (
    SELECT chat_id FROM seen WHERE chat_id IS NOT NULL
    UNION
    SELECT chat_id FROM web_chats WHERE session_id = :session_id AND account_id = :account_id
)
"""
_ONE_CHAT = "WITH ids AS (SELECT CAST(:chat_id AS varchar) AS chat_id)\n"
_STATES = """
SELECT ids.chat_id, w.whatsapp_jid, w.name, coalesce(w.listed, false) AS listed,
       coalesce(w.archived, false) AS archived, coalesce(w.pinned, false) AS pinned,
       coalesce(w.marked_unread, false) AS marked_unread,
       coalesce(w.unread_base, 0) + unread.n AS unread_count,
       w.synced_last_message, w.synced_activity_at,
       last.id AS last_id, last.engine_message_id AS last_engine_message_id,
       last.direction AS last_direction, last.type AS last_type,
       last.content AS last_content, last.sent_at AS last_sent_at,
       last.created_at AS last_created_at
FROM ids
LEFT JOIN web_chats w
       ON w.session_id = :session_id AND w.account_id = :account_id AND w.chat_id = ids.chat_id
LEFT JOIN LATERAL (
    SELECT m.id, m.engine_message_id, m.direction, m.type, m.content, m.sent_at, m.created_at
    FROM messages m
    WHERE m.session_id = :session_id AND m.account_id = :account_id
      AND m.chat_id = ids.chat_id AND m.id > coalesce(w.cleared_after, '')
      AND m.engine_message_id IS NOT NULL AND m.type <> 'reaction'
    ORDER BY m.id DESC LIMIT 1
) last ON true
CROSS JOIN LATERAL (
    SELECT count(*) AS n
    FROM messages m
    WHERE m.session_id = :session_id AND m.account_id = :account_id
      AND m.chat_id = ids.chat_id AND m.direction = 'inbound' AND m.type <> 'reaction'
      AND m.id > greatest(coalesce(w.read_after, ''), coalesce(w.cleared_after, ''))
) unread
WHERE coalesce(w.listed, false) OR last.id IS NOT NULL
"""
EVERY_STATE = text(_EVERY_CHAT + _STATES)
ONE_STATE = text(_ONE_CHAT + _STATES)


async def chat_states(db: AsyncSession, scope: Scope) -> list[Any]:
    """Every listed chat of the session, and every chat with a message after it was
    last deleted: the row's fields with the newest message's and the unread count."""
    params = {"account_id": scope.account_id, "session_id": scope.session_id}
    return list((await db.execute(EVERY_STATE, params)).all())


async def chat_state(db: AsyncSession, scope: Scope, chat_id: str) -> Any | None:
    params = {"account_id": scope.account_id, "session_id": scope.session_id,
              "chat_id": chat_id}  # fmt: skip
    return (await db.execute(ONE_STATE, params)).first()


async def store_synced(db: AsyncSession, scope: Scope, chats: list[dict[str, Any]]) -> None:
    """Upsert what a history sync said of these chats (``WebChat`` columns each):
    WhatsApp's word replaces what the rows said."""
    if not chats:
        return
    rows = [{**chat, "account_id": scope.account_id, "session_id": scope.session_id}
            for chat in chats]  # fmt: skip
    statement = insert(WebChat).values(rows)
    replaced = ("whatsapp_jid", "listed", "archived", "pinned", "marked_unread", "unread_base",
                "read_after", "synced_last_message", "synced_activity_at")  # fmt: skip
    statement = statement.on_conflict_do_update(
        index_elements=[WebChat.session_id, WebChat.chat_id],
        set_={
            **{column: statement.excluded[column] for column in replaced},
            "name": text("coalesce(excluded.name, web_chats.name)"),
            "updated_at": text("now()"),
        },
        where=WebChat.account_id == scope.account_id,
    )
    await db.execute(statement)


async def change_chat(db: AsyncSession, scope: Scope, chat_id: str, **values: Any) -> None:
    """Set ``values`` on the chat's row, made (unlisted: the chat shows for its messages)
    if it has none."""
    statement = insert(WebChat).values(
        {"listed": False, **values, "account_id": scope.account_id,
         "session_id": scope.session_id, "chat_id": chat_id}
    )  # fmt: skip
    statement = statement.on_conflict_do_update(
        index_elements=[WebChat.session_id, WebChat.chat_id],
        set_={**values, "updated_at": text("now()")},
        where=WebChat.account_id == scope.account_id,
    )
    await db.execute(statement)
