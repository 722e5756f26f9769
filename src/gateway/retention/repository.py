"""The purge's SQL: one bounded batch per statement.

Each statement picks at most ``batch`` rows past their age, oldest id first, with ``FOR
UPDATE SKIP LOCKED`` (a row a sender or a worker holds is left for the next run instead of
waited for), and deletes them. Ids are time-sortable, so the primary key's index is the
scan: from the last id the run reached (``after``) up to ``horizon``, the id of the
shortest retention any account has; each row's own account decides, in the same
statement, whether it is past its age. Creation time, not the id, is what decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.retention.policy import AccountKind, RetentionPolicy

# Messages the delivery pipeline still works on (``ix_messages_pending``'s statuses).
_UNFINISHED_MESSAGES = "('scheduled', 'queued', 'sending')"


def _days(kind: AccountKind) -> str:
    """The account's days for ``kind`` in SQL: its own, else the default, within the
    maximum (``LEAST`` ignores a NULL maximum; a NULL result keeps the row forever)."""
    return (
        f"LEAST(COALESCE(a.retention_{kind}_days, CAST(:default AS integer)), "
        "CAST(:maximum AS integer))"
    )


def _past_age(kind: AccountKind, alias: str) -> str:
    # A lookup of the row's account rather than a join: the scan then stays the primary
    # key's, in id order, stopping at the batch's end, instead of a hash join over every
    # candidate row sorted afterwards.
    days = f"(SELECT {_days(kind)} FROM accounts AS a WHERE a.id = {alias}.account_id)"  # noqa: S608 - ours
    return f"{alias}.created_at < now() - make_interval(days => {days})"


def _keyset_delete(table: str, alias: str, key: str, where: str) -> str:
    return f"""
        WITH doomed AS (
            SELECT {alias}.{key} AS key FROM {table} AS {alias}
            WHERE {alias}.{key} > :after AND {alias}.{key} < :horizon AND {where}
            ORDER BY {alias}.{key}
            LIMIT :batch
            FOR UPDATE SKIP LOCKED
        ), gone AS (
            DELETE FROM {table} AS t USING doomed WHERE t.{key} = doomed.key RETURNING t.{key}
        )
        SELECT count(*) AS purged, max({key}) AS last FROM gone
    """  # noqa: S608 - built from this module's constants


@dataclass(frozen=True)
class KeysetPurge:
    """A kind purged along its time-sortable primary key."""

    kind: str
    id_prefix: str
    statement: TextClause
    # For an account kind, the account's retention applies; otherwise the operator's days.
    account_kind: AccountKind | None = None


MESSAGES: Final = KeysetPurge(
    "messages",
    "msg",
    text(
        _keyset_delete(
            "messages",
            "m",
            "id",
            f"m.status NOT IN {_UNFINISHED_MESSAGES} AND {_past_age('messages', 'm')}",
        )
    ),
    account_kind="messages",
)
# Deleting an event deletes its deliveries (ON DELETE CASCADE); one still being delivered
# stays until the delivery is done.
EVENTS: Final = KeysetPurge(
    "events",
    "evt",
    text(
        _keyset_delete(
            "events",
            "e",
            "id",
            f"{_past_age('events', 'e')} AND NOT EXISTS ("  # noqa: S608 - ours
            "SELECT 1 FROM webhook_deliveries AS d "
            "WHERE d.event_id = e.id AND d.status = 'pending')",
        )
    ),
    account_kind="events",
)
# Attempts go with their delivery (ON DELETE CASCADE, indexed by delivery).
WEBHOOK_DELIVERIES: Final = KeysetPurge(
    "webhook_deliveries",
    "dlv",
    text(
        _keyset_delete(
            "webhook_deliveries",
            "d",
            "id",
            f"d.status <> 'pending' AND {_past_age('webhook_deliveries', 'd')}",
        )
    ),
    account_kind="webhook_deliveries",
)
# The simulated network's rows it is done with: inbound messages received, sends with no
# ack still owed (their key is the message id, whose time is when the send was made).
SANDBOX_INBOUND: Final = KeysetPurge(
    "sandbox_inbound",
    "sbx",
    text(
        _keyset_delete(
            "sandbox_inbound",
            "i",
            "id",
            "i.received_at < now() - make_interval(days => CAST(:days AS integer))",
        )
    ),
)
SANDBOX_SENDS: Final = KeysetPurge(
    "sandbox_sends",
    "msg",
    text(_keyset_delete("sandbox_sends", "s", "message_id", "s.next_ack_at IS NULL")),
)


async def shortest_days(db: AsyncSession, kind: AccountKind, policy: RetentionPolicy) -> int | None:
    """The shortest retention of ``kind`` over all accounts; ``None``: all keep forever."""
    days = await db.scalar(
        text(f"SELECT min({_days(kind)}) FROM accounts AS a"),  # noqa: S608 - ours
        {"default": policy.default(kind), "maximum": policy.max_days},
    )
    return None if days is None else int(days)


async def purge_keyset_batch(
    db: AsyncSession,
    purge: KeysetPurge,
    *,
    after: str,
    horizon: str,
    batch: int,
    policy: RetentionPolicy,
    days: int | None = None,
) -> tuple[int, str | None]:
    """Delete one batch; returns how many rows, and the last key reached."""
    params: dict[str, object] = {"after": after, "horizon": horizon, "batch": batch}
    if purge.account_kind is not None:
        params |= {"default": policy.default(purge.account_kind), "maximum": policy.max_days}
    if days is not None:
        params["days"] = days  # a statement that names no :days ignores it
    row = (await db.execute(purge.statement, params)).one()
    return int(row.purged), row.last


_IDEMPOTENCY_KEYS = text("""
    WITH doomed AS (
        SELECT id FROM idempotency_keys WHERE expires_at <= now()
        ORDER BY expires_at LIMIT :batch FOR UPDATE SKIP LOCKED
    ), gone AS (
        DELETE FROM idempotency_keys AS k USING doomed WHERE k.id = doomed.id RETURNING k.id
    )
    SELECT count(*) FROM gone
""")


async def purge_idempotency_batch(db: AsyncSession, *, batch: int) -> int:
    """Delete a batch of idempotency records past their expiry; returns how many."""
    return int(await db.scalar(_IDEMPOTENCY_KEYS, {"batch": batch}) or 0)


_TOMBSTONED = "s.deleted_at < now() - make_interval(days => CAST(:days AS integer))"
# What is left of a tombstone's messages goes first, in batches like any messages: deleting
# the session would otherwise cascade to all of them in one statement.
_TOMBSTONE_MESSAGES = text(f"""
    WITH doomed AS (
        SELECT m.id FROM sessions AS s JOIN messages AS m ON m.session_id = s.id
        WHERE s.deleted_at IS NOT NULL AND {_TOMBSTONED}
        LIMIT :batch FOR UPDATE OF m SKIP LOCKED
    ), gone AS (
        DELETE FROM messages AS m USING doomed WHERE m.id = doomed.id RETURNING m.id
    )
    SELECT count(*) FROM gone
""")  # noqa: S608 - built from this module's constants
_TOMBSTONES = text(f"""
    WITH doomed AS (
        SELECT s.id FROM sessions AS s
        WHERE s.deleted_at IS NOT NULL AND {_TOMBSTONED}
          AND NOT EXISTS (SELECT 1 FROM messages AS m WHERE m.session_id = s.id)
        ORDER BY s.deleted_at LIMIT :batch FOR UPDATE OF s SKIP LOCKED
    ), gone AS (
        DELETE FROM sessions AS t USING doomed WHERE t.id = doomed.id RETURNING t.id
    )
    SELECT count(*) FROM gone
""")  # noqa: S608 - built from this module's constants


async def purge_tombstone_messages_batch(db: AsyncSession, *, days: int, batch: int) -> int:
    """Delete a batch of the messages of sessions deleted more than ``days`` ago."""
    return int(await db.scalar(_TOMBSTONE_MESSAGES, {"days": days, "batch": batch}) or 0)


async def purge_tombstones_batch(db: AsyncSession, *, days: int, batch: int) -> int:
    """Delete a batch of sessions deleted more than ``days`` ago whose messages are gone;
    their engine state (leases, devices, sandbox rows) goes with them."""
    return int(await db.scalar(_TOMBSTONES, {"days": days, "batch": batch}) or 0)


async def limit_lock_waits(db: AsyncSession, *, lock_timeout_ms: int) -> None:
    """Bound how long the batch's transaction may wait for a lock (a cascade may reach a
    row a worker holds): it fails instead, and the purge moves on."""
    await db.execute(text(f"SET LOCAL lock_timeout = {int(lock_timeout_ms)}"))
