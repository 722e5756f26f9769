"""What the engine host and a web session's child process say to each other.

One JSON object per line (UTF-8, ``\\n``-terminated): the host writes to the child's stdin,
the child writes to a private copy of its original stdout. The child's fd 1 is pointed at
its stderr at start-up, so whatever native code prints (the Go library does) lands in the
logs and can never corrupt the protocol.

Messages, told apart by ``kind``:

- ``command`` (host → child): ``{"kind": "command", "id": 7, "op": "send", "args": {…}}``;
- ``answer`` (child → host), one per command, with its ``id``: ``{"kind": "answer",
  "id": 7, "ok": true, "result": {…}}`` or ``{… "ok": false, "error": {"code": …,
  "message": …, "transient": …}}``;
- ``event`` (child → host, unasked): ``{"kind": "event", "type": "qr", "data": {…}}``,
  ``data`` as the model of ``EVENT_DATA[type]`` says;
- ``ready`` (child → host, first line): the child is listening for commands.

Ops (``Op``): ``start {options}`` connects (QR or pairing events follow, then ``linked``),
``pair_phone {phone_number}`` → ``{code}``, ``probe`` (answered only if the connection to
WhatsApp is alive: the engine's watchdog asks it of a session gone quiet, see
``watchdog``), ``logout``, ``stop`` (answered, then the child exits). Every other op is the
client's: the messaging ops (``send``, ``edit``, ``revoke``, ``mark_read``, ``typing``:
their arguments are in ``neonize_messaging``), the directory's (contacts, groups, chats:
``neonize_directory``), and the fake library's test ops (``fake_…``: ``fake_neonize``).

A line is capped at ``MAX_LINE_BYTES``: a longer one is skipped whole, like a malformed
one, and logged; neither side ever crashes on a bad line. The cap is a guard, not a
transport for media: files travel as paths to files in the session's temporary
directory, which both processes can read, never as base64 inside a line.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from gateway.engines.web.event_data import EventData as EventData  # re-exported
from gateway.engines.web.inbound_events import INBOUND_EVENT_DATA

MAX_LINE_BYTES = 16 * 1024 * 1024


class Op(StrEnum):
    start = "start"
    pair_phone = "pair_phone"
    probe = "probe"
    logout = "logout"
    stop = "stop"


class EventType(StrEnum):
    qr = "qr"
    pair_code = "pair_code"
    linked = "linked"
    status = "status"
    receipt = "receipt"
    keepalive = "keepalive"
    logged_out = "logged_out"


class ErrorInfo(BaseModel):
    code: str
    message: str
    # Worth trying again (not connected yet, a timeout); otherwise the request is wrong.
    transient: bool = False


class Command(BaseModel):
    kind: Literal["command"] = "command"
    id: int
    op: str
    args: dict[str, Any] = Field(default_factory=dict)


class Answer(BaseModel):
    kind: Literal["answer"] = "answer"
    id: int
    ok: bool
    result: Any = None
    error: ErrorInfo | None = None


class Event(BaseModel):
    kind: Literal["event"] = "event"
    type: str
    data: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, data: EventData) -> Event:
        return cls(type=data.type, data=data.model_dump(mode="json", exclude={"type"}))

    def parsed(self) -> EventData:
        """The event's data as its model; ValueError (ValidationError among them) when
        the child sent something else."""
        model = EVENT_DATA.get(self.type)
        if model is None:
            raise ValueError(f"no event {self.type!r}")
        return model.model_validate({**self.data, "type": self.type})


class Ready(BaseModel):
    kind: Literal["ready"] = "ready"
    pid: int
    client: str


Message = Annotated[Command | Answer | Event | Ready, Field(discriminator="kind")]
_MESSAGE: TypeAdapter[Command | Answer | Event | Ready] = TypeAdapter(Message)


# -- the events' data -----------------------------------------------------------------


class QrData(EventData):
    type: Literal["qr"] = "qr"
    code: str
    expires_at: datetime


class PairCodeData(EventData):
    type: Literal["pair_code"] = "pair_code"
    code: str


class MeData(BaseModel):
    id: str
    phone_number: str | None = None
    push_name: str | None = None
    jid: str | None = Field(default=None, description="The linked device: user:device@server.")
    lid: str | None = None


class LinkedData(EventData):
    """Connected and logged in (after a scan, or resuming a stored link)."""

    type: Literal["linked"] = "linked"
    me: MeData


class StatusData(EventData):
    """The connection changed without a link change: ``connecting`` (again),
    ``disconnected`` (will reconnect) or ``failed`` (will not)."""

    type: Literal["status"] = "status"
    status: Literal["connecting", "disconnected", "failed"]
    reason: str | None = None


class ReceiptData(EventData):
    type: Literal["receipt"] = "receipt"
    message_ids: list[str]
    status: Literal["delivered", "read", "played"]
    at: datetime


class KeepAliveData(EventData):
    """The client's keep-alive pings to WhatsApp failed (``ok`` false: neonize's
    KeepAliveTimeout, each time one times out) or work again (``ok``: KeepAliveRestored)."""

    type: Literal["keepalive"] = "keepalive"
    ok: bool


class LoggedOutData(EventData):
    """The link is gone (logged out on the phone, or by ``logout``)."""

    type: Literal["logged_out"] = "logged_out"
    reason: str | None = None


CORE_EVENT_DATA: tuple[type[EventData], ...] = (
    QrData, PairCodeData, LinkedData, StatusData, ReceiptData, KeepAliveData, LoggedOutData,
)  # fmt: skip
# An event's type → the model of its data: the core's, and what the session received.
EVENT_DATA: dict[str, type[EventData]] = {
    **{str(model.model_fields["type"].default): model for model in CORE_EVENT_DATA},
    **INBOUND_EVENT_DATA,
}


# -- lines ----------------------------------------------------------------------------


class BadLine(Exception):
    """A line that is not a message (malformed, or too long): skip it."""


def encode(message: Command | Answer | Event | Ready) -> bytes:
    line = message.model_dump_json().encode() + b"\n"
    if len(line) > MAX_LINE_BYTES:
        raise ValueError(f"a {message.kind} of {len(line)} bytes is over the line cap")
    return line


def decode(line: bytes) -> Command | Answer | Event | Ready:
    try:
        return _MESSAGE.validate_json(line)
    except ValidationError as exc:
        raise BadLine(f"not a message: {exc.error_count()} error(s)") from None


async def read_line(reader: asyncio.StreamReader) -> bytes | None:
    """The next line, ``None`` at end of stream. A line over the reader's limit is read
    to its end and dropped (``BadLine``), so the next call starts on a fresh line."""
    too_long = False
    while True:
        try:
            line = await reader.readuntil(b"\n")
        except asyncio.IncompleteReadError as exc:
            if too_long or not exc.partial:
                return None
            return exc.partial  # the last line, cut short by the end of the stream
        except asyncio.LimitOverrunError as exc:
            too_long = True
            await reader.readexactly(max(exc.consumed, 1))
            continue
        if too_long:
            raise BadLine("a line over the size cap")
        return line


# -- ids ------------------------------------------------------------------------------


def whatsapp_message_id(message_id: str) -> str:
    """WhatsApp's id of the gateway's message ``message_id``: the same every time, so a
    send retried (after a crash, a timeout) is the same message to WhatsApp, which keeps
    one. Shaped as WhatsApp Web's own ids (``3EB0`` and upper-case hex) so that phones
    take it for one."""
    return "3EB0" + hashlib.sha256(message_id.encode()).hexdigest()[:16].upper()
