"""The real neonize client in a real child, where WhatsApp cannot be reached (no DNS)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from gateway.engines.base import EngineResources, SessionStatus
from gateway.engines.web.devices import SCHEMA
from gateway.engines.web.neonize_client import EXIT_CONNECTION_ENDED
from gateway.engines.web.process import ChildProcess
from gateway.engines.web.protocol import Event, Op, StatusData
from tests.engines.web.test_child import assert_gone
from tests.engines.web.test_engine import resources as resources  # the fixture
from tests.engines.web.test_engine import web_engine


async def whatsmeow_tables(resources: EngineResources) -> set[str]:
    async with resources.sessionmaker() as db:
        rows = await db.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :schema"),
            {"schema": SCHEMA},
        )
        return {name for (name,) in rows}


async def test_a_connection_that_cannot_be_made_fails_the_session(
    resources: EngineResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, events = web_engine(resources, client="neonize")
    spawned: list[ChildProcess] = []
    spawn = engine._spawn

    async def recording_spawn() -> ChildProcess:
        spawned.append(await spawn())
        return spawned[-1]

    monkeypatch.setattr(engine, "_spawn", recording_spawn)
    await asyncio.wait_for(engine.run(), 15)  # FAILED ends the run: no crash, no retry

    status, reason = events.statuses[-1]
    assert status is SessionStatus.FAILED
    assert reason is not None
    assert reason.startswith("connect_failed: ")
    assert "web.whatsapp.com" in reason  # Go's own words, from the dial it tried
    # whatsmeow opened its device store: its own tables, in PostgreSQL, in its schema.
    assert {"whatsmeow_device", "whatsmeow_identity_keys"} <= await whatsmeow_tables(resources)
    (child,) = spawned
    assert child.returncode == EXIT_CONNECTION_ENDED
    await assert_gone(child.pid)


async def test_a_client_without_a_device_store_fails_at_once() -> None:
    child = await ChildProcess.spawn("ses_nz", "neonize", log_level="WARNING")
    try:
        await child.call(Op.start, options={})
        event = await asyncio.wait_for(anext(child.events()), 10)
    finally:
        await child.close()
    assert event.parsed() == StatusData(
        status="failed", reason="web_config_invalid: device_store is required"
    )


async def test_what_neonize_prints_stays_out_of_the_protocol(
    device_store: str, capfd: pytest.CaptureFixture[str]
) -> None:
    child = await ChildProcess.spawn("ses_nz", "neonize", log_level="DEBUG")
    try:
        await child.call(Op.start, options={"device_store": device_store})
        seen: list[Event] = [event async for event in child.events()]
        assert await asyncio.wait_for(child.wait(), 10) == EXIT_CONNECTION_ENDED
    finally:
        await child.close()
    await assert_gone(child.pid)

    (event,) = seen
    failed = event.parsed()
    assert isinstance(failed, StatusData)
    assert failed.status == "failed"
    assert child.bad_lines == 0
    # It did talk: its warnings went to stderr, with the logs.
    chatter = capfd.readouterr().err
    assert "ffmpeg and ffprobe not found" in chatter
