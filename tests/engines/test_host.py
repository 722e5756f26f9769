"""Engine hosts share sessions through leases: each session runs on exactly one host."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.engines.base import SessionStatus
from gateway.engines.host import EngineHost, LeaseLost
from gateway.events.types import EventType
from gateway.models import Event, SessionLease
from gateway.models import Session as SessionRow
from tests.conftest import running_host
from tests.factories import create_account, create_session
from tests.waiting import eventually


async def _statuses(sessionmaker: async_sessionmaker[AsyncSession]) -> Counter[str]:
    async with sessionmaker() as db:
        rows = await db.execute(select(SessionRow.status, func.count()).group_by(SessionRow.status))
        return Counter({status: count for status, count in rows.all()})


async def _starts_per_session(sessionmaker: async_sessionmaker[AsyncSession]) -> Counter[str]:
    async with sessionmaker() as db:
        rows = await db.execute(
            select(Event.session_id, func.count())
            .where(
                Event.type == EventType.session_status.value,
                Event.data["status"].astext == "STARTING",
            )
            .group_by(Event.session_id)
        )
        return Counter({sid: count for sid, count in rows.all()})


async def test_two_hosts_racing_for_50_sessions_run_each_exactly_once(
    client: httpx.AsyncClient,
    host_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await create_account(sessionmaker)
    ids = [
        (await create_session(client, account, name=f"s{i}", auto_link=True))["id"]
        for i in range(50)
    ]
    # A lease far longer than the test: a takeover (covered by its own tests) cannot
    # happen here even if a loaded machine stalls a host, so a second STARTING could only
    # come from two hosts claiming one session.
    racing = host_settings.model_copy(update={"host_lease_seconds": 60})
    async with running_host(racing) as one, running_host(racing) as two:
        await eventually(lambda: _statuses(sessionmaker), lambda c: c["WORKING"] == 50, within=20)
        # Keep racing for a few more passes: nothing moves, nothing doubles.
        await asyncio.sleep(1.0)
        on_one, on_two = set(one.runners), set(two.runners)
        assert on_one.isdisjoint(on_two)
        assert on_one | on_two == set(ids)
        async with sessionmaker() as db:
            leases = dict(
                (await db.execute(select(SessionLease.session_id, SessionLease.host_id))).all()
            )
        assert {sid for sid, host in leases.items() if host == one.id} == on_one
        assert {sid for sid, host in leases.items() if host == two.id} == on_two
    # Had two hosts ever started one session, it would have two STARTING events.
    assert await _starts_per_session(sessionmaker) == Counter({sid: 1 for sid in ids})


async def test_a_host_runs_no_more_than_its_capacity(
    client: httpx.AsyncClient,
    host_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await create_account(sessionmaker)
    for i in range(6):
        await create_session(client, account, name=f"s{i}", auto_link=True)
    async with running_host(host_settings, host_capacity=4) as small:
        await eventually(lambda: _statuses(sessionmaker), lambda c: c["WORKING"] == 4)
        await asyncio.sleep(0.5)
        assert len(small.runners) == 4
        async with running_host(host_settings) as big:
            await eventually(lambda: _statuses(sessionmaker), lambda c: c["WORKING"] == 6)
            assert len(big.runners) == 2


async def test_an_expired_lease_moves_the_session_and_fences_the_old_host(
    client: httpx.AsyncClient,
    host_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await create_account(sessionmaker)
    sid = (await create_session(client, account, auto_link=True))["id"]
    async with running_host(host_settings) as first:
        await eventually(lambda: _statuses(sessionmaker), lambda c: c["WORKING"] == 1)
        assert sid in first.runners
        # The first host's lease runs out, as if it had stalled past it; it cannot take
        # the session back (a stalled host does not claim either).
        first.capacity = 0
        async with sessionmaker() as db:
            await db.execute(
                update(SessionLease)
                .where(SessionLease.session_id == sid)
                .values(expires_at=func.now() - func.make_interval(0, 0, 0, 0, 0, 0, 1))
            )
            await db.commit()
        async with running_host(host_settings) as second:

            async def holder() -> str | None:
                async with sessionmaker() as db:
                    return await db.scalar(
                        select(SessionLease.host_id).where(SessionLease.session_id == sid)
                    )

            await eventually(holder, lambda h: h == second.id)
            await eventually(lambda: _statuses(sessionmaker), lambda c: c["WORKING"] == 1)
            # The old host notices on its next pass and stops its copy...
            await eventually(lambda: _runners(first), lambda r: sid not in r)
            # The new holder starts its copy in the pass that claimed the lease, a moment
            # after the lease row changed hands.
            await eventually(lambda: _runners(second), lambda r: sid in r)
            # ...and anything it tries to write meanwhile is refused.
            with pytest.raises(LeaseLost):
                await first.report(sid).status(SessionStatus.FAILED, "stale host")
            assert (await _statuses(sessionmaker))["WORKING"] == 1


async def _runners(host: EngineHost) -> set[str]:
    return set(host.runners)


async def test_clean_shutdown_hands_sessions_over_at_once(
    client: httpx.AsyncClient,
    host_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await create_account(sessionmaker)
    sid = (await create_session(client, account, auto_link=True))["id"]
    async with running_host(host_settings) as first:
        await eventually(lambda: _statuses(sessionmaker), lambda c: c["WORKING"] == 1)
        assert sid in first.runners
    async with sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(SessionLease)) == 0
    # Leases were released, so a new host takes over well before one would expire.
    async with running_host(host_settings.model_copy(update={"host_lease_seconds": 60})) as second:
        await eventually(lambda: _runners(second), lambda r: sid in r, within=2)
