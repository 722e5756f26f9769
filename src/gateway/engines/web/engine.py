"""The ``web`` engine: a WhatsApp account linked as a WhatsApp Web device.

Each running session has a child process of its own (``child``), which drives the
WhatsApp client: a Go panic in neonize then takes down one session, not the host. ``run()``
spawns the child, has it ``start`` and reports its events until the child exits, which
is a crash (``ChildExited``: the host restarts the engine with backoff and FAILs the
session after repeated crashes). Cancelling ``run()`` (a stop, or fencing when the host
loses the lease) closes the child before it returns, so two hosts never drive one
WhatsApp session at once.

A health watchdog (``watchdog``: the rules) guards against a connection that died without
a word, the session still WORKING but nothing arriving: one loop per engine checks every
``check_interval_seconds`` and probes a session gone silent with a send still waiting for
its receipt, or whose keep-alives fail. A probe unanswered has ``run()`` report
``STARTING`` (``watchdog_reconnect``) and replace the child with a new one, which resumes
the stored link (WORKING again when it reports ``linked``); one answered changes nothing.

Device state lives in PostgreSQL (``devices``): when the child reports ``linked``, the
device's JID is recorded, and every later child (after a crash, a restart, or on another
worker after a takeover) is started with it and resumes the link without a QR code.
Logging out, or being logged out from the phone, deletes it.

A session not linked within ``qr_timeout_seconds`` (180: whatsmeow shows QR codes for
160 s) FAILs with ``qr_timeout``, as the sandbox's does, rather than showing codes nobody
scans forever; starting it again shows new ones.

Config (``session.config["web"]``): ``client`` names the WhatsApp client (else the
environment's ``GATEWAY_WEB_CLIENT``, else ``neonize``: see ``clients``); ``watchdog``
tunes the watchdog (``watchdog.WatchdogConfig``: ``enabled``, ``idle_seconds`` 120,
``ack_seconds`` 60, ``probe_timeout_seconds`` 10, ``check_interval_seconds`` 15);
``qr_timeout_seconds``; every other key is handed to the client as its options (the fake
library's are in ``fake_neonize``). A session whose client this build does not have FAILs
with ``web_client_unavailable``; one whose config is wrong, with ``web_config_invalid``.

The rest of what a session does is the engine's other parts: ``messaging`` (sends,
edits, revokes, reads, typing) and ``directory`` (contacts, chats, groups); what it
receives is reported by ``inbound_report``.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, ClassVar

import structlog
from pydantic import ValidationError

from gateway.engines.base import (
    Capability,
    Engine,
    EngineEvents,
    EngineFailure,
    EngineResources,
    EngineSession,
    Me,
    MessageAck,
    SessionStatus,
)
from gateway.engines.web import devices
from gateway.engines.web.clients import client_name, is_known
from gateway.engines.web.directory import DIRECTORY_CAPABILITIES, WebDirectory
from gateway.engines.web.inbound_report import report_inbound
from gateway.engines.web.messaging import MESSAGING_CAPABILITIES, WebMessaging
from gateway.engines.web.process import ChildCallFailed, ChildGone, ChildProcess
from gateway.engines.web.protocol import (
    Event,
    EventType,
    LinkedData,
    LoggedOutData,
    Op,
    PairCodeData,
    QrData,
    ReceiptData,
    StatusData,
)
from gateway.engines.web.watchdog import Health, WatchdogConfig
from gateway.engines.web.watchdog import verdict as watchdog_verdict

log = structlog.get_logger(__name__)

# Acks for messages whose send is still being recorded: reported again this often, this
# many times, then dropped (the message stays at ``sent``).
ACK_RETRY_SECONDS = 1.0
ACK_ATTEMPTS = 5
QR_TIMEOUT_SECONDS = 180.0
# The engine's own config keys; the rest are the client's options.
ENGINE_CONFIG = ("client", "watchdog", "qr_timeout_seconds")


def _now() -> float:
    return time.monotonic()


class ChildExited(Exception):
    """The session's process exited by itself: a crash."""

    def __init__(self, returncode: int) -> None:
        super().__init__(f"the session's process exited with {returncode}")
        self.returncode = returncode


class WebEngine(WebMessaging, WebDirectory, Engine):
    name: ClassVar[str] = "web"
    capabilities: ClassVar[frozenset[Capability]] = (
        frozenset({Capability.qr, Capability.pairing_code, Capability.logout, Capability.me})
        | MESSAGING_CAPABILITIES
        | DIRECTORY_CAPABILITIES
    )
    paced_by_default: ClassVar[bool] = True

    def __init__(
        self, session: EngineSession, events: EngineEvents, resources: EngineResources
    ) -> None:
        super().__init__(session, events, resources)
        self._child: ChildProcess | None = None
        self._workdir: Path | None = None
        self._linked = asyncio.Event()
        self._logged_out = asyncio.Event()  # the child said the link is gone
        self._retries: set[asyncio.Task[None]] = set()
        self._health = Health(last_event_at=_now())

    @property
    def client(self) -> str:
        return client_name(self.session.config)

    def _client_options(self) -> dict[str, Any]:
        web = self.session.config.get("web") or {}
        return {key: value for key, value in dict(web).items() if key not in ENGINE_CONFIG}

    def _qr_timeout(self) -> float:
        web = self.session.config.get("web") or {}
        value = dict(web).get("qr_timeout_seconds", QR_TIMEOUT_SECONDS)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError("qr_timeout_seconds must be a number of seconds over 0")
        return float(value)

    async def _spawn(self) -> ChildProcess:
        settings = self.resources.settings
        return await ChildProcess.spawn(
            self.session.id, self.client, log_level=settings.log_level,
            log_format=settings.log_format,
        )  # fmt: skip

    # -- running ------------------------------------------------------------------------

    async def run(self) -> None:
        if not is_known(self.client):
            await self.events.status(SessionStatus.FAILED, f"web_client_unavailable: {self.client}")
            return
        try:
            watchdog_config = self._watchdog_config()
            qr_timeout = self._qr_timeout()
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"])
            await self.events.status(
                SessionStatus.FAILED, f"web_config_invalid: watchdog.{where}: {error['msg']}"
            )
            return
        except ValueError as exc:
            await self.events.status(SessionStatus.FAILED, f"web_config_invalid: {exc}")
            return
        workdir = Path(tempfile.mkdtemp(prefix=f"gateway-web-{self.session.id}-"))
        self._workdir = workdir
        deadline = asyncio.create_task(self._link_deadline(qr_timeout))
        try:
            replaced = True
            while replaced:
                # The device is kept: a new child resumes the link, no QR code to scan.
                replaced = await self._run_child(watchdog_config, deadline)
        finally:
            deadline.cancel()
            await asyncio.gather(deadline, return_exceptions=True)
            self._workdir = None
            shutil.rmtree(workdir, ignore_errors=True)

    async def _link_deadline(self, seconds: float) -> None:
        """Returns when the session has not been linked for ``seconds`` (QR codes or a
        pairing code shown, nobody linking); never while it is linked."""
        while True:
            if self._linked.is_set():
                await asyncio.sleep(1.0)
                continue
            try:
                await asyncio.wait_for(self._linked.wait(), seconds)
            except TimeoutError:
                return

    async def _start_options(self) -> dict[str, Any]:
        return {
            **self._client_options(),
            "device_store": devices.store_url(self.resources),
            "jid": await devices.stored_jid(self.resources, self.session.id),
            "workdir": str(self._workdir),
        }

    async def _run_child(
        self, watchdog_config: WatchdogConfig, deadline: asyncio.Task[None]
    ) -> bool:
        """One child, until it cannot go on (False) or the watchdog wants it replaced
        (True). A crash is ``ChildExited``."""
        child = await self._spawn()
        self._child = child
        self._health = Health(last_event_at=_now())
        self._linked.clear()
        reporting: asyncio.Task[None] | None = None
        watching: asyncio.Task[bool] | None = None
        try:
            await child.call(Op.start, options=await self._start_options())
            reporting = asyncio.create_task(self._report_events(child))
            watching = asyncio.create_task(self._watch(child, watchdog_config))
            await asyncio.wait({reporting, watching, deadline}, return_when=asyncio.FIRST_COMPLETED)
            if deadline.done() and not reporting.done():
                reporting.cancel()
                await asyncio.gather(reporting, return_exceptions=True)
                await self.events.status(SessionStatus.FAILED, "qr_timeout")
                return False
            if not reporting.done() and not watching.result():
                await reporting  # the watchdog stopped watching a child gone
            if reporting.done():
                reporting.result()  # the child's end says what comes next
                return False
            # Said before the child is closed, which may take its grace periods.
            reporting.cancel()
            await asyncio.gather(reporting, return_exceptions=True)
            await self.events.status(SessionStatus.STARTING, "watchdog_reconnect")
            return True
        finally:
            self._child = None
            for task in (reporting, watching, *self._retries):
                if task is not None:
                    task.cancel()
            await asyncio.gather(
                *(task for task in (reporting, watching, *self._retries) if task is not None),
                return_exceptions=True,
            )
            await child.close()

    async def _report_events(self, child: ChildProcess) -> None:
        """Until the session cannot go on (returns) or the child exits (``ChildExited``)."""
        async for event in child.events():
            self._note(event)
            if not await self._report(event):
                return  # logged out, or failed for good: nothing more to run
        raise ChildExited(await child.wait())

    # -- the watchdog ---------------------------------------------------------------------

    def _watchdog_config(self) -> WatchdogConfig:
        web = self.session.config.get("web") or {}
        return WatchdogConfig.model_validate(dict(web).get("watchdog") or {})

    def _note(self, event: Event) -> None:
        """What the event says of the connection's health."""
        health, now = self._health, _now()
        match event.type:
            case EventType.receipt:
                health.receipt(now)
            case EventType.keepalive:
                health.keepalive(bool(event.data.get("ok")), now)
            case EventType.linked:
                health.heard(now)
                health.working = True
            case EventType.qr | EventType.status | EventType.logged_out:
                health.heard(now)
                health.working = False
            case _:
                health.heard(now)

    async def _watch(self, child: ChildProcess, config: WatchdogConfig) -> bool:
        """Checks the rules every interval; True when a probe failed and the child must
        be replaced, False when the child is gone anyway."""
        while child.alive:
            await asyncio.sleep(config.check_interval_seconds)
            health = self._health
            verdict = watchdog_verdict(health, config, _now())
            if not verdict.probe:
                continue
            try:
                await child.call(Op.probe, timeout=config.probe_timeout_seconds)
            except ChildGone:
                return False
            except ChildCallFailed as exc:
                log.warning("web.watchdog.probe_failed", session_id=self.session.id,
                            pid=child.pid, why=verdict.value, code=exc.code)  # fmt: skip
                return True
            health.probed_ok(_now())
            log.info("web.watchdog.probe_ok", session_id=self.session.id, pid=child.pid,
                     why=verdict.value)  # fmt: skip
        return False

    async def _report(self, event: Event) -> bool:
        """Report what the child says happened; False when the session cannot go on."""
        try:
            data = event.parsed()
        except ValueError as exc:
            detail = exc.errors()[:3] if isinstance(exc, ValidationError) else str(exc)
            log.warning("web.event_invalid", session_id=self.session.id, type=event.type,
                        error=detail)  # fmt: skip
            return True
        match data:
            case QrData():
                await self.events.qr(data.code, data.expires_at)
            case LinkedData():
                me = data.me
                if me.jid:
                    await devices.remember(self.resources, self.session, me.jid, self.client)
                self._linked.set()
                await self.events.linked(
                    Me(id=me.id, phone_number=me.phone_number, push_name=me.push_name)
                )
            case StatusData(status="failed"):
                await self.events.status(SessionStatus.FAILED, data.reason)
                return False
            case StatusData():
                await self.events.status(SessionStatus.STARTING, data.reason or data.status)
            case ReceiptData():
                acks = [MessageAck(id_, data.status, data.at) for id_ in data.message_ids]
                await self._report_acks(acks, attempt=1)
            case LoggedOutData():
                self._linked.clear()
                self._logged_out.set()
                await devices.forget(self.resources, self.session.id)
                await self.events.status(SessionStatus.FAILED, "logged_out")
                return False
            case PairCodeData():
                pass  # request_pairing_code answers it
            case _:
                if not await report_inbound(self, self.events, data):
                    log.warning("web.event_unhandled", session_id=self.session.id, type=event.type)
        return True

    async def _report_acks(self, acks: list[MessageAck], *, attempt: int) -> None:
        unknown = await self.events.message_acks(acks)
        if unknown and attempt < ACK_ATTEMPTS:
            task = asyncio.create_task(self._report_acks_later(unknown, attempt + 1))
            self._retries.add(task)
            task.add_done_callback(self._retries.discard)

    async def _report_acks_later(self, acks: list[MessageAck], attempt: int) -> None:
        await asyncio.sleep(ACK_RETRY_SECONDS)
        try:
            await self._report_acks(acks, attempt=attempt)
        except Exception:
            log.exception("web.acks_failed", session_id=self.session.id, acks=len(acks))

    # -- operations -----------------------------------------------------------------------

    def _sent(self, child: object) -> None:
        if child is self._child:
            self._health.sent(_now())

    async def request_pairing_code(self, phone_number: str) -> str:
        child = self._child
        if child is None or not child.alive:
            raise EngineFailure("The session is not running.")
        try:
            result = await child.call(Op.pair_phone, phone_number=phone_number)
        except ChildCallFailed as exc:
            raise EngineFailure(exc.message, code=exc.code) from None
        return str(result["code"])

    async def logout(self) -> None:
        """Unlink through the running child (the phone's list of devices loses this one),
        then delete the device state; with no child running, only the latter (starting a
        connection to say goodbye could hang on a network that is down)."""
        child = self._child
        try:
            if child is not None and child.alive:
                await self._logout(child)
        finally:
            await devices.forget(self.resources, self.session.id)

    async def _logout(self, child: ChildProcess) -> None:
        try:
            await child.call(Op.logout)
        except ChildGone:
            # The child reports the link gone, and this engine then ends it, which can
            # come before the child's answer: logged out all the same.
            if not self._logged_out.is_set():
                raise EngineFailure(
                    "The session's process exited.", code="engine_unavailable"
                ) from None
        except ChildCallFailed as exc:
            raise EngineFailure(exc.message, code=exc.code) from None
