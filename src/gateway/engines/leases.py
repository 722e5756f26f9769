"""All SQL of the engine host: leases and the session state it reads and writes.

A host only writes a session's state while it holds an unexpired lease on it; every write
checks the lease in the same statement, so a host that lost its lease (paused, cut off)
can never overwrite the state written by the host that took over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Boolean,
    DateTime,
    String,
    and_,
    any_,
    bindparam,
    delete,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement, Select

from gateway.models import Session, SessionLease

# Sessions a host must act on: keep running, stop, delete, log out. The same predicate as
# the partial index ix_sessions_needing_host, minus failed sessions nobody restarted.
_NEEDS_HOST = and_(
    or_(
        Session.desired_state != "stopped",
        Session.status != "STOPPED",
        Session.logout_generation > Session.observed_logout_generation,
    ),
    ~and_(
        Session.desired_state == "running",
        Session.status == "FAILED",
        Session.observed_generation == Session.generation,
        Session.logout_generation == Session.observed_logout_generation,
    ),
)


def _held_by(host_id: str, session_id: object) -> object:
    return exists().where(
        SessionLease.session_id == session_id,
        SessionLease.host_id == host_id,
        SessionLease.expires_at > func.now(),
    )


async def renew(db: AsyncSession, host_id: str, ttl: float) -> set[str]:
    """Extend every unexpired lease of the host; returns the sessions it still holds."""
    rows = await db.execute(
        update(SessionLease)
        .where(SessionLease.host_id == host_id, SessionLease.expires_at > func.now())
        .values(expires_at=func.now() + timedelta(seconds=ttl))
        .returning(SessionLease.session_id)
    )
    return set(rows.scalars())


def _unleased_candidates(
    limit: int | ColumnElement[int], *, engine: ColumnElement[bool] | None = None
) -> Select[str]:
    """Sessions that need a host and have no live lease, oldest id first, locked."""
    query = (
        select(Session.id)
        .outerjoin(SessionLease, SessionLease.session_id == Session.id)
        .where(_NEEDS_HOST)
        .where(or_(SessionLease.session_id.is_(None), SessionLease.expires_at <= func.now()))
    )
    if engine is not None:
        query = query.where(engine)
    return (
        query.order_by(Session.id)
        .limit(limit)
        .with_for_update(of=Session, skip_locked=True, key_share=True)
    )


def _room_for(host_id: str, engine: str, most: int, limit: int) -> ColumnElement[int]:
    """How many more sessions of ``engine`` the host may claim: ``most`` less those it
    holds already, counted in the claiming statement itself."""
    held = (
        select(func.count())
        .select_from(SessionLease)
        .join(Session, Session.id == SessionLease.session_id)
        .where(
            SessionLease.host_id == host_id,
            SessionLease.expires_at > func.now(),
            Session.engine == engine,
        )
        .scalar_subquery()
    )
    return func.least(limit, func.greatest(0, most - held))


class Claimed(set[str]):
    """The sessions a claim leased; ``taken_over``: those of them whose lease had run out
    rather than been given up (its host died or was cut off)."""

    def __init__(self, leased: Iterable[tuple[str, bool]] = ()) -> None:
        rows = list(leased)
        super().__init__(session_id for session_id, _ in rows)
        self.taken_over = {session_id for session_id, updated in rows if updated}


async def claim(
    db: AsyncSession,
    host_id: str,
    ttl: float,
    limit: int,
    *,
    engine_limits: Mapping[str, int] | None = None,
) -> Claimed:
    """Lease up to ``limit`` sessions that need a host and have none (or an expired one),
    and of an engine in ``engine_limits`` no more than the host may hold of it in all
    (leases it holds already count).

    SKIP LOCKED spreads racing hosts over different sessions; the conditional upsert is
    what makes a lease exclusive: of two hosts taking over one expired lease, the second
    finds it unexpired and gets nothing. With limits the candidates are taken per limited
    engine (up to the room left for it) and for all other engines (up to ``limit``) and
    the oldest ``limit`` of them leased, still in one statement: an engine at its limit
    never crowds the others out of a pass."""
    if limit <= 0:
        return Claimed()
    expires = func.now() + timedelta(seconds=ttl)
    if not engine_limits:
        candidates = _unleased_candidates(limit).add_columns(literal(host_id), expires)
    else:
        limited = sorted(engine_limits)
        parts = [_unleased_candidates(limit, engine=Session.engine.not_in(limited))]
        parts += [
            _unleased_candidates(
                _room_for(host_id, engine, engine_limits[engine], limit),
                engine=Session.engine == engine,
            )
            for engine in limited
        ]
        ctes = [part.cte(f"claimable_{n}") for n, part in enumerate(parts)]
        claimable = union_all(*(select(cte.c.id) for cte in ctes)).subquery("claimable")
        candidates = (
            select(claimable.c.id, literal(host_id), expires).order_by(claimable.c.id).limit(limit)
        )
    stmt = insert(SessionLease).from_select(["session_id", "host_id", "expires_at"], candidates)
    upsert = stmt.on_conflict_do_update(
        index_elements=[SessionLease.session_id],
        set_={
            "host_id": stmt.excluded.host_id,
            "expires_at": stmt.excluded.expires_at,
            "acquired_at": func.now(),
        },
        where=SessionLease.expires_at <= func.now(),
        # A row the upsert updated (an expired lease, taken over) has the writing
        # transaction's id as xmax; a row it inserted has none.
    ).returning(SessionLease.session_id, literal_column("xmax::text <> '0'", Boolean))
    rows = await db.execute(upsert)
    return Claimed((session_id, bool(updated)) for session_id, updated in rows.all())


async def release(db: AsyncSession, host_id: str, session_ids: Sequence[str] | None = None) -> None:
    """Give leases up (all of the host's when ``session_ids`` is None)."""
    stmt = delete(SessionLease).where(SessionLease.host_id == host_id)
    if session_ids is not None:
        stmt = stmt.where(SessionLease.session_id.in_(session_ids))
    await db.execute(stmt)


@dataclass(frozen=True)
class SessionState:
    """What a host's pass needs of a session to decide whether to act on it."""

    id: str
    desired_state: str
    status: str
    generation: int
    observed_generation: int
    logout_generation: int
    observed_logout_generation: int

    @property
    def logout_pending(self) -> bool:
        return self.logout_generation > self.observed_logout_generation

    @property
    def failed_for_good(self) -> bool:
        """Failed (logged out from the phone, QR never scanned, crashing) and waiting for
        a start or restart, which bumps the generation."""
        return self.status == "FAILED" and self.observed_generation == self.generation


_IDS = bindparam("ids", type_=ARRAY(String))
_STATE_COLUMNS = (
    Session.id,
    Session.desired_state,
    Session.status,
    Session.generation,
    Session.observed_generation,
    Session.logout_generation,
    Session.observed_logout_generation,
)
_STATES = select(*_STATE_COLUMNS).where(Session.id == any_(_IDS))
_CHANGED_STATES = select(*_STATE_COLUMNS).where(
    Session.id == any_(_IDS),
    or_(
        Session.updated_at >= bindparam("since", type_=DateTime(timezone=True)),
        Session.id == any_(bindparam("also", type_=ARRAY(String))),
    ),
)


async def states_of(
    db: AsyncSession,
    session_ids: Sequence[str],
    *,
    changed_since: datetime | None = None,
    also: Sequence[str] = (),
) -> dict[str, SessionState]:
    """The state of these sessions, in one query of a few columns; with ``changed_since``
    only of those updated since then, and of those in ``also``. A pass reads what
    changed, and loads whole rows only for the sessions it must act on."""
    if not session_ids:
        return {}
    if changed_since is None:
        rows = await db.execute(_STATES, {"ids": list(session_ids)})
    else:
        rows = await db.execute(
            _CHANGED_STATES,
            {"ids": list(session_ids), "since": changed_since, "also": list(also)},
        )
    return {row.id: SessionState(*row) for row in rows}


async def sessions_of(db: AsyncSession, session_ids: Sequence[str]) -> dict[str, Session]:
    if not session_ids:
        return {}
    rows = await db.scalars(
        select(Session).where(Session.id == any_(_IDS)), {"ids": list(session_ids)}
    )
    return {s.id: s for s in rows}


async def lock_all_held(
    db: AsyncSession, host_id: str, session_ids: Sequence[str]
) -> list[Session]:
    """Those of these sessions whose lease ``host_id`` holds, locked for update, in one
    query (see ``lock_if_held``)."""
    if not session_ids:
        return []
    rows = await db.scalars(
        select(Session)
        .where(Session.id == any_(_IDS), _held_by(host_id, Session.id))  # type: ignore[arg-type]
        .order_by(Session.id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True),
        {"ids": list(session_ids)},
    )
    return list(rows)


async def lock_if_held(db: AsyncSession, host_id: str, session_id: str) -> Session | None:
    """The session, locked for update, if ``host_id`` still holds its lease."""
    return await db.scalar(
        select(Session)
        .where(Session.id == session_id, _held_by(host_id, Session.id))  # type: ignore[arg-type]
        # NO KEY: rows of other tables that reference the session (messages being
        # inserted by the API) need not wait for a status report.
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
