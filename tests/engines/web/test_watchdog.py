"""The health watchdog: its rules, then ``WebEngine`` over a real child running the fake."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from pydantic import ValidationError

from gateway.engines.base import EngineResources, Me, SessionStatus
from gateway.engines.web.engine import WebEngine
from gateway.engines.web.process import ChildProcess
from gateway.engines.web.watchdog import Health, Verdict, WatchdogConfig, verdict
from tests.engines.web.test_child import assert_gone
from tests.engines.web.test_engine import Recorder, linked, running, text, web_engine
from tests.engines.web.test_engine import resources as resources  # the fixture
from tests.waiting import eventually

CONFIG = WatchdogConfig(idle_seconds=120, ack_seconds=60)


def working(at: float = 0.0) -> Health:
    return Health(last_event_at=at, working=True)


# -- the rules ------------------------------------------------------------------------


def test_a_quiet_session_with_nothing_outstanding_is_ok() -> None:
    assert verdict(working(), CONFIG, now=10_000) is Verdict.ok


def test_silence_with_a_send_waiting_for_its_receipt_is_probed() -> None:
    health = working()
    health.sent(started_at=10)
    assert verdict(health, CONFIG, now=69) is Verdict.ok  # not outstanding yet
    assert verdict(health, CONFIG, now=121) is Verdict.probe_idle
    assert verdict(health, CONFIG, now=121).probe


def test_any_event_is_a_sign_of_life() -> None:
    health = working()
    health.sent(started_at=10)
    health.heard(100)
    assert verdict(health, CONFIG, now=200) is Verdict.ok
    assert verdict(health, CONFIG, now=220) is Verdict.probe_idle


def test_a_receipt_settles_what_was_sent() -> None:
    health = working()
    health.sent(started_at=10)
    health.receipt(20)
    assert health.unacked_since is None
    assert verdict(health, CONFIG, now=10_000) is Verdict.ok
    health.sent(started_at=15)  # answered after a receipt reported since it started
    assert health.unacked_since is None
    health.sent(started_at=30)
    health.sent(started_at=40)
    assert health.unacked_since == 30  # the oldest one counts


def test_a_successful_probe_holds_off_the_next_one() -> None:
    health = working()
    health.sent(started_at=10)
    health.probed_ok(121)
    assert verdict(health, CONFIG, now=200) is Verdict.ok
    assert verdict(health, CONFIG, now=241) is Verdict.probe_idle


def test_failing_keepalives_are_probed_once_per_failure() -> None:
    health = working()
    health.keepalive(False, now=5)
    assert verdict(health, CONFIG, now=6) is Verdict.probe_keepalive
    health.probed_ok(7)
    assert verdict(health, CONFIG, now=8) is Verdict.ok
    health.keepalive(False, now=30)  # failing again since
    assert verdict(health, CONFIG, now=31) is Verdict.probe_keepalive
    health.keepalive(True, now=40)
    assert (health.keepalive_failed_at, health.last_event_at) == (None, 40)
    assert verdict(health, CONFIG, now=41) is Verdict.ok


def test_a_keepalive_failure_is_no_sign_of_life() -> None:
    health = working()
    health.keepalive(False, now=50)
    assert health.last_event_at == 0


def test_only_a_working_session_is_watched() -> None:
    health = Health(last_event_at=0)
    health.sent(started_at=0)
    health.keepalive(False, now=1)
    assert verdict(health, CONFIG, now=10_000) is Verdict.ok
    health.working = True
    assert verdict(health, CONFIG.model_copy(update={"enabled": False}), now=10_000) is Verdict.ok


def test_the_defaults_and_a_wrong_key() -> None:
    defaults = WatchdogConfig()
    assert (defaults.idle_seconds, defaults.ack_seconds) == (120, 60)
    assert (defaults.probe_timeout_seconds, defaults.check_interval_seconds) == (10, 15)
    with pytest.raises(ValidationError, match="idle_second"):
        WatchdogConfig.model_validate({"idle_second": 5})
    with pytest.raises(ValidationError, match="greater than 0"):
        WatchdogConfig.model_validate({"ack_seconds": 0})


# -- end to end -----------------------------------------------------------------------

FAST = {
    "idle_seconds": 0.3,
    "ack_seconds": 0.2,
    "probe_timeout_seconds": 0.3,
    "check_interval_seconds": 0.05,
}


class LinkRecorder(Recorder):
    def __init__(self) -> None:
        super().__init__()
        self.links = 0

    async def linked(self, me: Me) -> None:
        await super().linked(me)
        self.links += 1


def watched_engine(resources: EngineResources, **watchdog: Any) -> tuple[WebEngine, LinkRecorder]:
    template, _ = web_engine(resources, auto_link=True, watchdog={**FAST, **watchdog})
    events = LinkRecorder()
    return WebEngine(template.session, events, resources), events


def current_child(engine: WebEngine) -> ChildProcess:
    assert engine._child is not None
    return engine._child


async def probes(child: ChildProcess) -> int:
    return int((await child.call("fake_probes"))["count"])


async def test_a_deaf_client_with_a_send_outstanding_is_reconnected(
    resources: EngineResources,
) -> None:
    engine, events = watched_engine(resources)
    async with running(engine):
        await linked(events)
        deaf = current_child(engine)
        await deaf.call("fake_go_deaf")
        await engine.send(text("msg_1"))  # answered, but its receipts never arrive

        async def reconnected() -> list[tuple[SessionStatus, str | None]]:
            return list(events.statuses)

        await eventually(reconnected, lambda s: (SessionStatus.STARTING, "watchdog_reconnect") in s)
        await assert_gone(deaf.pid)

        async def relinked() -> tuple[int, int | None]:
            child = engine._child
            return events.links, child.pid if child is not None else None

        _, pid = await eventually(relinked, lambda state: state[0] == 2)
        assert pid is not None
        assert pid != deaf.pid
        assert events.statuses == [(SessionStatus.STARTING, "watchdog_reconnect")]
        assert await probes(current_child(engine)) == 0  # the new child is healthy


async def test_a_healthy_idle_client_is_never_probed(resources: EngineResources) -> None:
    engine, events = watched_engine(resources)
    async with running(engine):
        await linked(events)
        child = current_child(engine)
        await engine.send(text("msg_1"))  # its receipts arrive: nothing outstanding

        async def acked() -> list[tuple[str, str]]:
            return list(events.acks)

        await eventually(acked, lambda acks: len(acks) == 2)
        quiet_since = engine._health.last_event_at

        async def idle_for() -> float:
            return time.monotonic() - quiet_since

        # Silent well past idle_seconds and ack_seconds, checked many times over.
        await eventually(idle_for, lambda seconds: seconds > 3 * FAST["idle_seconds"])
        assert await probes(child) == 0
        assert engine._child is child
        assert events.statuses == []


async def test_failing_keepalives_have_the_client_probed(resources: EngineResources) -> None:
    engine, events = watched_engine(resources)
    async with running(engine):
        await linked(events)
        child = current_child(engine)
        await child.call("fake_keepalive", ok=False)

        async def probed() -> int:
            return await probes(child)

        await eventually(probed, lambda count: count == 1)
        await child.call("fake_keepalive", ok=False)
        await eventually(probed, lambda count: count == 2)
        assert engine._child is child  # answered: nothing changes
        assert events.statuses == []


async def test_a_wrong_watchdog_config_fails_the_session(resources: EngineResources) -> None:
    engine, events = watched_engine(resources, idle_seconds=-1)
    await asyncio.wait_for(engine.run(), 5.0)
    ((status, reason),) = events.statuses
    assert status is SessionStatus.FAILED
    assert reason is not None
    assert reason.startswith("web_config_invalid: watchdog.idle_seconds")
