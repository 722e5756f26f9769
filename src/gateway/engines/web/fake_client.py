"""A scripted WhatsApp client, for tests: what neonize would do, without WhatsApp.

Chosen only when asked (``--client fake``: ``GATEWAY_WEB_CLIENT=fake`` or the session's
``{"web": {"client": "fake"}}``). Options, from the ``start`` command:

- ``qr_refresh_seconds`` (20): a new QR code that often until linked;
- ``auto_link`` (false): link right after the first QR code;
- ``receipt_delay_seconds`` (0.05): a sent message is ``delivered`` that long after the
  send, then ``read`` as long again;
- ``phone_number`` (+12025550123) and ``push_name``: who links.

Test ops (the child answers them like any other): ``fake_link {phone_number?}`` links as
a phone scanning the code would; ``fake_sent`` → ``{"messages": [...]}``, what was sent;
``fake_receive {chat_id, text, message_id?}`` delivers an inbound message;
``fake_logged_out {reason?}`` unlinks as the phone would; ``fake_crash_on_send`` makes
the next send kill the process mid-way (``os._exit(2)``), as a Go panic would;
``fake_print`` writes to stdout as careless Python and native code would;
``fake_keepalive {ok}`` reports keep-alives failing (or restored) as the library would;
``fake_go_deaf`` makes the connection die silently: no event is emitted any more and
probes go unanswered, while sends are still answered; ``fake_probes`` → ``{"count": n}``,
the probes answered or not.

A restarted child knows nothing of its predecessor: with ``auto_link`` it shows one QR
code and links again at once, standing in for a real client resuming its stored device.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import secrets
import sys
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

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
)


def _now() -> datetime:
    return datetime.now(UTC)


class FakeClient:
    def __init__(self, session_id: str, emit: Emit) -> None:
        self.session_id = session_id
        self._emit_to_host = emit
        self._options: dict[str, Any] = {}
        self._me: MeData | None = None
        self._sent: list[dict[str, Any]] = []
        self._crash_on_send = False
        self._tasks: set[asyncio.Task[None]] = set()
        self._qr_task: asyncio.Task[None] | None = None
        self._deaf = False
        self._probes = 0

    # -- the client -----------------------------------------------------------------------

    async def start(self, options: dict[str, Any]) -> None:
        self._options = dict(options)
        if self._me is not None:
            await self._emit(LinkedData(me=self._me))
            return
        if self._qr_task is None or self._qr_task.done():
            self._qr_task = self._spawn(self._show_qr_until_linked())

    async def pair_phone(self, phone_number: str) -> str:
        if self._me is not None:
            raise ClientError("already_linked", "The session is linked already.")
        digest = hashlib.sha256(f"{self.session_id}:{phone_number}".encode()).hexdigest()
        code = f"{digest[:4]}-{digest[4:8]}".upper()
        await self._emit(PairCodeData(code=code))
        return code

    async def send(self, request: SendRequest) -> str:
        if self._crash_on_send:
            os._exit(2)  # mid-send, as a Go panic takes the process down
        if self._me is None:
            raise ClientError("session_not_ready", "Not linked.", transient=True)
        if not request.chat_id.endswith(("@c.us", "@s.whatsapp.net", "@g.us", "@lid")):
            raise ClientError("invalid_recipient", f"Not a chat: {request.chat_id}.")
        self._sent.append(
            {
                "message_id": request.message_id,
                "whatsapp_id": request.whatsapp_id,
                "chat_id": request.chat_id,
                "text": request.text,
                "reply_to": request.reply_to,
            }
        )
        self._spawn(self._receipts(request.whatsapp_id))
        return request.whatsapp_id

    async def probe(self) -> None:
        self._probes += 1
        if self._deaf:
            await asyncio.Event().wait()  # no answer ever comes back
        if self._me is None:
            raise ClientError("session_not_ready", "Not linked.", transient=True)

    async def logout(self) -> None:
        was_linked = self._me is not None
        self._me = None
        if was_linked:
            await self._emit(LoggedOutData(reason="logged_out"))

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def extra_ops(self) -> Mapping[str, ExtraOp]:
        return {
            "fake_link": self._fake_link,
            "fake_sent": self._fake_sent,
            "fake_receive": self._fake_receive,
            "fake_logged_out": self._fake_logged_out,
            "fake_crash_on_send": self._fake_crash_on_send,
            "fake_print": self._fake_print,
            "fake_keepalive": self._fake_keepalive,
            "fake_go_deaf": self._fake_go_deaf,
            "fake_probes": self._fake_probes,
        }

    # -- what the phone and WhatsApp would do ---------------------------------------------

    async def _emit(self, data: EventData) -> None:
        if not self._deaf:
            await self._emit_to_host(data)

    async def _show_qr_until_linked(self) -> None:
        every = float(self._options.get("qr_refresh_seconds", 20))
        while self._me is None:
            code = f"2@{secrets.token_urlsafe(24)},{self.session_id},fake"
            await self._emit(QrData(code=code, expires_at=_now() + timedelta(seconds=every)))
            if self._options.get("auto_link"):
                await self._link(None)
                return
            await asyncio.sleep(every)

    async def _link(self, phone_number: str | None) -> None:
        number = phone_number or str(self._options.get("phone_number", "+12025550123"))
        digits = number.lstrip("+")
        self._me = MeData(
            id=f"{digits}@c.us", phone_number=f"+{digits}", push_name=self._options.get("push_name")
        )
        await self._emit(LinkedData(me=self._me))

    async def _receipts(self, whatsapp_id: str) -> None:
        delay = float(self._options.get("receipt_delay_seconds", 0.05))
        for status in ("delivered", "read"):
            await asyncio.sleep(delay)
            await self._emit(ReceiptData(message_ids=[whatsapp_id], status=status, at=_now()))

    def _spawn(self, work: Any) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- test ops -------------------------------------------------------------------------

    async def _fake_link(self, args: dict[str, Any]) -> dict[str, Any]:
        if self._qr_task is not None:
            self._qr_task.cancel()
        await self._link(args.get("phone_number"))
        assert self._me is not None
        return self._me.model_dump()

    async def _fake_sent(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"messages": list(self._sent)}

    async def _fake_receive(self, args: dict[str, Any]) -> dict[str, Any]:
        message_id = str(args.get("message_id") or f"3A{secrets.token_hex(8).upper()}")
        chat_id = str(args["chat_id"])
        await self._emit(
            MessageReceivedData(
                message_id=message_id,
                chat_id=chat_id,
                from_id=str(args.get("from_id", chat_id)),
                from_name=args.get("from_name"),
                text=args.get("text"),
                timestamp=_now(),
            )
        )
        return {"message_id": message_id}

    async def _fake_logged_out(self, args: dict[str, Any]) -> None:
        self._me = None
        await self._emit(LoggedOutData(reason=args.get("reason") or "logged_out_on_phone"))

    async def _fake_crash_on_send(self, args: dict[str, Any]) -> None:
        self._crash_on_send = True

    async def _fake_print(self, args: dict[str, Any]) -> None:
        stdout = sys.__stdout__
        if stdout is not None:
            stdout.write("stray python output\n")
            stdout.flush()
        os.write(1, b"stray native output\n")

    async def _fake_keepalive(self, args: dict[str, Any]) -> None:
        await self._emit(KeepAliveData(ok=bool(args["ok"])))

    async def _fake_go_deaf(self, args: dict[str, Any]) -> None:
        self._deaf = True

    async def _fake_probes(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"count": self._probes}
