"""All SQL of accepting a send: one statement that is its own transaction, run on the
plain asyncpg pool of one-statement hot paths."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
import orjson

from gateway.models import Message

_MESSAGE_COLUMNS = (
    "id, account_id, session_id, direction, chat_id, type, content, reply_to, status, "
    "attempts, send_at, next_attempt_at, expires_at, created_at, updated_at"
)
_MESSAGE_VALUES = (
    "CAST(:id AS varchar), CAST(:account_id AS varchar), CAST(:session_id AS varchar), "
    "'outbound', CAST(:chat_id AS varchar), CAST(:type AS varchar), CAST(:content AS jsonb), "
    "CAST(:reply_to AS varchar), CAST(:status AS varchar), 0, CAST(:send_at AS timestamptz), "
    "CAST(:next_attempt_at AS timestamptz), CAST(:expires_at AS timestamptz), "
    "CAST(:created_at AS timestamptz), CAST(:created_at AS timestamptz)"
)
# The session must be live and the account's; the holder of its lease, if any, gets the
# delivery job. Both are read in the statement that inserts, so nothing can change between.
_LIVE = (
    "live AS (SELECT id FROM sessions WHERE id = CAST(:session_id AS varchar) "
    "AND account_id = CAST(:account_id AS varchar) AND deleted_at IS NULL)"
)
_RESULT = (
    "SELECT EXISTS (SELECT 1 FROM live) AS live, EXISTS (SELECT 1 FROM inserted) AS inserted, "
    "(SELECT host_id FROM session_leases WHERE session_id = CAST(:session_id AS varchar) "
    "AND expires_at > now()) AS host_id"
)
# Built from the constants above, never from input: every value is a bound parameter.
_ACCEPT = (
    f"WITH {_LIVE}, inserted AS (INSERT INTO messages ({_MESSAGE_COLUMNS}) "  # noqa: S608
    f"SELECT {_MESSAGE_VALUES} FROM live RETURNING 1) {_RESULT}, true AS locked"
)
# With an Idempotency-Key: the advisory lock (held by a request in flight on the general
# path) and the record are claimed in the same statement, and the message is inserted
# only if the claim was won. A duplicate racing it waits on the record's unique index and
# then finds the claim taken: the work is done once.
_ACCEPT_IDEMPOTENT = (
    f"WITH {_LIVE}, "  # noqa: S608
    "lock AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(hashtextextended(:lock, 0)) AS got), "
    "claim AS (INSERT INTO idempotency_keys (scope, key, fingerprint, method, path, "
    "status_code, response_headers, response_body, expires_at) "
    "SELECT CAST(:scope AS varchar), CAST(:key AS varchar), CAST(:fingerprint AS varchar), "
    "CAST(:method AS varchar), CAST(:path AS varchar), CAST(:status_code AS smallint), "
    "CAST(:response_headers AS jsonb), CAST(:response_body AS bytea), "
    "CAST(:record_expires_at AS timestamptz) FROM live, lock WHERE lock.got "
    "ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, "
    "method = EXCLUDED.method, path = EXCLUDED.path, status_code = EXCLUDED.status_code, "
    "response_headers = EXCLUDED.response_headers, response_body = EXCLUDED.response_body, "
    "expires_at = EXCLUDED.expires_at, created_at = now() "
    "WHERE idempotency_keys.expires_at <= now() RETURNING 1), "
    f"inserted AS (INSERT INTO messages ({_MESSAGE_COLUMNS}) "
    f"SELECT {_MESSAGE_VALUES} FROM claim RETURNING 1) "
    f"{_RESULT}, (SELECT got FROM lock) AS locked"
)


@dataclass(slots=True)
class NewMessage:
    """A message about to be stored, with every column the API shows (a plain object:
    an ORM instance costs more to build than the whole statement that stores it)."""

    id: str
    account_id: str
    session_id: str
    chat_id: str
    type: str
    content: dict[str, Any]
    reply_to: str | None
    status: str
    send_at: datetime | None
    next_attempt_at: datetime
    expires_at: datetime
    created_at: datetime
    direction: str = "outbound"
    attempts: int = 0
    error_code: str | None = None
    error_message: str | None = None
    error_engine_code: str | None = None
    engine_message_id: str | None = None
    sent_at: datetime | None = None
    delivered_at: datetime | None = None
    read_at: datetime | None = None
    edited_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def updated_at(self) -> datetime:
        return self.created_at

    def row(self) -> Message:
        return Message(
            id=self.id, account_id=self.account_id, session_id=self.session_id,
            direction=self.direction, chat_id=self.chat_id, type=self.type,
            content=self.content, reply_to=self.reply_to, status=self.status,
            send_at=self.send_at, next_attempt_at=self.next_attempt_at,
            expires_at=self.expires_at, attempts=self.attempts,
            created_at=self.created_at, updated_at=self.created_at,
        )  # fmt: skip


def _positional(statement: str) -> tuple[str, tuple[str, ...]]:
    """asyncpg's ``$n`` form of a statement written with ``:name`` parameters."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match[1] not in names:
            names.append(match[1])
        return f"${names.index(match[1]) + 1}"

    return re.sub(r"(?<!:):([a-z_]+)", number, statement), tuple(names)


_ACCEPT_SQL = _positional(_ACCEPT)
_ACCEPT_IDEMPOTENT_SQL = _positional(_ACCEPT_IDEMPOTENT)


@dataclass(frozen=True, slots=True)
class Acceptance:
    live: bool  # the session exists, in the account, not deleted
    locked: bool  # no request with the same Idempotency-Key is in flight
    inserted: bool  # the message is stored (and the idempotent outcome with it)
    host_id: str | None  # the engine host running the session


async def accept_outbound(
    pool: asyncpg.Pool, message: NewMessage, record: dict[str, Any] | None, lock: str | None
) -> Acceptance:
    """Store a new outbound message, with its idempotency ``record`` when given, in one
    statement on a connection of the statement pool (the statement is the transaction)."""
    params: dict[str, Any] = {
        "id": message.id,
        "account_id": message.account_id,
        "session_id": message.session_id,
        "chat_id": message.chat_id,
        "type": message.type,
        "content": orjson.dumps(message.content).decode(),
        "reply_to": message.reply_to,
        "status": message.status,
        "send_at": message.send_at,
        "next_attempt_at": message.next_attempt_at,
        "expires_at": message.expires_at,
        "created_at": message.created_at,
    }
    sql, names = _ACCEPT_SQL
    if record is not None:
        sql, names = _ACCEPT_IDEMPOTENT_SQL
        params.update(record, lock=lock, record_expires_at=record["expires_at"])
        params["response_headers"] = orjson.dumps(record["response_headers"]).decode()
    async with pool.acquire() as conn:
        row = await conn.fetchrow(sql, *(params[name] for name in names))
    assert row is not None
    return Acceptance(bool(row["live"]), bool(row["locked"]), bool(row["inserted"]), row["host_id"])
