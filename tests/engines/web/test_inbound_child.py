"""What the session receives, end to end: neonize's protobuf events given to the handlers
a real child's adapter registered (the fake library's ``fake_event``), over the line
protocol, into ``WebEngine``'s reports."""

from __future__ import annotations

import base64
from typing import Any

from neonize.proto import Neonize_pb2 as pb
from neonize.proto.waCommon.WACommon_pb2 import MessageKey
from neonize.proto.waE2E import WAWebProtobufsE2E_pb2 as e2e

from gateway.engines.base import EngineResources, InboundMessage
from gateway.engines.web.fake_neonize import jid
from gateway.engines.web.process import ChildProcess
from gateway.engines.web.protocol import EVENT_DATA
from tests.engines.web.test_engine import linked, resources, running, web_engine
from tests.media import samples
from tests.waiting import eventually

__all__ = ["resources"]  # the fixture, used by name

ADA = "12025550111"
ADA_LID = "184467440737095"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


async def happen(child: ChildProcess, event: Any) -> None:
    """``event`` as WhatsApp would cause it, in the child (partial: the fields left out of
    neonize's proto2 messages are required only on paper)."""
    await child.call(
        "fake_event", event=type(event).__name__, data_b64=_b64(event.SerializePartialToString())
    )


def received(content: e2e.Message, message_id: str) -> pb.Message:
    source = pb.MessageSource(Chat=jid(ADA_LID, "lid"), Sender=jid(ADA_LID, "lid"),
                              SenderAlt=jid(ADA), IsFromMe=False, IsGroup=False)  # fmt: skip
    info = pb.MessageInfo(MessageSource=source, ID=message_id, Pushname="Ada",
                          Timestamp=1_736_933_462_000)  # fmt: skip
    return pb.Message(Info=info, Message=content)


def test_every_inbound_event_is_on_the_protocol() -> None:
    expected = {"message_received", "message_edited", "message_revoked", "presence",
                "group_changed", "call_received"}  # fmt: skip
    assert expected <= set(EVENT_DATA)


async def test_a_received_photo_reaches_the_host_with_its_bytes(resources: EngineResources) -> None:
    engine, events = web_engine(resources, auto_link=True)
    async with running(engine):
        await linked(events)
        child, workdir = engine._child, engine._workdir
        assert child is not None
        assert workdir is not None
        await child.call(
            "fake_put_media", direct_path="/v/t62/photo.enc", content_b64=_b64(samples.PNG)
        )
        image = e2e.ImageMessage(
            directPath="/v/t62/photo.enc", mimetype="image/png", caption="Here"
        )
        await happen(child, received(e2e.Message(imageMessage=image), "3A0000000000000001"))

        async def arrived() -> list[InboundMessage]:
            return list(events.received)

        [message] = await eventually(arrived, bool)
        assert (message.type, message.from_id, message.from_lid) == (
            "image",
            f"{ADA}@c.us",
            f"{ADA_LID}@lid",
        )
        assert message.media is not None
        assert (message.media.mime_type, message.media.caption) == ("image/png", "Here")
        assert events.media["3A0000000000000001"] == samples.PNG
        assert not list((workdir / "received").iterdir())  # taken by the host


async def test_edits_presences_and_calls_reach_the_host(resources: EngineResources) -> None:
    engine, events = web_engine(resources, auto_link=True)
    async with running(engine):
        await linked(events)
        child = engine._child
        assert child is not None
        key = MessageKey(remoteJID=f"{ADA_LID}@lid", ID="3A0000000000000001")
        edit = e2e.ProtocolMessage(type=e2e.ProtocolMessage.MESSAGE_EDIT, key=key,
                                   editedMessage=e2e.Message(conversation="edited"))  # fmt: skip
        await happen(child, received(e2e.Message(protocolMessage=edit), "3A0000000000000002"))
        source = pb.MessageSource(Chat=jid(ADA), Sender=jid(ADA))
        await happen(child, pb.ChatPresence(MessageSource=source, State=pb.ChatPresence.COMPOSING,
                                            Media=pb.ChatPresence.AUDIO))  # fmt: skip
        meta = pb.BasicCallMeta(callCreator=jid(ADA), callID="CALL1", timestamp=1_736_933_462)
        await happen(child, pb.CallOffer(basicCallMeta=meta, data=pb.Node(Tag="offer")))

        async def heard() -> tuple[int, int, int]:
            return len(events.edits), len(events.presences), len(events.calls)

        await eventually(heard, lambda counts: counts == (1, 1, 1))
        assert (events.edits[0].engine_message_id, events.edits[0].text) == (
            "3A0000000000000001",
            "edited",
        )
        assert events.presences[0].presence == "recording"
        assert (events.calls[0].call_id, events.calls[0].from_id) == ("CALL1", f"{ADA}@c.us")


async def test_a_failed_download_still_delivers_the_message(resources: EngineResources) -> None:
    engine, events = web_engine(resources, auto_link=True)
    async with running(engine):
        await linked(events)
        child = engine._child
        assert child is not None
        audio = e2e.AudioMessage(directPath="/v/t62/never-put.enc", PTT=True)
        await happen(child, received(e2e.Message(audioMessage=audio), "3A0000000000000003"))

        async def arrived() -> list[InboundMessage]:
            return list(events.received)

        [message] = await eventually(arrived, bool)
        assert (message.type, message.voice) == ("audio", True)
        assert message.raw is not None
        assert "404" in message.raw["media_error"]
        assert events.media["3A0000000000000003"] is None
