"""The real WhatsApp client: neonize's async client (whatsmeow, a Go library, over ctypes).

Runs only in a session's child process (``clients`` imports it there). Options (``start``):
``device_store`` (required), where whatsmeow keeps the device's keys: a ``postgres://…``
URL (only the URL form reaches PostgreSQL) or, in tests, a sqlite file; ``jid``
(``user:device@s.whatsapp.net``) resumes that stored device, else a new one is linked.

The connection lives in neonize's connect task, which holds an executor thread for the
client's life. That task ending, with an error or not, is fatal: neonize has no way back
(no retry after a failed dial; a proto it cannot encode silently stops every event), so the
client reports ``status failed`` (``connect_failed: …``) and the child exits non-zero.

Known gaps: (1) **message ids**: neonize lets whatsmeow pick a sent message's id (its Go
``SendMessage`` passes no ``SendRequestExtra.ID``), so ours (``SendRequest.whatsapp_id``)
cannot be used; ``send`` answers WhatsApp's id, and a send retried after a crash may
arrive twice (the fix is a patched ``.so``). (2) ``jid`` must name a stored device (an
unknown one is a Go panic); nothing records it or checks the store yet. (3) Only text:
other inbound kinds are skipped (debug log); no media, ``reply_to`` ignored. ``probe`` is
best effort: a usync query for our own number, one round trip to WhatsApp.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, Literal

import structlog

from gateway.engines.web.clients import ClientError, Emit, ExtraOp, SendRequest
from gateway.engines.web.protocol import (
    EventData,
    KeepAliveData,
    LinkedData,
    LoggedOutData,
    MeData,
    MessageReceivedData,
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
CHAT_SERVERS = {"c.us": "s.whatsapp.net", "g.us": "g.us", "lid": "lid"}


def _chat_id(jid: Any) -> str:
    """Our id of a WhatsApp JID: ``<digits>@c.us`` for a phone number, else as it is."""
    server = "c.us" if jid.Server == "s.whatsapp.net" else jid.Server
    return f"{jid.User}@{server}"


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


def _me(jid: Any, push_name: str | None) -> MeData:
    return MeData(id=f"{jid.User}@c.us", phone_number=f"+{jid.User}", push_name=push_name or None)


class NeonizeClient:
    def __init__(self, session_id: str, emit: Emit) -> None:
        self.session_id = session_id
        self._emit = emit
        self._client: Any = None
        self._connection: asyncio.Task[None] | None = None
        self._watch: asyncio.Task[None] | None = None  # held: the loop keeps weak refs
        self._me: MeData | None = None
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
        # The child configured logging before this import: neonize's basicConfig on import
        # then does nothing. Go's log level is this logger's own level at connect().
        level = logging.getLogger().getEffectiveLevel()
        logging.getLogger("neonize.utils.log").setLevel(level)
        from neonize.aioze import events as ev
        from neonize.aioze.client import NewAClient
        from neonize.proto.Neonize_pb2 import JID

        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(EXECUTOR_THREADS, thread_name_prefix="neonize")
        )
        jid = str(options.get("jid") or "")  # user:device@server
        user_device, _, server = jid.partition("@")
        user, _, device = user_device.partition(":")
        resume = JID(User=user, Device=int(device or 0), Server=server) if jid else None
        self._client = client = NewAClient(
            str(store), jid=resume, uuid=self.session_id, new_device=not jid
        )
        # connect() snapshots the handlers registered so far: all of them go in first.
        client.qr(self._guarded("qr", self._on_qr))
        handlers: dict[Any, Callable[[Any], Awaitable[EventData | None]]] = {
            ev.PairStatusEv: self._on_pair_status, ev.ConnectedEv: self._on_connected,
            ev.LoggedOutEv: self._on_logged_out, ev.TemporaryBanEv: self._on_temporary_ban,
            ev.ConnectFailureEv: self._on_connect_failure, ev.ReceiptEv: self._on_receipt,
            ev.MessageEv: self._on_message,
            ev.StreamReplacedEv:
                partial(_says, StatusData(status="failed", reason="stream_replaced")),
            ev.DisconnectedEv:
                partial(_says, StatusData(status="disconnected", reason="disconnected")),
            ev.KeepAliveTimeoutEv: partial(_says, KeepAliveData(ok=False)),
            ev.KeepAliveRestoredEv: partial(_says, KeepAliveData(ok=True)),
        }  # fmt: skip
        for event_type, handler in handlers.items():
            client.event(event_type)(self._guarded(event_type.__name__, handler))
        self._connection = await client.connect()
        # Last, with no await after it: the watch runs only once ``start`` has been
        # answered, so the host never sees the child gone before its answer.
        self._watch = asyncio.create_task(self._watch_connection(self._connection))

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

    async def send(self, request: SendRequest) -> str:
        client, _ = self._linked_client()
        user, _, server = request.chat_id.partition("@")
        if server not in CHAT_SERVERS or not user:
            raise ClientError("invalid_recipient", f"Not a chat: {request.chat_id}.")
        to = f"{user}@{CHAT_SERVERS[server]}"  # neonize makes it a JID
        response = await _answer("send_failed", client.send_message(to, request.text))
        return str(response.ID)  # WhatsApp's own id: ours cannot be passed (see above)

    async def probe(self) -> None:
        client, me = self._linked_client()
        if not await client.is_connected:
            raise ClientError("not_connected", "Not connected.", transient=True)
        await _answer("probe_failed", client.is_on_whatsapp(me.phone_number or ""))

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
        return {}

    # -- neonize's events -----------------------------------------------------------------

    def _guarded(self, name: str, handler: Callable[[Any], Awaitable[EventData | None]]) -> Any:
        async def guarded(_client: Any, event: Any) -> None:
            try:
                data = await handler(event)
                if data is not None:
                    await self._emit(data)
            except Exception:  # neonize would drop it without a word
                log.exception("web.neonize.handler_failed", event=name)

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
        return self._linked(_me(device.JID, device.PushName))

    async def _on_logged_out(self, event: Any) -> EventData:
        self._me = None
        return LoggedOutData(reason=_enum_name(event, "Reason").lower())

    async def _on_temporary_ban(self, event: Any) -> EventData:
        reason = "temporary_ban"
        if event.Expire > 0:  # how long it lasts, in seconds
            reason += f": until {(datetime.now(UTC) + timedelta(seconds=event.Expire)).isoformat()}"
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

    async def _on_message(self, event: Any) -> EventData | None:
        info, source = event.Info, event.Info.MessageSource
        text = event.Message.conversation or event.Message.extendedTextMessage.text
        if source.IsFromMe or not text:
            log.debug("web.neonize.message_skipped", message_id=info.ID, kind=info.Type)
            return None
        chat_id = _chat_id(source.Chat)
        return MessageReceivedData(
            message_id=info.ID, chat_id=chat_id, from_id=_chat_id(source.Sender),
            from_name=info.Pushname or None, group_id=chat_id if source.IsGroup else None,
            text=text, timestamp=datetime.fromtimestamp(info.Timestamp / 1000, UTC),
        )  # fmt: skip
