"""Exactly-once engine notifications: a host that dies between reporting a notification
and acknowledging it to its engine leaves one event, however often it is reported.

The crash is real: the sandbox engine reports the inbound rows it took (the events
commit), then marks them received in a second transaction. The test holds a row lock on
those rows, so that second transaction waits; the host is then stopped mid-wait, its
acknowledgement never made, and another host takes the session over and reports the same
rows again."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.engines.records import GroupLeft
from gateway.engines.sandbox.groups import group_change_payload
from gateway.models import Event, SandboxInbound, WebhookDelivery
from gateway.sandbox import repository as sandbox_repository
from tests.conftest import running_host
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.local_http import Reply, serving
from tests.waiting import eventually

GROUP_ID = "120363000000000001@g.us"
ADA = "+12025550111"


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


async def notification_events(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> list[dict[str, Any]]:
    response = await client.get(
        "/v1/events", headers=account.headers, params={"session_id": session_id, "limit": 100}
    )
    assert response.status_code == 200, response.text
    return [
        e
        for e in response.json()["data"]
        if e["type"].startswith("group.") or e["type"] == "presence.update"
    ]


async def stored_notifications(db: AsyncSession, session_id: str) -> list[str]:
    rows = await db.scalars(
        select(Event.id).where(
            Event.session_id == session_id, Event.type.in_(["group.left", "presence.update"])
        )
    )
    return list(rows.all())


async def waiting_on_lock(db: AsyncSession) -> list[int]:
    """The backends waiting for a lock on ``sandbox_inbound`` (the acknowledgement)."""
    rows = await db.execute(
        text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND query ILIKE 'UPDATE sandbox_inbound%'"
        )
    )
    return [int(pid) for (pid,) in rows]


async def test_a_crash_between_reporting_and_acknowledging_yields_one_event(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    host_settings: Settings,
) -> None:
    # A WORKING session, linked while a first host runs it; then no host runs.
    async with running_host(host_settings):
        sid = str((await create_session(client, account, start=True))["id"])
        await session_in_status(client, account, sid, "SCAN_QR_CODE")
        linked = await client.post(
            f"/v1/sandbox/sessions/{sid}/link", headers=account.headers, json={}
        )
        assert linked.status_code == 200, linked.text
        await session_in_status(client, account, sid, "WORKING")

    with serving({"/hook": Reply(200, b"ok")}) as receiver:
        hook = await client.post(
            "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
        )
        assert hook.status_code == 201, hook.text

    # What the network holds for the session: a group change and a presence.
    presence = await client.post(
        f"/v1/sandbox/sessions/{sid}/presence",
        headers=account.headers,
        json={"from": ADA, "presence": "composing"},
    )
    assert presence.status_code in (200, 201, 202), presence.text
    async with sessionmaker() as db:
        change = GroupLeft(reason="removed", group_id=GROUP_ID, subject="Crew", by=None)
        await sandbox_repository.add_inbound(db, sid, group_change_payload(change))
        await db.commit()

    # The test's transaction locks the rows: the acknowledgement of whoever reports them
    # waits on it.
    async with sessionmaker() as lock:
        locked = (
            await lock.scalars(
                select(SandboxInbound.id).where(SandboxInbound.session_id == sid).with_for_update()
            )
        ).all()
        assert len(locked) == 2

        async with sessionmaker() as db:
            crashing = running_host(host_settings)
            await crashing.__aenter__()
            stopped = False
            try:
                # It reports both (their events commit), then waits to acknowledge them.
                # (Read from the table: /v1/events lists only what committed before the
                # oldest transaction still open, and the lock's is.)
                reported = await eventually(
                    lambda: stored_notifications(db, sid), lambda ids: len(ids) == 2, within=15
                )
                await eventually(lambda: waiting_on_lock(db), bool, within=10)
                # The host dies while its acknowledgement waits.
                await crashing.__aexit__(None, None, None)
                stopped = True
            finally:
                if not stopped:
                    await crashing.__aexit__(None, None, None)
            assert await waiting_on_lock(db) == []
        await lock.rollback()

    async with sessionmaker() as db:
        unacknowledged = await db.scalars(
            select(SandboxInbound.id).where(
                SandboxInbound.session_id == sid, SandboxInbound.received_at.is_(None)
            )
        )
        assert len(unacknowledged.all()) == 2  # the crash came before the acknowledgement

    # Another host takes the session over and reports the same rows again.
    async with running_host(host_settings):

        async def acknowledged() -> int:
            async with sessionmaker() as db:
                rows = await db.scalars(
                    select(SandboxInbound.id).where(
                        SandboxInbound.session_id == sid, SandboxInbound.received_at.isnot(None)
                    )
                )
                return len(rows.all())

        await eventually(acknowledged, lambda n: n == 2, within=20)
        # Reports after the acknowledgement are none; give a late duplicate a moment.
        await asyncio.sleep(0.3)

    events = await notification_events(client, account, sid)
    assert sorted(e["type"] for e in events) == ["group.left", "presence.update"]
    assert {e["id"] for e in events} == set(reported)
    async with sessionmaker() as db:
        deliveries = (
            await db.scalars(
                select(WebhookDelivery.event_id).where(
                    WebhookDelivery.event_id.in_([e["id"] for e in events])
                )
            )
        ).all()
    assert sorted(deliveries) == sorted(e["id"] for e in events)  # one delivery each


async def test_a_notification_reported_twice_is_published_once(
    sessionmaker: async_sessionmaker[AsyncSession], account: TestAccount
) -> None:
    """The key is per session: the same key of another session is another notification,
    and a notification without a key is published each time."""
    from gateway.events.service import publish_once
    from gateway.events.types import EventType
    from gateway.models import Event, Session

    async with sessionmaker() as db:
        sessions = [
            Session(
                id=f"ses_keys{i}",
                account_id=account.id,
                name=f"s{i}",
                engine="sandbox",
                desired_state="stopped",
            )
            for i in range(2)
        ]
        db.add_all(sessions)
        await db.flush()
        data = {"chat_id": "1@c.us", "participant_id": "1@c.us", "presence": "available"}
        results = [
            await publish_once(db, s, EventType.presence_update, data, dedupe_key=key)
            for s, key in [
                (sessions[0], "sandbox:a"),
                (sessions[0], "sandbox:a"),
                (sessions[1], "sandbox:a"),
                (sessions[0], None),
                (sessions[0], None),
            ]
        ]
        await db.commit()
        assert [r is not None for r in results] == [True, False, True, True, True]
        count = await db.scalar(
            select(text("count(*)")).select_from(Event).where(Event.account_id == account.id)
        )
        assert count == 4
