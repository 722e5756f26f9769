"""``WebEngine``'s chats over a real child running the fake neonize client: the list a
history sync brings, as the API answers it; what received messages do to it; the
app-state patches that archive, mark unread and delete, as WhatsApp receives them."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from neonize.proto import Neonize_pb2 as pb
from neonize.proto.waCommon.WACommon_pb2 import MessageKey
from neonize.proto.waE2E.WAWebProtobufsE2E_pb2 import Message
from neonize.proto.waHistorySync import WAWebProtobufsHistorySync_pb2 as history
from neonize.proto.waWeb.WAWebProtobufsWeb_pb2 import WebMessageInfo

from gateway.engines.base import Capability, EngineResources, InboundMessage
from gateway.engines.web.chats import ChatChangesUndeliverable, record_read
from gateway.engines.web.clients import ClientError
from gateway.engines.web.engine import WebEngine
from gateway.engines.web.neonize_chats import archive_chat
from gateway.engines.web.neonize_ops import OpContext
from gateway.kit.errors import NotFound
from gateway.messages.receiving import record_inbound_message
from gateway.models import Session
from tests.engines.web.conftest import store_web_session
from tests.engines.web.test_engine import Recorder, linked, running, web_engine
from tests.engines.web.test_engine import resources as resources  # the fixture
from tests.waiting import eventually

ADA, GROUP, LIN = "12025550111@c.us", "120363025246125888@g.us", "12025550121@c.us"
ADA_JID, BOB_JID = "12025550111@s.whatsapp.net", "12025550177@s.whatsapp.net"
LIN_LID = "184467440737096@lid"
EARLY, LATER, LATEST = 1736930000, 1736933600, 1736937200  # seconds, 2025-01-15


class StoringRecorder(Recorder):
    """A recorder that stores received messages as the host does (``messages`` rows)."""

    def __init__(self, resources: EngineResources, session_id: str) -> None:
        super().__init__()
        self.resources, self.session_id = resources, session_id

    async def message_received(
        self, message: InboundMessage, *, media_content: bytes | None = None
    ) -> None:
        async with self.resources.sessionmaker() as db:
            session = await db.get(Session, self.session_id)
            assert session is not None
            await record_inbound_message(db, self.resources.settings, session, message)
            await db.commit()
        await super().message_received(message, media_content=media_content)


@pytest.fixture
async def engine(resources: EngineResources) -> AsyncIterator[WebEngine]:
    engine, _ = web_engine(resources, auto_link=True)
    events = StoringRecorder(resources, engine.session.id)
    engine.events = events
    async with running(engine):
        await linked(events)
        yield engine


async def fake(engine: WebEngine, op: str, **args: Any) -> Any:
    assert engine._child is not None
    return await engine._child.call(op, **args)


def _entry(remote: str, message_id: str, at: int, text: str, *, from_me: bool = False,
           participant: str = "") -> history.HistorySyncMsg:  # fmt: skip
    key = MessageKey(remoteJID=remote, fromMe=from_me, ID=message_id, participant=participant)
    info = WebMessageInfo(key=key, messageTimestamp=at, message=Message(conversation=text))
    return history.HistorySyncMsg(message=info)


def phone_history() -> pb.HistorySync:
    """What a phone sends a newly linked device: three chats, a status feed."""
    ada = history.Conversation(
        ID=ADA_JID, unreadCount=2, conversationTimestamp=LATER,
        messages=[_entry(ADA_JID, "3A10", EARLY, "Hello"),
                  _entry(ADA_JID, "3A11", LATER, "See you at 5")],
    )  # fmt: skip
    group = history.Conversation(
        ID=GROUP, name="Book club", archived=True, pinned=EARLY, conversationTimestamp=EARLY,
        messages=[_entry(GROUP, "3A20", EARLY, "Chapter 3?", participant=BOB_JID)],
    )  # fmt: skip
    lin = history.Conversation(
        ID=LIN_LID, pnJID="12025550121@s.whatsapp.net", markedAsUnread=True,
        conversationTimestamp=LATEST,
        messages=[_entry(LIN_LID, "3EB0AA", LATEST, "On my way", from_me=True)],
    )  # fmt: skip
    status = history.Conversation(ID="status@broadcast", conversationTimestamp=LATEST)
    data = history.HistorySync(
        syncType=history.HistorySync.INITIAL_BOOTSTRAP,
        conversations=[ada, group, lin, status],
        pushnames=[history.Pushname(ID=ADA_JID, pushname="Ada")],
    )
    return pb.HistorySync(Data=data)


async def sync_history(engine: WebEngine, event: pb.HistorySync) -> None:
    data_b64 = base64.b64encode(event.SerializeToString()).decode()
    await fake(engine, "fake_event", event="HistorySync", data_b64=data_b64)
    await eventually(engine.chats, lambda chats: len(chats) >= len(event.Data.conversations) - 1)


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


async def patches(engine: WebEngine) -> list[dict[str, Any]]:
    calls = (await fake(engine, "fake_calls"))["calls"]
    sent = [call["args"]["patch_info"] for call in calls if call["method"] == "send_app_state"]
    for patch in sent:  # when it was made: neonize hands it to Go as nanoseconds
        assert abs(int(patch.pop("Timestamp")) / 1e9 - datetime.now(UTC).timestamp()) < 60
    return sent


async def test_chats_are_offered_not_their_changes() -> None:
    assert WebEngine.supports(Capability.chats, {})
    assert not WebEngine.supports(Capability.chats_manage, {})


async def test_a_history_sync_fills_the_chat_list(engine: WebEngine) -> None:
    await sync_history(engine, phone_history())
    chats = [chat.model_dump(mode="json") for chat in await engine.chats()]
    assert chats == [
        {
            "object": "chat", "id": LIN, "name": None, "is_group": False, "unread_count": 0,
            "marked_unread": True, "archived": False, "last_activity_at": "2025-01-15T10:33:20Z",
            "last_message": {"id": None, "engine_message_id": "3EB0AA", "from_me": True,
                             "from_id": None, "type": "text", "text": "On my way",
                             "timestamp": "2025-01-15T10:33:20Z"},
        },
        {
            "object": "chat", "id": ADA, "name": "Ada", "is_group": False, "unread_count": 2,
            "marked_unread": False, "archived": False, "last_activity_at": "2025-01-15T09:33:20Z",
            "last_message": {"id": None, "engine_message_id": "3A11", "from_me": False,
                             "from_id": ADA, "type": "text", "text": "See you at 5",
                             "timestamp": "2025-01-15T09:33:20Z"},
        },
        {
            "object": "chat", "id": GROUP, "name": "Book club", "is_group": True,
            "unread_count": 0, "marked_unread": False, "archived": True,
            "last_activity_at": "2025-01-15T08:33:20Z",
            "last_message": {"id": None, "engine_message_id": "3A20", "from_me": False,
                             "from_id": "12025550177@c.us", "type": "text",
                             "text": "Chapter 3?", "timestamp": "2025-01-15T08:33:20Z"},
        },
    ]  # fmt: skip
    assert (await engine.chat(ADA)).model_dump(mode="json") == chats[1]


async def test_a_received_message_moves_its_chat_up_and_counts_unread(
    engine: WebEngine,
) -> None:
    await sync_history(engine, phone_history())
    await fake(engine, "fake_receive", chat_id=GROUP, from_id="12025550177@c.us",
               text="Chapter 4!", message_id="3A21")  # fmt: skip
    await fake(engine, "fake_receive", chat_id=ADA, text="Running late", message_id="3A12")

    def received(chats: list[Any]) -> bool:
        return [c.id for c in chats][:2] == [ADA, GROUP]

    chats = await eventually(engine.chats, received)
    ada, group = chats[0], chats[1]
    assert (ada.unread_count, ada.last_message and ada.last_message.text) == (3, "Running late")
    assert ada.last_message is not None
    assert ada.last_message.id is not None  # the gateway's record of it
    assert (group.unread_count, group.archived) == (1, True)  # archived chats stay archived
    assert group.last_message is not None
    assert group.last_message.from_id == "12025550177@c.us"
    await record_read(engine.resources, engine.session, ADA)
    assert (await engine.chat(ADA)).unread_count == 0
    await fake(engine, "fake_receive", chat_id=ADA, text="Still there?", message_id="3A13")
    assert (await eventually(lambda: engine.chat(ADA), lambda c: c.unread_count == 1)).last_message


async def test_a_chat_only_messages_know_shows_with_the_senders_name(engine: WebEngine) -> None:
    await fake(engine, "fake_receive", chat_id="12025550199@c.us", text="Hi", push_name="Zed")
    [chat] = await eventually(engine.chats, bool)
    assert (chat.id, chat.name, chat.unread_count, chat.archived) == (
        "12025550199@c.us", "Zed", 1, False
    )  # fmt: skip


async def test_archiving_sends_whatsmeows_patch_and_unpins(engine: WebEngine) -> None:
    await sync_history(engine, phone_history())
    archived = await engine.archive_chat(ADA, True)
    assert archived.archived is True
    unarchived = await engine.archive_chat(GROUP, False)
    assert unarchived.archived is False
    ada_range = {
        "lastMessageTimestamp": str(LATER),
        "messages": [{"key": {"remoteJID": ADA_JID, "fromMe": False, "ID": "3A11"},
                      "timestamp": str(LATER)}],
    }  # fmt: skip
    group_range = {
        "lastMessageTimestamp": str(EARLY),
        "messages": [{"key": {"remoteJID": GROUP, "fromMe": False, "ID": "3A20",
                              "participant": BOB_JID}, "timestamp": str(EARLY)}],
    }  # fmt: skip
    assert await patches(engine) == [
        {"Type": "REGULAR_LOW", "Mutations": [
            {"Index": ["archive", ADA_JID], "Version": 3,
             "Value": {"archiveChatAction": {"archived": True, "messageRange": ada_range}}},
            {"Index": ["pin_v1", ADA_JID], "Version": 5,
             "Value": {"pinAction": {"pinned": False}}},
        ]},
        {"Type": "REGULAR_LOW", "Mutations": [
            {"Index": ["archive", GROUP], "Version": 3,
             "Value": {"archiveChatAction": {"archived": False, "messageRange": group_range}}},
        ]},
    ]  # fmt: skip


async def test_marking_unread_and_deleting_send_whatsmeows_patches(engine: WebEngine) -> None:
    await sync_history(engine, phone_history())
    marked = await engine.mark_chat_unread(ADA)
    assert (marked.marked_unread, marked.unread_count) == (True, 2)
    await engine.delete_chat(LIN)  # LIN's chat is kept under the LID on the phone
    ada_range = {
        "lastMessageTimestamp": str(LATER),
        "messages": [{"key": {"remoteJID": ADA_JID, "fromMe": False, "ID": "3A11"},
                      "timestamp": str(LATER)}],
    }  # fmt: skip
    lin_range = {
        "lastMessageTimestamp": str(LATEST),
        "messages": [{"key": {"remoteJID": LIN_LID, "fromMe": True, "ID": "3EB0AA"},
                      "timestamp": str(LATEST)}],
    }  # fmt: skip
    [mark, delete] = await patches(engine)
    assert mark == {"Type": "REGULAR_LOW", "Mutations": [
        {"Index": ["markChatAsRead", ADA_JID], "Version": 3,
         "Value": {"markChatAsReadAction": {"read": False, "messageRange": ada_range}}},
    ]}  # fmt: skip
    assert delete == {"Type": "REGULAR_HIGH", "Mutations": [
        {"Index": ["deleteChat", LIN_LID, "0"], "Version": 6,
         "Value": {"deleteChatAction": {"messageRange": lin_range}}},
    ]}  # fmt: skip
    assert [c.id for c in await engine.chats()] == [ADA, GROUP]
    with pytest.raises(NotFound):
        await engine.chat(LIN)
    # The next message starts the chat again, with only what came after.
    await fake(engine, "fake_receive", chat_id=LIN, text="Hello again", message_id="3A30")
    lin = await eventually(lambda: engine.chats(), lambda chats: chats[0].id == LIN)
    assert (lin[0].unread_count, lin[0].marked_unread, lin[0].archived) == (1, False, False)
    assert lin[0].last_message is not None
    assert lin[0].last_message.text == "Hello again"


async def test_another_accounts_session_sees_none_of_it(
    engine: WebEngine, resources: EngineResources
) -> None:
    await sync_history(engine, phone_history())
    await fake(engine, "fake_receive", chat_id=ADA, text="Running late")
    await eventually(lambda: engine.chat(ADA), lambda chat: chat.unread_count == 3)
    other, _ = web_engine(resources, session=await store_web_session(resources.sessionmaker))
    assert await other.chats() == []
    with pytest.raises(NotFound):
        await other.chat(ADA)


async def test_an_unknown_chat_is_a_404(engine: WebEngine) -> None:
    for call in (
        engine.chat("12025550100@c.us"),
        engine.archive_chat("12025550100@c.us", True),
        engine.mark_chat_unread("12025550100@c.us"),
        engine.delete_chat("12025550100@c.us"),
    ):
        with pytest.raises(NotFound) as caught:
            await call
        assert (caught.value.status_code, caught.value.code, caught.value.param) == (
            404, "resource_missing", "chat_id"
        )  # fmt: skip
    assert await patches(engine) == []


class NeonizesClient:
    """Stands for neonize's own ``NewAClient`` (its module is what the op checks)."""

    async def send_app_state(self, patch_info: Any) -> None:
        raise AssertionError("nothing is sent")


NeonizesClient.__module__ = "neonize.aioze.client"


async def test_over_neonizes_client_a_change_is_a_501_saying_why(tmp_path: Path) -> None:
    context = OpContext(client=NeonizesClient(), me=None, workdir=tmp_path)
    with pytest.raises(ClientError) as caught:
        await archive_chat(context, {"whatsapp_jid": ADA_JID, "archived": True, "last": None})
    assert caught.value.code == "app_state_undeliverable"
    error = ChatChangesUndeliverable(str(caught.value.message))
    assert (error.status_code, error.code) == (501, "engine_unsupported")
    assert "collection name" in error.message
