"""A host runs no more web sessions than ``web_host_capacity``, within ``host_capacity``:
each web session is a process of its own, a sandbox one a few kilobytes (bench/README.md).
The limit is counted in the claiming statement; sessions of other engines are claimed as
before."""

from __future__ import annotations

from collections import Counter

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.engines import leases
from gateway.engines.host import EngineHost
from gateway.kit.ids import new_id
from gateway.models import Session
from tests.conftest import running_host
from tests.factories import create_account, create_session
from tests.waiting import eventually

TTL = 30.0
WEB = {"web": {"client": "fake", "auto_link": True}}


async def store_sessions(
    sessionmaker: async_sessionmaker[AsyncSession], account_id: str, engine: str, count: int
) -> list[str]:
    """``count`` sessions of ``engine`` that want to run, no host holding them, in the
    order their ids sort (the order hosts claim them in)."""
    ids = sorted(new_id("ses") for _ in range(count))
    async with sessionmaker() as db:
        db.add_all(
            Session(
                id=session_id, account_id=account_id, name=f"{engine}-{session_id}",
                engine=engine, config=WEB if engine == "web" else {}, desired_state="running",
            )
            for session_id in ids
        )  # fmt: skip
        await db.commit()
    return ids


async def claim(
    sessionmaker: async_sessionmaker[AsyncSession],
    host_id: str,
    limit: int,
    engine_limits: dict[str, int] | None = None,
) -> set[str]:
    async with sessionmaker() as db:
        claimed = await leases.claim(db, host_id, TTL, limit, engine_limits=engine_limits)
        await db.commit()
    return claimed


async def test_a_host_claims_web_sessions_up_to_its_limit_counting_those_it_holds(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await create_account(sessionmaker)
    web = await store_sessions(sessionmaker, account.id, "web", 3)
    sandbox = await store_sessions(sessionmaker, account.id, "sandbox", 3)

    first = await claim(sessionmaker, "host-a", 10, {"web": 2})
    assert first == set(web[:2]) | set(sandbox)
    # At its limit: the web session left is not for this host, however much room it has.
    assert await claim(sessionmaker, "host-a", 10, {"web": 2}) == set()
    assert await claim(sessionmaker, "host-b", 10, {"web": 2}) == {web[2]}


async def test_web_sessions_at_the_limit_leave_the_pass_to_other_engines(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await create_account(sessionmaker)
    # The web sessions come first in the claiming order, and there are more of them than
    # the pass's limit: the sandbox sessions are still claimed in the same pass.
    web = await store_sessions(sessionmaker, account.id, "web", 5)
    sandbox = await store_sessions(sessionmaker, account.id, "sandbox", 3)

    assert await claim(sessionmaker, "host-a", 3, {"web": 0}) == set(sandbox)
    assert await claim(sessionmaker, "host-b", 3, {"web": 1}) == {web[0]}
    # Within both limits, sessions are claimed oldest id first, as without limits.
    assert await claim(sessionmaker, "host-c", 2, {"web": 5}) == set(web[1:3])
    assert await claim(sessionmaker, "host-d", 10) == set(web[3:])


async def _engines_run(host: EngineHost) -> Counter[str]:
    return Counter(runner.engine.name for runner in host.runners.values())


async def _statuses(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    async with sessionmaker() as db:
        rows = await db.execute(select(Session.id, Session.status))
        return {session_id: status for session_id, status in rows}


async def test_a_host_runs_one_web_session_and_leaves_the_second_to_another_host(
    client: httpx.AsyncClient,
    host_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await create_account(sessionmaker)
    web = await store_sessions(sessionmaker, account.id, "web", 2)
    sandbox = [
        (await create_session(client, account, name=f"sandbox-{n}", auto_link=True))["id"]
        for n in range(3)
    ]
    async with running_host(host_settings, web_host_capacity=1) as small:
        working = await eventually(
            lambda: _statuses(sessionmaker),
            lambda s: sum(status == "WORKING" for status in s.values()) == 4,
            within=20,
        )
        assert all(working[sid] == "WORKING" for sid in sandbox)
        assert await _engines_run(small) == Counter({"web": 1, "sandbox": 3})
        waiting = next(sid for sid in web if working[sid] != "WORKING")
        assert waiting not in small.held
        async with running_host(host_settings) as other:
            await eventually(lambda: _statuses(sessionmaker), lambda s: s[waiting] == "WORKING")
            assert set(other.runners) == {waiting}
            assert await _engines_run(small) == Counter({"web": 1, "sandbox": 3})
