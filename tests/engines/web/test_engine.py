"""``WebEngine`` over a real child running the fake client, reporting to a recorder."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

import pytest
from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.engines.base import (
    EngineResources,
    EngineSession,
    InboundEdit,
    InboundMessage,
    InboundRevoke,
    Me,
    MessageAck,
    OutboundMessage,
    SendFailed,
    SessionStatus,
)
from gateway.engines.records import GroupChange, IncomingCall, PresenceUpdate
from gateway.engines.web.engine import ChildExited, WebEngine
from tests.engines.web.conftest import store_web_session
from tests.engines.web.test_child import assert_gone
from tests.waiting import eventually


class Recorder:
    """EngineEvents that remembers what it was told."""

    def __init__(self) -> None:
        self.statuses: list[tuple[SessionStatus, str | None]] = []
        self.qrs: list[str] = []
        self.me: Me | None = None
        self.received: list[InboundMessage] = []
        self.acks: list[tuple[str, str]] = []
        self.media: dict[str, bytes | None] = {}
        self.edits: list[InboundEdit] = []
        self.revokes: list[InboundRevoke] = []
        self.calls: list[IncomingCall] = []
        self.group_changes: list[GroupChange] = []
        self.presences: list[PresenceUpdate] = []
        self.keys: list[str | None] = []

    async def status(self, status: SessionStatus, reason: str | None = None) -> None:
        self.statuses.append((status, reason))

    async def qr(self, value: str, expires_at: datetime) -> None:
        assert expires_at.tzinfo is not None
        self.qrs.append(value)

    async def linked(self, me: Me) -> None:
        self.me = me

    async def message_received(
        self, message: InboundMessage, *, media_content: bytes | None = None
    ) -> None:
        self.received.append(message)
        self.media[message.engine_message_id] = media_content

    async def message_edited(self, edit: InboundEdit) -> None:
        self.edits.append(edit)

    async def message_revoked(self, revoke: InboundRevoke) -> None:
        self.revokes.append(revoke)

    async def call_received(self, call: IncomingCall, *, key: str | None = None) -> None:
        self.calls.append(call)
        self.keys.append(key)

    async def message_ack(self, engine_message_id: str, status: str) -> None:
        self.acks.append((engine_message_id, status))

    async def message_acks(self, acks: Sequence[MessageAck]) -> list[MessageAck]:
        self.acks.extend((a.engine_message_id, a.status) for a in acks)
        return []

    async def group_changed(self, change: GroupChange, *, key: str | None = None) -> None:
        self.group_changes.append(change)
        self.keys.append(key)

    async def presence(self, update: PresenceUpdate, *, key: str | None = None) -> None:
        self.presences.append(update)
        self.keys.append(key)


# The stored session a test's engines run as unless told (set by ``resources``): its
# device is recorded against it.
_current: list[tuple[str, str]] = []


@pytest.fixture
async def resources(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], arq_redis: ArqRedis
) -> AsyncIterator[EngineResources]:
    _current[:] = [await store_web_session(sessionmaker)]
    yield EngineResources(
        settings=settings.model_copy(update={"log_level": "WARNING"}),
        sessionmaker=sessionmaker,
        redis=arq_redis,
    )
    _current.clear()


def web_engine(
    resources: EngineResources, *, session: tuple[str, str] | None = None, **web: Any
) -> tuple[WebEngine, Recorder]:
    """An engine for ``session`` (ids of a stored one; the test's own by default)."""
    events = Recorder()
    session_id, account_id = session or _current[0]
    engine_session = EngineSession(
        id=session_id, account_id=account_id, name="web", engine="web",
        config={"web": {"client": "fake", "receipt_delay_seconds": 0.01, **web}},
    )  # fmt: skip
    return WebEngine(engine_session, events, resources), events


@contextlib.asynccontextmanager
async def running(engine: WebEngine) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(engine.run())
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, ChildExited):
            await task


def text(message_id: str, body: str = "hello") -> OutboundMessage:
    return OutboundMessage(
        id=message_id, chat_id="12025550199@c.us", type="text", content={"text": body}
    )


async def linked(events: Recorder) -> Me:
    async def probe() -> Me | None:
        return events.me

    me = await eventually(probe, lambda me: me is not None)
    assert me is not None
    return me


async def test_the_qr_code_then_the_link_are_reported(resources: EngineResources) -> None:
    engine, events = web_engine(resources, qr_refresh_seconds=0.1)
    async with running(engine):

        async def qrs() -> list[str]:
            return list(events.qrs)

        shown = await eventually(qrs, lambda qrs: len(qrs) >= 2)
        assert len(set(shown)) == len(shown)
        assert engine._child is not None
        await engine._child.call("fake_link", phone_number="+15550002222")
        me = await linked(events)
        assert (me.id, me.phone_number) == ("15550002222@c.us", "+15550002222")


async def test_a_send_answers_whatsapps_id_and_its_acks_follow(
    resources: EngineResources,
) -> None:
    engine, events = web_engine(resources, auto_link=True)
    async with running(engine):
        await linked(events)
        first = await engine.send(text("msg_1"))
        assert first.startswith("3EB0")

        async def acks() -> list[tuple[str, str]]:
            return list(events.acks)

        await eventually(acks, lambda acks: {(first, "delivered"), (first, "read")} <= set(acks))
        assert engine._child is not None
        await engine._child.call("fake_receive", chat_id="12025550199@c.us", text="hi back")

        async def received() -> list[InboundMessage]:
            return list(events.received)

        (inbound,) = await eventually(received, bool)
        assert (inbound.type, inbound.text) == ("text", "hi back")
        assert inbound.from_id == "12025550199@c.us"


async def test_a_send_before_the_link_is_transient(resources: EngineResources) -> None:
    engine, _ = web_engine(resources)
    with pytest.raises(SendFailed) as not_running:
        await engine.send(text("msg_1"))
    assert not_running.value.transient
    async with running(engine):

        async def started() -> bool:
            return engine._child is not None

        await eventually(started, bool)
        with pytest.raises(SendFailed) as not_linked:
            await engine.send(text("msg_1"))
        assert (not_linked.value.code, not_linked.value.transient) == ("session_not_ready", True)


async def test_a_crash_mid_send_is_a_crash_and_a_transient_failure(
    resources: EngineResources,
) -> None:
    engine, events = web_engine(resources, auto_link=True)
    task = asyncio.create_task(engine.run())
    await linked(events)
    child = engine._child
    assert child is not None
    await child.call("fake_crash_on_send")
    with pytest.raises(SendFailed) as failed:
        await engine.send(text("msg_1"))
    assert (failed.value.code, failed.value.transient) == ("engine_unavailable", True)
    with pytest.raises(ChildExited) as crashed:
        await asyncio.wait_for(task, 5.0)
    assert crashed.value.returncode == 2
    await assert_gone(child.pid)


async def test_cancelling_run_ends_the_child(resources: EngineResources) -> None:
    engine, events = web_engine(resources, auto_link=True)
    async with running(engine) as task:
        await linked(events)
        child = engine._child
        assert child is not None
    assert task.cancelled()
    await assert_gone(child.pid)
    assert engine._child is None


async def test_a_logout_on_the_phone_fails_the_session(resources: EngineResources) -> None:
    engine, events = web_engine(resources, auto_link=True)
    async with running(engine) as task:
        await linked(events)
        assert engine._child is not None
        child = engine._child
        await child.call("fake_logged_out")
        await asyncio.wait_for(task, 5.0)  # returns: nothing to restart
    assert events.statuses[-1] == (SessionStatus.FAILED, "logged_out")
    await assert_gone(child.pid)


async def test_pairing_code_and_logout(resources: EngineResources) -> None:
    engine, events = web_engine(resources)
    async with running(engine):

        async def started() -> bool:
            return engine._child is not None and bool(events.qrs)

        await eventually(started, bool)
        code = await engine.request_pairing_code("+15550003333")
        assert len(code) == 9
        assert code == await engine.request_pairing_code("+15550003333")
        await engine._child.call("fake_link")  # type: ignore[union-attr]
        await linked(events)
        await engine.logout()
        await eventually(lambda: _last(events), lambda s: s == (SessionStatus.FAILED, "logged_out"))
    await engine.logout()  # with no child running: the device state is deleted


async def _last(events: Recorder) -> tuple[SessionStatus, str | None] | None:
    return events.statuses[-1] if events.statuses else None


async def test_an_unknown_client_fails_the_session(resources: EngineResources) -> None:
    engine, events = web_engine(resources, client="nonesuch")
    await asyncio.wait_for(engine.run(), 5.0)
    assert events.statuses == [(SessionStatus.FAILED, "web_client_unavailable: nonesuch")]
