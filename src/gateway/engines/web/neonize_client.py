"""The real WhatsApp client: neonize's async client (whatsmeow, a Go library, over ctypes).

Runs only in a session's child process (``clients`` builds it there). This adapter keeps
the connection and the link (QR codes, pairing, linked, logged out, bans, receipts,
keep-alives); what a linked session does is ops and event handlers of the engine's other
parts (``neonize_ops``: ``neonize_messaging``, ``neonize_directory``, ``neonize_inbound``),
over the same neonize client. In tests the library is ``fake_neonize``'s stand-in for
neonize, and this adapter is the code under test.

Options (``start``): ``device_store`` (required), where whatsmeow keeps the device's keys:
a ``postgres://…?search_path=<schema>`` URL (the engine derives it from the gateway's
database); ``jid`` (``user:device@s.whatsapp.net``) resumes that device if the store has it
(asking whatsmeow for an unknown one is a Go panic, so the store is checked first; a
missing one means linking anew, said as ``device_state_missing``); ``workdir``, the
session's directory shared with the host. Other keys are the library's (the fake's).

The connection lives in neonize's connect task, which holds an executor thread for the
client's life. That task ending, with an error or not, is fatal: neonize has no way back
(no retry after a failed dial; a proto it cannot encode silently stops every event), so the
client reports ``status failed`` (``connect_failed: …``) and the child exits non-zero.

Known gap: **message ids**. neonize lets whatsmeow pick a sent message's id (its Go
``SendMessage`` takes no ``SendRequestExtra.ID``), so the id the engine derives cannot be
used, and a send retried after a crash between WhatsApp's server taking it and the answer
arrives twice (see docs/web.md).
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Literal, Protocol

import structlog

from gateway.engines.web import neonize_directory, neonize_inbound, neonize_messaging
from gateway.engines.web.clients import ClientError, Emit, ExtraOp
from gateway.engines.web.neonize_ops import NeonizeOp, OpContext
from gateway.engines.web.protocol import (
    EventData,
    KeepAliveData,
    LinkedData,
    LoggedOutData,
    MeData,
    PairCodeData,
    QrData,
    ReceiptData,
    StatusData,
)

log = structlog.get_logger(__name__)

# Each client pins one thread (its connect task) and every FFI call borrows one; the
# default min(32, cpus + 4) starves sends behind a few slow ones.
EXECUTOR_THREADS = 32
# whatsmeow's QR codes: the first lives 60 s, each next one 20 s (six in all).
FIRST_QR_SECONDS = 60
NEXT_QR_SECONDS = 20
STOP_TIMEOUT_SECONDS = 5.0
EXIT_CONNECTION_ENDED = 3
ReceiptStatus = Literal["delivered", "read", "played"]
RECEIPTS: dict[str, ReceiptStatus] = {"DELIVERED": "delivered", "READ": "read", "PLAYED": "played"}
# whatsmeow reconnects by itself after these; other connect failures are final.
PASSING_FAILURES = {"SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR"}
OPTIONS = ("device_store", "jid", "workdir")
# Between the devices neonize's GetAllDevices lists (so that no push name holds it).
DEVICE_SEPARATOR = "|\u0001|"


class Library(Protocol):
    """What the adapter needs of neonize: its client, its event classes, its store."""

    events: Any  # neonize.aioze.events: ``MessageEv`` … by name

    def prepare(self) -> None: ...

    def new_client(
        self, store: str, jid: Any, *, uuid: str, new_device: bool, options: dict[str, Any]
    ) -> Any: ...

    async def stored_devices(self, store: str) -> list[str]:
        """The devices (``user:device@server``) the store holds."""
        ...


class NeonizeLibrary:
    """neonize itself, imported only when a client is built (it loads the Go library)."""

    def __init__(self) -> None:
        from neonize.aioze import events

        self.events = events

    def prepare(self) -> None:
        # The child configured logging before this import: neonize's basicConfig on
        # import then does nothing. Go's log level is this logger's own at connect().
        level = logging.getLogger().getEffectiveLevel()
        logging.getLogger("neonize.utils.log").setLevel(level)
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(EXECUTOR_THREADS, thread_name_prefix="neonize")
        )

    def new_client(
        self, store: str, jid: Any, *, uuid: str, new_device: bool, options: dict[str, Any]
    ) -> Any:
        from neonize.aioze.client import NewAClient

        return NewAClient(store, jid=jid, uuid=uuid, new_device=new_device)

    async def stored_devices(self, store: str) -> list[str]:
        # Not ClientFactory.get_all_devices_from_db: it splits each device's line on every
        # comma, so one push name like "Smith, John" in the shared store raises for every
        # session. A line is "jid,push name,business name,initialized"; a JID has no comma.
        from neonize._binder import func_callback_bytes2, gocode
        from neonize.utils.log import log_whatsmeow

        def listed() -> str:
            on_log = func_callback_bytes2(log_whatsmeow)  # held until Go returns
            return str(gocode.GetAllDevices(store.encode(), on_log).decode())

        lines = await asyncio.to_thread(listed)
        return [line.split(",", 1)[0] for line in lines.split(DEVICE_SEPARATOR)] if lines else []


def parse_jid(text: str) -> Any:
    """whatsmeow's JID of ``user:device@server``."""
    from neonize.proto.Neonize_pb2 import JID

    user_device, _, server = text.partition("@")
    user, _, device = user_device.partition(":")
    return JID(User=user, Device=int(device or 0), Server=server, RawAgent=0, Integrator=0,
               IsEmpty=False)  # fmt: skip


def device_text(jid: Any) -> str:
    device = f":{jid.Device}" if jid.Device else ""
    return f"{jid.User}{device}@{jid.Server}"


def _enum_name(event: Any, field: str) -> str:  # GENERIC; or its number, if unnamed
    values = event.DESCRIPTOR.fields_by_name[field].enum_type.values_by_number
    number = getattr(event, field)
    return str(values[number].name if number in values else number)


async def _answer(code: str, call: Awaitable[Any], *, transient: bool = True) -> Any:
    """What neonize answers; its error (WhatsApp's or Go's words) as a ``code`` one."""
    try:
        return await call
    except Exception as exc:
        raise ClientError(code, str(exc)[:500], transient=transient) from None


async def _says(data: EventData, event: Any) -> EventData:  # whatever the event's fields
    return data


def _me(jid: Any, push_name: str | None, lid: Any = None) -> MeData:
    return MeData(
        id=f"{jid.User}@c.us", phone_number=f"+{jid.User}", push_name=push_name or None,
        jid=device_text(jid), lid=f"{lid.User}@lid" if lid is not None and lid.User else None,
    )  # fmt: skip


class NeonizeClient:
    def __init__(self, session_id: str, emit: Emit, library: Library | None = None) -> None:
        self.session_id = session_id
        self._emit = emit
        self._library = library
        self._client: Any = None
        self._connection: asyncio.Task[None] | None = None
        self._watch: asyncio.Task[None] | None = None  # held: the loop keeps weak refs
        self._me: MeData | None = None
        self._workdir = Path(tempfile.gettempdir())
        self._qr_shown = asyncio.Event()
        self._paired_by_code = False
        self._closing = False

    async def start(self, options: dict[str, Any]) -> None:
        if self._client is not None:
            raise ClientError("already_started", "Started already.")
        if not (store := options.get("device_store")):  # config: no retry would help
            reason = "web_config_invalid: device_store is required"
            await self._emit(StatusData(status="failed", reason=reason))
            return
        library = self._library = self._library or NeonizeLibrary()
        library.prepare()
        if options.get("workdir"):
            self._workdir = Path(str(options["workdir"]))
        resume = None
        if jid := str(options.get("jid") or ""):
            if jid in await library.stored_devices(str(store)):
                resume = parse_jid(jid)
            else:  # gone from the store (deleted, or logged out meanwhile): link anew
                await self._emit(StatusData(status="connecting", reason="device_state_missing"))
        extra = {key: value for key, value in options.items() if key not in OPTIONS}
        self._client = client = library.new_client(
            str(store), resume, uuid=self.session_id, new_device=resume is None, options=extra
        )
        # connect() snapshots the handlers registered so far: all of them go in first.
        client.qr(self._guarded("qr", self._on_qr))
        for name, handler in self._handlers().items():
            event_type = getattr(library.events, name, None)
            if event_type is None:
                log.warning("web.neonize.no_such_event", event_name=name)
                continue
            client.event(event_type)(self._guarded(name, handler))
        self._connection = await client.connect()
        # Last, with no await after it: the watch runs only once ``start`` has been
        # answered, so the host never sees the child gone before its answer.
        self._watch = asyncio.create_task(self._watch_connection(self._connection))

    def _handlers(self) -> dict[str, Callable[[Any], Awaitable[Any]]]:
        own: dict[str, Callable[[Any], Awaitable[Any]]] = {
            "PairStatusEv": self._on_pair_status, "ConnectedEv": self._on_connected,
            "LoggedOutEv": self._on_logged_out, "TemporaryBanEv": self._on_temporary_ban,
            "ConnectFailureEv": self._on_connect_failure, "ReceiptEv": self._on_receipt,
            "StreamReplacedEv": partial(_says, StatusData(status="failed",
                                                          reason="stream_replaced")),
            "DisconnectedEv": partial(_says, StatusData(status="disconnected",
                                                        reason="disconnected")),
            "KeepAliveTimeoutEv": partial(_says, KeepAliveData(ok=False)),
            "KeepAliveRestoredEv": partial(_says, KeepAliveData(ok=True)),
        }  # fmt: skip
        for name, handler in neonize_inbound.HANDLERS.items():
            own.setdefault(name, partial(self._inbound, handler))
        return own

    async def _inbound(self, handler: Any, event: Any) -> list[EventData]:
        events: list[EventData] = await handler(self._context(linked=False), event)
        return events

    def _context(self, *, linked: bool = True) -> OpContext:
        if linked:
            client, me = self._linked_client()
            return OpContext(client=client, me=me, workdir=self._workdir)
        return OpContext(client=self._client, me=self._me, workdir=self._workdir)

    async def pair_phone(self, phone_number: str) -> str:
        if self._me is not None:
            raise ClientError("already_linked", "The session is linked already.")
        # PairPhone needs the client registered in Go and the socket up: the first QR
        # code says both (calling earlier is a Go panic).
        if self._client is None or self._closing or not self._qr_shown.is_set():
            raise ClientError("session_not_ready", "No QR code yet.", transient=True)
        digits = "".join(ch for ch in phone_number if ch.isdigit())  # whatsmeow's form
        code = str(await _answer("pairing_failed", self._client.PairPhone(digits, True)))
        self._paired_by_code = True  # later QR codes would only confuse whoever links
        await self._emit(PairCodeData(code=code))
        return code

    def _linked_client(self) -> tuple[Any, MeData]:
        if self._me is None or self._client is None or self._closing:  # FFI now: a panic
            raise ClientError("session_not_ready", "Not linked.", transient=True)
        return self._client, self._me

    async def probe(self) -> None:
        client, _ = self._linked_client()
        if not await client.is_connected:
            raise ClientError("not_connected", "Not connected.", transient=True)
        # One IQ round trip to WhatsApp's servers: a dead connection never answers it.
        await _answer("probe_failed", client.get_privacy_settings())

    async def logout(self) -> None:
        if self._client is None:
            return  # nothing started, so nothing linked through this child
        if self._me is not None:
            await _answer("logout_failed", self._client.logout())
            self._me = None
            await self._emit(LoggedOutData(reason="logged_out"))
        await self.close()

    async def close(self) -> None:
        client, connection = self._client, self._connection
        if self._closing or connection is None or connection.done():
            return  # not started, or closing already, or ended (reported by the watch)
        self._closing = True  # the watch sees the connection end quietly
        try:
            await asyncio.wait_for(client.stop(), STOP_TIMEOUT_SECONDS)
            client._stop_finalizer.detach()  # a second Go Stop, at exit, would be a panic
            await asyncio.wait_for(asyncio.shield(connection), STOP_TIMEOUT_SECONDS)
        except Exception:
            # Go can hold the connect thread past any stop (a dial in progress, QR codes
            # run out), and the interpreter would wait for that thread at exit.
            log.warning("web.neonize.stop_failed", session_id=self.session_id, exc_info=True)
            os._exit(0)

    def extra_ops(self) -> Mapping[str, ExtraOp]:
        ops: dict[str, ExtraOp] = {}
        for name, op in {**neonize_messaging.OPS, **neonize_directory.OPS}.items():
            ops[name] = partial(self._run_op, op)
        test_ops = getattr(self._client, "test_ops", None)
        if test_ops is not None:  # the fake library's, for tests
            ops.update(test_ops())
        return ops

    async def _run_op(self, op: NeonizeOp, args: dict[str, Any]) -> Any:
        return await op(self._context(), args)

    # -- neonize's events -----------------------------------------------------------------

    def _guarded(self, name: str, handler: Callable[[Any], Awaitable[Any]]) -> Any:
        async def guarded(_client: Any, event: Any) -> None:
            try:
                data = await handler(event)
                for each in data if isinstance(data, list) else [data]:
                    if each is not None:
                        await self._emit(each)
            except Exception:  # neonize would drop it without a word
                log.exception("web.neonize.handler_failed", event_name=name)

        return guarded

    async def _watch_connection(self, connection: asyncio.Task[None]) -> None:
        try:
            await connection
            reason = "connection_ended"
        except Exception as exc:
            reason = f"connect_failed: {exc}" if str(exc) else f"connect_failed: {exc!r}"
        if self._closing:
            return
        log.error("web.neonize.connection_ended", session_id=self.session_id, reason=reason)
        await self._emit(StatusData(status="failed", reason=reason[:500]))
        # Nothing in this process can connect again; the host decides what comes next.
        os._exit(EXIT_CONNECTION_ENDED)

    async def _on_qr(self, data: bytes) -> EventData | None:
        first = not self._qr_shown.is_set()
        self._qr_shown.set()
        if self._paired_by_code:
            return None
        expires_at = datetime.now(UTC) + timedelta(
            seconds=FIRST_QR_SECONDS if first else NEXT_QR_SECONDS
        )
        return QrData(code=data.decode(), expires_at=expires_at)

    def _linked(self, me: MeData) -> EventData | None:
        if me == self._me:  # a pairing is followed by Connected: one report is enough
            return None
        self._me = me
        return LinkedData(me=me)

    async def _on_pair_status(self, event: Any) -> EventData | None:
        if _enum_name(event, "Status") == "SUCCESS":
            return self._linked(_me(event.ID, None))
        log.warning("web.neonize.pairing_failed", error=event.Error)
        return None

    async def _on_connected(self, event: Any) -> EventData | None:
        device = await self._client.get_me()  # safe now: Go has registered the client
        return self._linked(_me(device.JID, device.PushName, device.LID))

    async def _on_logged_out(self, event: Any) -> EventData:
        self._me = None
        return LoggedOutData(reason=_enum_name(event, "Reason").lower())

    async def _on_temporary_ban(self, event: Any) -> EventData:
        reason = "temporary_ban"
        if event.Expire > 0:  # how long it lasts, in seconds
            ends = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=event.Expire)
            reason += f": until {ends.isoformat()}"
        return StatusData(status="failed", reason=reason)

    async def _on_connect_failure(self, event: Any) -> EventData:
        reason = _enum_name(event, "Reason")
        detail = ": ".join(filter(None, ["connect_failure", reason.lower(), event.Message]))
        if reason in PASSING_FAILURES:
            return StatusData(status="disconnected", reason=detail[:500])
        return StatusData(status="failed", reason=detail[:500])

    async def _on_receipt(self, event: Any) -> EventData | None:
        status = RECEIPTS.get(_enum_name(event, "Type"))
        if status is None or not event.MessageIDs:
            return None  # the sender's own devices, retries, history: nothing to report
        at = datetime.fromtimestamp(event.Timestamp, UTC) if event.Timestamp else datetime.now(UTC)
        return ReceiptData(message_ids=list(event.MessageIDs), status=status, at=at)
