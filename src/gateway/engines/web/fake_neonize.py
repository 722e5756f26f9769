"""A fake of neonize's client, for tests: what whatsmeow would do, without WhatsApp.

WhatsApp's servers cannot be reached from tests, so the ``fake`` client is the real
adapter (``neonize_client.NeonizeClient``) over this stand-in for neonize's
``NewAClient``: the same methods, the same protobuf events (``neonize.proto.Neonize_pb2``)
given to the same handlers, the same ``waE2E.Message`` protos sent. Only the far side is
scripted. It never loads neonize's Go library.

Devices are kept in PostgreSQL like whatsmeow's (the ``device_store`` URL's schema, table
``fake_whatsmeow_device``), so a session taken over by another worker resumes without a
QR code, and a logout forgets the device.

Options (the ``start`` command's, after the adapter's own, over those in the environment's
``GATEWAY_WEB_FAKE_OPTIONS``, a JSON object, for runs through the API):
``qr_refresh_seconds`` (20), ``auto_link`` (link right after the first QR code),
``receipt_delay_seconds`` (0.05: ``delivered``, then ``read``, that long apart),
``phone_number`` (+12025550123), ``push_name``, ``lid`` (the linked account's LID),
``script`` (below).

``script`` acts out what a phone and WhatsApp do, for runs through the API, where no test
can reach a child to call its test ops: a list of steps ``{"on": moment, "op": test op,
"after_seconds"?: 0, "args"?: {}, "resumed"?: bool}``. Each step runs its op once per
child, ``after_seconds`` after its moment first happens there; with ``resumed``, only in a
child that resumed a stored device (true) or that did not (false). Moments: ``started``
(connecting), ``qr`` (the first QR code shown), ``paired`` (a pairing code given:
``fake_link`` then links the number it was asked for, as the phone typing it would),
``linked`` (linked anew, by QR or code), ``connected`` (linked anew or resumed), ``sent``
(a message taken by WhatsApp). E.g. ``{"auto_link": true, "script": [{"on": "linked",
"after_seconds": 1, "op": "fake_logged_out"}]}``: the phone unlinks the device a second
after linking it.

Test ops (answered by the child like any other, see ``test_ops``): ``fake_link``,
``fake_sent``, ``fake_calls``, ``fake_event``, ``fake_put_media``, ``fake_receive``,
``fake_logged_out``, ``fake_temporary_ban``, ``fake_stream_replaced``,
``fake_crash_on_send``, ``fake_panic``, ``fake_print``, ``fake_keepalive``,
``fake_go_deaf``, ``fake_probes``, ``fake_fail``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import structlog
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message as Proto
from neonize.proto import Neonize_pb2 as pb
from neonize.proto.waE2E.WAWebProtobufsE2E_pb2 import Message

from gateway.engines.web.fake_neonize_directory import FakeDirectory
from gateway.engines.web.fake_neonize_store import DeviceStore, jid, jid_text, plain

__all__ = ["EVENTS", "FakeNewAClient", "jid"]

log = structlog.get_logger(__name__)

OPTIONS_ENV = "GATEWAY_WEB_FAKE_OPTIONS"
TestOp = Callable[[dict[str, Any]], Awaitable[Any]]
# neonize's event class names (``neonize.aioze.events``) → their protobuf classes.
_EVENT_NAMES = (
    "QR", "PairStatus", "Connected", "LoggedOut", "TemporaryBan", "ConnectFailure",
    "StreamReplaced", "Disconnected", "KeepAliveTimeout", "KeepAliveRestored", "Receipt",
    "Message", "ChatPresence", "Presence", "JoinedGroup", "CallOffer", "CallOfferNotice",
    "IdentityChange", "HistorySync", "UndecryptableMessage", "CallTerminate",
)  # fmt: skip
# neonize's own aliases where they are not the class's name and "Ev".
_EVENT_ALIASES = {"GroupInfoEv": "GroupInfoEvent", "BlocklistEv": "BlocklistEvent"}
EVENTS = SimpleNamespace(
    **{f"{name}Ev": getattr(pb, name) for name in _EVENT_NAMES},
    **{alias: getattr(pb, name) for alias, name in _EVENT_ALIASES.items()},
)
# When the steps of a ``script`` may run (see the module's docstring).
MOMENTS = ("started", "qr", "paired", "linked", "connected", "sent")
# Media submessages of a waE2E Message, whose directPath ``download_any`` looks up.
MEDIA_FIELDS = ("imageMessage", "videoMessage", "audioMessage", "documentMessage",
                "stickerMessage")  # fmt: skip


class _Finalizer:
    def detach(self) -> None:
        return None


class FakeEvent:
    """``client.event``: neonize's handler registry (``event(cls)(handler)``)."""

    def __init__(self) -> None:
        self.handlers: dict[type, Callable[[Any, Any], Awaitable[None]]] = {}

    def __call__(self, event_type: type) -> Callable[[Callable[[Any, Any], Awaitable[None]]], None]:
        def register(handler: Callable[[Any, Any], Awaitable[None]]) -> None:
            self.handlers[event_type] = handler

        return register


class FakeNewAClient(FakeDirectory):
    def __init__(
        self, name: str, jid: pb.JID | None = None, *, uuid: str, new_device: bool = False,
        options: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        self.name = name
        self.uuid = uuid
        self.store = DeviceStore(name)
        self.options = {**json.loads(os.environ.get(OPTIONS_ENV) or "{}"), **(options or {})}
        self.event = FakeEvent()
        self._qr_handler: Callable[[Any, bytes], Awaitable[None]] | None = None
        self._resume = jid
        self.me_jid: pb.JID | None = None
        self.me_lid: pb.JID | None = None
        self.push_name: str | None = self.options.get("push_name")
        self._stopped = asyncio.Event()
        self._stop_finalizer = _Finalizer()
        self.sent: list[dict[str, Any]] = []
        self.calls: list[dict[str, Any]] = []
        self.blobs: dict[str, bytes] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._failures: dict[str, list[str]] = {}
        self._crash_on_send = False
        self._deaf = False
        self.probes = 0
        self._script = [dict(step) for step in self.options.get("script") or []]
        unknown = {str(step.get("op")) for step in self._script} - set(self.test_ops())
        unknown |= {str(step.get("on")) for step in self._script} - set(MOMENTS)
        if unknown:
            raise ValueError(f"script: no such moment or op: {', '.join(sorted(unknown))}")
        self._moments: set[str] = set()
        self._resumed = False

    # -- the library's side ---------------------------------------------------------------

    @staticmethod
    async def stored_devices(name: str) -> list[str]:
        store = DeviceStore(name)
        try:
            return await store.devices()
        finally:
            await store.close()

    def _record(self, method: str, **args: Any) -> None:
        self.calls.append({"method": method, "args": plain(args)})

    def _maybe_fail(self, method: str) -> None:
        errors = self._failures.get(method)
        if errors:
            raise Exception(errors.pop(0))  # as neonize raises Go's error text

    def _spawn(self, work: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _moment(self, moment: str, **args: Any) -> None:
        """``moment`` happened: the script's steps for it start, the first time."""
        if moment in self._moments:
            return
        self._moments.add(moment)
        for step in self._script:
            if step["on"] == moment and step.get("resumed", self._resumed) == self._resumed:
                self._spawn(self._play(step, args))

    async def _play(self, step: dict[str, Any], args: dict[str, Any]) -> None:
        await asyncio.sleep(float(step.get("after_seconds", 0)))
        try:
            await self.test_ops()[str(step["op"])]({**args, **(step.get("args") or {})})
        except Exception:  # a task's error would go unseen
            log.exception("web.fake.script_step_failed", step=step)

    async def emit(self, event: Proto) -> None:
        """Give ``event`` to its handler, as neonize's event callback does."""
        if self._deaf:
            return
        handler = self.event.handlers.get(type(event))
        if handler is not None:
            await handler(self, event)

    # -- NewAClient -----------------------------------------------------------------------

    def qr(self, handler: Callable[[Any, bytes], Awaitable[None]]) -> None:
        self._qr_handler = handler

    async def connect(self) -> asyncio.Task[None]:
        self._maybe_fail("connect")
        return asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        resumed = None
        if self._resume is not None:
            resumed = await self.store.get(jid_text(self._resume))
        self._resumed = resumed is not None
        self._moment("started")
        if resumed is not None:
            self.me_jid = self._resume
            self.push_name = resumed["push_name"]
            if resumed["lid"]:
                self.me_lid = jid(resumed["lid"], "lid")
            await self.emit(pb.Connected(status=True))
            self._moment("connected")
        else:
            self._spawn(self._show_qr_until_linked())
        await self._stopped.wait()

    async def _show_qr_until_linked(self) -> None:
        every = float(self.options.get("qr_refresh_seconds", 20))
        while self.me_jid is None and not self._stopped.is_set():
            code = f"2@{secrets.token_urlsafe(24)},{self.uuid},fake"
            if self._qr_handler is not None and not self._deaf:
                await self._qr_handler(self, code.encode())
                self._moment("qr")
            if self.options.get("auto_link"):
                await self.link(None)
                return
            await asyncio.sleep(every)

    async def link(self, phone_number: str | None, lid: str | None = None) -> pb.JID:
        """A phone scanned the code (or typed the pairing code): PairStatus, Connected."""
        number = phone_number or str(self.options.get("phone_number", "+12025550123"))
        device = jid(number.lstrip("+"), device=int(self.options.get("device", 7)))
        lid = lid or self.options.get("lid")
        self.me_jid, self.me_lid = device, (jid(str(lid), "lid") if lid else None)
        await self.store.put(jid_text(device), self.push_name, str(lid) if lid else None)
        await self.emit(pb.PairStatus(ID=device, Status=pb.PairStatus.SUCCESS))
        await self.emit(pb.Connected(status=True))
        self._moment("linked")
        self._moment("connected")
        return device

    async def PairPhone(self, phone: str, show_push_notification: bool) -> str:
        self._maybe_fail("PairPhone")
        self._record("PairPhone", phone=phone, show_push_notification=show_push_notification)
        digest = hashlib.sha256(f"{self.uuid}:{phone}".encode()).hexdigest()
        self._moment("paired", phone_number=f"+{phone}")
        return f"{digest[:4]}-{digest[4:8]}".upper()

    async def get_me(self) -> pb.Device:
        if self.me_jid is None:
            raise Exception("not logged in")
        device = pb.Device(JID=self.me_jid, PushName=self.push_name or "")
        if self.me_lid is not None:
            device.LID.CopyFrom(self.me_lid)
        return device

    @property
    def is_connected(self) -> Awaitable[bool]:
        async def connected() -> bool:
            return not self._stopped.is_set() and not self._deaf

        return connected()

    async def get_privacy_settings(self) -> pb.PrivacySettings:
        """A round trip to WhatsApp: a deaf connection never answers it."""
        self.probes += 1
        if self._deaf:
            await asyncio.Event().wait()
        self._maybe_fail("get_privacy_settings")
        return pb.PrivacySettings()

    async def send_message(self, to: pb.JID, message: Message, **options: Any) -> pb.SendResponse:
        if self._crash_on_send:
            os._exit(2)  # mid-send, as a Go panic takes the process down
        self._maybe_fail("send_message")
        whatsapp_id = "3EB0" + secrets.token_hex(10).upper()  # whatsmeow picks the id
        sent = {
            "to": jid_text(to),
            "id": whatsapp_id,
            "message": MessageToDict(message),
            "message_b64": base64.b64encode(message.SerializeToString()).decode(),
            "options": plain(options),
        }
        self.sent.append(sent)
        device = jid_text(self.me_jid) if self.me_jid is not None else ""
        await self.store.arrived(device, whatsapp_id, sent["to"], json.dumps(sent["message"]))
        self._spawn(self._receipts(to, whatsapp_id))
        self._moment("sent")
        return pb.SendResponse(ID=whatsapp_id, Timestamp=int(time.time()))

    async def _receipts(self, to: pb.JID, whatsapp_id: str) -> None:
        delay = float(self.options.get("receipt_delay_seconds", 0.05))
        for kind in (pb.Receipt.DELIVERED, pb.Receipt.READ):
            await asyncio.sleep(delay)
            source = pb.MessageSource(Chat=to, Sender=to, IsFromMe=False, IsGroup=False)
            await self.emit(
                pb.Receipt(MessageSource=source, MessageIDs=[whatsapp_id], Type=kind,
                           Timestamp=int(time.time()))
            )  # fmt: skip

    async def upload(self, binary: bytes, media_type: Any = None) -> pb.UploadResponse:
        self._maybe_fail("upload")
        digest = hashlib.sha256(binary).digest()
        direct_path = f"/v/t62.7118-24/{digest.hex()[:24]}.enc"
        self.blobs[direct_path] = binary
        self._record("upload", size=len(binary), media_type=media_type)
        return pb.UploadResponse(
            url=f"https://mmg.whatsapp.net{direct_path}", DirectPath=direct_path,
            MediaKey=hashlib.sha256(b"key" + binary).digest(),
            FileEncSHA256=hashlib.sha256(b"enc" + binary).digest(), FileSHA256=digest,
            FileLength=len(binary),
        )  # fmt: skip

    async def download_any(self, message: Message, path: str | None = None) -> bytes | None:
        self._maybe_fail("download_any")
        for field in MEDIA_FIELDS:
            if message.HasField(field):
                direct_path = getattr(message, field).directPath
                if direct_path in self.blobs:
                    content = self.blobs[direct_path]
                    if path is None:
                        return content
                    await asyncio.to_thread(Path(path).write_bytes, content)
                    return None
                raise Exception("failed to download media: 404 Not Found")
        raise Exception("no downloadable media in the message")

    async def mark_read(self, *message_ids: str, chat: pb.JID, sender: pb.JID,
                        receipt: Any = None, timestamp: int | None = None) -> None:  # fmt: skip
        self._maybe_fail("mark_read")
        self._record("mark_read", message_ids=list(message_ids), chat=chat, sender=sender,
                     receipt=receipt)  # fmt: skip

    async def send_chat_presence(self, jid: pb.JID, state: Any, media: Any) -> None:
        self._maybe_fail("send_chat_presence")
        self._record("send_chat_presence", jid=jid, state=state, media=media)

    async def send_presence(self, presence: Any) -> None:
        self._record("send_presence", presence=presence)

    async def logout(self) -> None:
        self._maybe_fail("logout")
        if self.me_jid is not None:
            await self.store.delete(jid_text(self.me_jid))
        self.me_jid = None
        self._stopped.set()

    async def stop(self) -> None:
        self._stopped.set()
        for task in list(self._tasks):
            task.cancel()
        await self.store.close()

    # -- test ops -------------------------------------------------------------------------

    def test_ops(self) -> dict[str, TestOp]:
        ops: dict[str, TestOp] = {
            "fake_link": self._fake_link,
            "fake_sent": self._fake_sent,
            "fake_calls": self._fake_calls,
            "fake_event": self._fake_event,
            "fake_put_media": self._fake_put_media,
            "fake_receive": self._fake_receive,
            "fake_logged_out": self._fake_logged_out,
            "fake_temporary_ban": self._fake_temporary_ban,
            "fake_stream_replaced": self._fake_stream_replaced,
            "fake_crash_on_send": self._fake_crash_on_send,
            "fake_panic": self._fake_panic,
            "fake_print": self._fake_print,
            "fake_keepalive": self._fake_keepalive,
            "fake_go_deaf": self._fake_go_deaf,
            "fake_probes": self._fake_probes,
            "fake_fail": self._fake_fail,
        }
        directory_ops = getattr(self, "directory_test_ops", None)
        if directory_ops is not None:
            ops.update(directory_ops())
        return ops

    async def _fake_link(self, args: dict[str, Any]) -> dict[str, Any]:
        device = await self.link(args.get("phone_number"), args.get("lid"))
        return {"jid": jid_text(device)}

    async def _fake_sent(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"messages": list(self.sent)}

    async def _fake_calls(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"calls": list(self.calls)}

    async def _fake_event(self, args: dict[str, Any]) -> None:
        """``{event, data_b64}``: any of neonize's events, as WhatsApp would cause it."""
        event_type = getattr(pb, str(args["event"]))
        await self.emit(event_type.FromString(base64.b64decode(args["data_b64"])))

    async def _fake_put_media(self, args: dict[str, Any]) -> None:
        self.blobs[str(args["direct_path"])] = base64.b64decode(args["content_b64"])

    async def _fake_receive(self, args: dict[str, Any]) -> dict[str, Any]:
        """``{chat_id (user@server), text, message_id?, from_id?, push_name?}``."""
        message_id = str(args.get("message_id") or f"3A{secrets.token_hex(8).upper()}")
        chat_user, _, chat_server = str(args["chat_id"]).partition("@")
        chat = jid(chat_user, "s.whatsapp.net" if chat_server == "c.us" else chat_server)
        sender_user, _, sender_server = str(args.get("from_id") or args["chat_id"]).partition("@")
        sender = jid(sender_user, "s.whatsapp.net" if sender_server == "c.us" else sender_server)
        source = pb.MessageSource(Chat=chat, Sender=sender, IsFromMe=False,
                                  IsGroup=chat.Server == "g.us")  # fmt: skip
        info = pb.MessageInfo(MessageSource=source, ID=message_id, Type="text",
                              Pushname=str(args.get("push_name") or ""),
                              Timestamp=int(time.time() * 1000))  # fmt: skip
        await self.emit(pb.Message(Message=Message(conversation=str(args["text"])), Info=info))
        return {"message_id": message_id}

    async def _fake_logged_out(self, args: dict[str, Any]) -> None:
        """Logged out from the phone: whatsmeow forgets the device, then says so."""
        if self.me_jid is not None:
            await self.store.delete(jid_text(self.me_jid))
        self.me_jid = None
        await self.emit(pb.LoggedOut(OnConnect=False, Reason=pb.LOGGED_OUT))

    async def _fake_temporary_ban(self, args: dict[str, Any]) -> None:
        """``{code?, expire_seconds?}``: ``code`` one of whatsmeow's TempBanReason names."""
        code = pb.TemporaryBan.TempBanReason.Value(str(args.get("code", "SEND_TO_TOO_MANY_PEOPLE")))
        await self.emit(pb.TemporaryBan(Code=code, Expire=int(args.get("expire_seconds", 3600))))

    async def _fake_stream_replaced(self, args: dict[str, Any]) -> None:
        await self.emit(pb.StreamReplaced())

    async def _fake_crash_on_send(self, args: dict[str, Any]) -> None:
        self._crash_on_send = True

    async def _fake_panic(self, args: dict[str, Any]) -> None:
        os.abort()  # a Go panic: SIGABRT, exit 134, nothing cleaned up

    async def _fake_print(self, args: dict[str, Any]) -> None:
        stdout = sys.__stdout__
        if stdout is not None:
            stdout.write("stray python output\n")
            stdout.flush()
        os.write(1, b"stray native output\n")

    async def _fake_keepalive(self, args: dict[str, Any]) -> None:
        if args.get("ok"):
            await self.emit(pb.KeepAliveRestored())
        else:
            await self.emit(pb.KeepAliveTimeout(ErrorCount=1, LastSuccess=int(time.time()) - 30))

    async def _fake_go_deaf(self, args: dict[str, Any]) -> None:
        self._deaf = True

    async def _fake_probes(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"count": self.probes}

    async def _fake_fail(self, args: dict[str, Any]) -> None:
        """``{method, error, times?}``: the next ``times`` calls of ``method`` raise."""
        errors = [str(args["error"])] * int(args.get("times", 1))
        self._failures.setdefault(str(args["method"]), []).extend(errors)
