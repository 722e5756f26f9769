"""The rules of the web engine's health watchdog: when a WORKING session is worth a probe.

A WhatsApp Web connection can die without a word: the session still looks WORKING, but
nothing arrives any more. The watchdog notices by what it no longer hears. A session is
probed (``Op.probe``, which the client answers only while its connection is alive) when

- its client reports keep-alives failing (a ``keepalive`` event with ``ok`` false) since
  the last probe that succeeded; or
- it has outstanding work (a send answered, and no receipt of any message since, for
  ``ack_seconds``) while nothing at all has come from its client (no event of any kind,
  no successful probe) for ``idle_seconds``.

A quiet session with nothing outstanding is never probed: quiet is what most sessions are,
most of the time. A probe that succeeds counts as a sign of life, so the same silence is
not probed again before another ``idle_seconds``. A probe that fails has the engine
restart the session's child (``engine``).

Everything here is pure: times are plain floats on a monotonic clock, handed in. The
engine keeps one ``Health`` per child, updated as its events arrive (no timer per
message), and asks ``verdict`` from one loop per engine, every ``check_interval_seconds``.

Config (``session.config["web"]["watchdog"]``): ``WatchdogConfig``'s fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, PositiveFloat


class WatchdogConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    idle_seconds: PositiveFloat = Field(
        default=120.0,
        description="Silence from WhatsApp, while a send waits for its receipt, worth a probe.",
    )
    ack_seconds: PositiveFloat = Field(
        default=60.0,
        description="How long a send may go without any receipt before it is outstanding.",
    )
    probe_timeout_seconds: PositiveFloat = Field(
        default=10.0, description="How long a probe may take before the connection is dead."
    )
    check_interval_seconds: PositiveFloat = Field(
        default=15.0, description="How often the rules are checked."
    )


class Verdict(StrEnum):
    ok = "ok"
    probe_keepalive = "probe_keepalive"  # the client reports its keep-alives failing
    probe_idle = "probe_idle"  # silent while a send waits for its receipt

    @property
    def probe(self) -> bool:
        return self is not Verdict.ok


@dataclass
class Health:
    """What the watchdog knows of one child's connection (monotonic seconds)."""

    last_event_at: float
    working: bool = False
    # When the oldest send answered since the last receipt was made.
    unacked_since: float | None = None
    last_receipt_at: float | None = None
    # The latest keep-alive failure, while keep-alives are failing.
    keepalive_failed_at: float | None = None
    probe_ok_at: float | None = None

    def heard(self, now: float) -> None:
        """Something came from the client: its connection is alive."""
        self.last_event_at = now

    def receipt(self, now: float) -> None:
        self.heard(now)
        self.last_receipt_at = now
        self.unacked_since = None

    def sent(self, started_at: float) -> None:
        """A send started at ``started_at`` was answered. A receipt reported since it
        started (reports and answers race) leaves nothing outstanding."""
        if self.last_receipt_at is not None and self.last_receipt_at >= started_at:
            return
        if self.unacked_since is None or started_at < self.unacked_since:
            self.unacked_since = started_at

    def keepalive(self, ok: bool, now: float) -> None:
        # A failure is no sign of life: it is the client saying it cannot reach WhatsApp.
        if ok:
            self.heard(now)
            self.keepalive_failed_at = None
        else:
            self.keepalive_failed_at = now

    def probed_ok(self, now: float) -> None:
        self.probe_ok_at = now


def verdict(health: Health, config: WatchdogConfig, now: float) -> Verdict:
    """Whether ``health`` is worth a probe at ``now``, and why."""
    if not config.enabled or not health.working:
        return Verdict.ok
    probe_ok_at = health.probe_ok_at
    if health.keepalive_failed_at is not None and (
        probe_ok_at is None or health.keepalive_failed_at > probe_ok_at
    ):
        return Verdict.probe_keepalive
    if health.unacked_since is None or now - health.unacked_since < config.ack_seconds:
        return Verdict.ok
    last_sign_of_life = max(health.last_event_at, probe_ok_at or health.last_event_at)
    if now - last_sign_of_life >= config.idle_seconds:
        return Verdict.probe_idle
    return Verdict.ok
