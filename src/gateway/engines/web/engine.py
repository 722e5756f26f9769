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

Config (``session.config["web"]``): ``client`` names the WhatsApp client (else the
environment's ``GATEWAY_WEB_CLIENT``, else ``neonize``: see ``clients``); ``watchdog``
tunes the watchdog (``watchdog.WatchdogConfig``: ``enabled``, ``idle_seconds`` 120,
``ack_seconds`` 60, ``probe_timeout_seconds`` 10, ``check_interval_seconds`` 15); every
other key is handed to the client as its options (the fake client's are in
``fake_client``). A session whose client this build does not have FAILs with
``web_client_unavailable``; one whose watchdog config is wrong, with ``web_config_invalid``.

Sends are idempotent: WhatsApp's id of a message is derived from ours
(``protocol.whatsapp_message_id``), so a send retried after a crash or a timeout is the
same message to WhatsApp (the fake client honours it; neonize cannot send under a given
id: see ``neonize_client``). Not registered in ``engines.registry`` until sessions resume
from their device state in PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
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
    EngineUnsupported,
    InboundMessage,
    Me,
    MessageAck,
    OutboundMessage,
    SendFailed,
    SessionStatus,
)
from gateway.engines.web.clients import client_name, is_known
from gateway.engines.web.process import ChildCallFailed, ChildGone, ChildProcess
from gateway.engines.web.protocol import (
    Event,
    EventType,
    LinkedData,
    LoggedOutData,
    MessageReceivedData,
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


def _now() -> float:
    return time.monotonic()


class ChildExited(Exception):
    """The session's process exited by itself: a crash."""

    def __init__(self, returncode: int) -> None:
        super().__init__(f"the session's process exited with {returncode}")
        self.returncode = returncode


class WebEngine(Engine):
    name: ClassVar[str] = "web"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.qr,
            Capability.pairing_code,
            Capability.logout,
            Capability.me,
            Capability.send_text,
        }
    )
    paced_by_default: ClassVar[bool] = True

    def __init__(
        self, session: EngineSession, events: EngineEvents, resources: EngineResources
    ) -> None:
        super().__init__(session, events, resources)
        self._child: ChildProcess | None = None
        self._retries: set[asyncio.Task[None]] = set()
        self._health = Health(last_event_at=_now())

    @property
    def client(self) -> str:
        return client_name(self.session.config)

    def _client_options(self) -> dict[str, Any]:
        web = self.session.config.get("web") or {}
        return {key: value for key, value in dict(web).items() if key not in ("client", "watchdog")}

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
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"])
            await self.events.status(
                SessionStatus.FAILED, f"web_config_invalid: watchdog.{where}: {error['msg']}"
            )
            return
        replaced = True
        while replaced:
            # The device is kept: a new child resumes the link, no QR code to scan.
            replaced = await self._run_child(watchdog_config)

    async def _run_child(self, watchdog_config: WatchdogConfig) -> bool:
        """One child, until it cannot go on (False) or the watchdog wants it replaced
        (True). A crash is ``ChildExited``."""
        child = await self._spawn()
        self._child = child
        self._health = Health(last_event_at=_now())
        reporting: asyncio.Task[None] | None = None
        watching: asyncio.Task[bool] | None = None
        try:
            await child.call(Op.start, options=self._client_options())
            reporting = asyncio.create_task(self._report_events(child))
            watching = asyncio.create_task(self._watch(child, watchdog_config))
            await asyncio.wait({reporting, watching}, return_when=asyncio.FIRST_COMPLETED)
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
                await self.events.linked(
                    Me(id=me.id, phone_number=me.phone_number, push_name=me.push_name)
                )
            case StatusData(status="failed"):
                await self.events.status(SessionStatus.FAILED, data.reason)
                return False
            case StatusData():
                await self.events.status(SessionStatus.STARTING, data.reason or data.status)
            case MessageReceivedData():
                await self.events.message_received(
                    InboundMessage(
                        engine_message_id=data.message_id,
                        chat_id=data.chat_id,
                        from_id=data.from_id,
                        from_name=data.from_name,
                        group_id=data.group_id,
                        type=data.message_type,
                        text=data.text,
                        timestamp=data.timestamp,
                    )
                )
            case ReceiptData():
                acks = [MessageAck(id_, data.status, data.at) for id_ in data.message_ids]
                await self._report_acks(acks, attempt=1)
            case LoggedOutData():
                await self.events.status(SessionStatus.FAILED, "logged_out")
                return False
            case PairCodeData():
                pass  # request_pairing_code answers it
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

    async def send(self, message: OutboundMessage) -> str:
        if message.type != "text":
            raise EngineUnsupported(self.name, f"send_{message.type}")
        child = self._child
        if child is None or not child.alive:
            raise SendFailed("session_not_ready", "The session is not running.", transient=True)
        started_at = _now()
        try:
            result = await child.call(
                Op.send, message_id=message.id, chat_id=message.chat_id,
                text=str(message.content["text"]), reply_to=message.reply_to_engine_id,
            )  # fmt: skip
        except ChildCallFailed as exc:
            raise SendFailed(exc.code, exc.message, transient=exc.transient) from None
        if child is self._child:
            self._health.sent(started_at)
        return str(result["message_id"])

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
        """Through the running child; when none runs, through one started for it."""
        child = self._child
        if child is not None and child.alive:
            await self._logout(child)
            return
        if not is_known(self.client):
            return  # nothing was ever linked through this build
        child = await self._spawn()
        try:
            await self._logout(child)
        finally:
            with contextlib.suppress(Exception):
                await child.close()

    async def _logout(self, child: ChildProcess) -> None:
        try:
            await child.call(Op.logout)
        except ChildCallFailed as exc:
            raise EngineFailure(exc.message, code=exc.code) from None
