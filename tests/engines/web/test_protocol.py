from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pytest

from gateway.engines.web import protocol
from gateway.engines.web.protocol import (
    Answer,
    BadLine,
    Command,
    ErrorInfo,
    Event,
    LinkedData,
    MeData,
    QrData,
    Ready,
    ReceiptData,
    whatsapp_message_id,
)


@pytest.mark.parametrize(
    "message",
    [
        Command(id=1, op="send", args={"message_id": "msg_1", "text": "héllo\nthere"}),
        Answer(id=1, ok=True, result={"message_id": "3EB0ABC"}),
        Answer(id=2, ok=False, error=ErrorInfo(code="not_ready", message="no", transient=True)),
        Event(type="status", data={"status": "connecting"}),
        Ready(pid=42, client="fake"),
    ],
)
def test_a_message_survives_the_line(message: Command | Answer | Event | Ready) -> None:
    line = protocol.encode(message)
    assert line.endswith(b"\n")
    assert line.count(b"\n") == 1  # newlines inside strings are escaped
    assert protocol.decode(line) == message


def test_event_data_round_trips_through_its_model() -> None:
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    for data in (
        QrData(code="2@abc", expires_at=at),
        LinkedData(me=MeData(id="1@c.us", phone_number="+1")),
        ReceiptData(message_ids=["3EB0A"], status="read", at=at),
    ):
        event = protocol.decode(protocol.encode(Event.of(data)))
        assert isinstance(event, Event)
        assert event.type == data.type
        assert event.parsed() == data


@pytest.mark.parametrize(
    "line",
    [b"not json\n", b"{}\n", b'{"kind": "nope"}\n', b'{"kind": "answer", "id": "x"}\n', b"\xff\n"],
)
def test_a_malformed_line_is_a_bad_line(line: bytes) -> None:
    with pytest.raises(BadLine):
        protocol.decode(line)


def test_an_event_of_unknown_type_or_shape_does_not_parse() -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        Event(type="weather", data={}).parsed()
    with pytest.raises(ValueError):  # noqa: PT011
        Event(type="qr", data={"code": 1}).parsed()


async def test_a_line_over_the_cap_is_skipped_whole() -> None:
    reader = asyncio.StreamReader(limit=64)
    reader.feed_data(protocol.encode(Ready(pid=1, client="fake")))
    reader.feed_data(b'{"kind": "event", "type": "qr", "data": {"code": "' + b"x" * 500 + b'"}}\n')
    reader.feed_data(protocol.encode(Ready(pid=2, client="fake")))
    reader.feed_data(b"tail without newline")
    reader.feed_eof()
    assert await protocol.read_line(reader) == protocol.encode(Ready(pid=1, client="fake"))
    with pytest.raises(BadLine):
        await protocol.read_line(reader)
    assert await protocol.read_line(reader) == protocol.encode(Ready(pid=2, client="fake"))
    assert await protocol.read_line(reader) == b"tail without newline"
    assert await protocol.read_line(reader) is None


def test_the_whatsapp_id_derives_from_the_message_id() -> None:
    first = whatsapp_message_id("msg_01J0000000000000000000000")
    assert first == whatsapp_message_id("msg_01J0000000000000000000000")
    assert re.fullmatch(r"3EB0[0-9A-F]{16}", first)
    assert whatsapp_message_id("msg_1") == "3EB0116B88F173007BE5"  # stable across releases
    assert whatsapp_message_id("msg_2") != whatsapp_message_id("msg_1")
