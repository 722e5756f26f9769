"""What the session receives, child side: neonize's protobuf events, as whatsmeow gives
them, through ``neonize_inbound``'s handlers, into the protocol's events (over the fake
of neonize's client, which serves downloads)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from neonize.proto import Neonize_pb2 as pb
from neonize.proto.waCommon.WACommon_pb2 import MessageKey
from neonize.proto.waE2E import WAWebProtobufsE2E_pb2 as e2e

from gateway.engines.records import GroupJoined, GroupLeft, GroupParticipantsChanged
from gateway.engines.web.event_data import EventData
from gateway.engines.web.fake_neonize import FakeNewAClient, jid
from gateway.engines.web.inbound_events import (
    CallReceivedData,
    GroupChangedData,
    MessageEditedData,
    MessageReceivedData,
    MessageRevokedData,
    PresenceData,
    notification_key,
)
from gateway.engines.web.neonize_inbound import HANDLERS
from gateway.engines.web.neonize_ops import OpContext
from gateway.engines.web.protocol import Event, MeData

ME = "12025550123"
ADA = "12025550111"
ADA_LID = "184467440737095"
GROUP = "120363012345678901"
SENT_AT_MS = 1_736_933_462_000  # 2025-01-15T09:31:02Z, as neonize gives it (milliseconds)
SENT_AT = datetime(2025, 1, 15, 9, 31, 2, tzinfo=UTC)
# neonize gives a group's creation time as a float32: a time it can hold exactly.
CREATED_AT_S = 1_736_933_376


@pytest.fixture
def library(device_store: str) -> FakeNewAClient:
    client = FakeNewAClient(device_store, uuid="ses_inbound")
    client.me_jid, client.me_lid = jid(ME), jid("99887766554433", "lid")
    return client


@pytest.fixture
def ctx(library: FakeNewAClient, tmp_path: Path) -> OpContext:
    me = MeData(id=f"{ME}@c.us", phone_number=f"+{ME}", push_name="Shop")
    return OpContext(client=library, me=me, workdir=tmp_path)


async def handle(ctx: OpContext, event: Any) -> list[EventData]:
    """``event`` through the handler the adapter registers for it, and each event it
    makes through the line protocol, as the host will read it."""
    name = {"GroupInfoEvent": "GroupInfoEv"}.get(type(event).__name__, f"{type(event).__name__}Ev")
    events = await HANDLERS[name](ctx, event)
    for data in events:
        assert Event.of(data).parsed() == data
    return events


def received(
    content: e2e.Message,
    *,
    sender: pb.JID | None = None,
    alt: pb.JID | None = None,
    chat: pb.JID | None = None,
    message_id: str = "3A0000000000000001",
    **fields: Any,
) -> pb.Message:
    sender = sender or jid(ADA)
    source = pb.MessageSource(Chat=chat or sender, Sender=sender, IsFromMe=False,
                              IsGroup=chat is not None and chat.Server == "g.us")  # fmt: skip
    if alt is not None:
        source.SenderAlt.CopyFrom(alt)
    info = pb.MessageInfo(MessageSource=source, ID=message_id, Pushname="Ada",
                          Timestamp=SENT_AT_MS, Edit=fields.pop("edit", ""))  # fmt: skip
    return pb.Message(Info=info, Message=content, **fields)


async def one_message(ctx: OpContext, event: pb.Message) -> MessageReceivedData:
    events = await handle(ctx, event)
    [data] = events
    assert isinstance(data, MessageReceivedData), events
    return data


# -- senders --------------------------------------------------------------------------------


async def test_a_text_carries_the_senders_number_and_lid(ctx: OpContext) -> None:
    event = received(e2e.Message(conversation="Hi, is my order on its way?"),
                     alt=jid(ADA_LID, "lid", device=0))  # fmt: skip
    data = await one_message(ctx, event)
    assert (data.message_id, data.chat_id, data.from_id) == (
        "3A0000000000000001",
        f"{ADA}@c.us",
        f"{ADA}@c.us",
    )
    assert (data.from_phone_number, data.from_lid, data.from_name) == (
        f"+{ADA}",
        f"{ADA_LID}@lid",
        "Ada",
    )
    assert (data.message_type, data.text, data.group_id) == (
        "text",
        "Hi, is my order on its way?",
        None,
    )
    assert data.timestamp == SENT_AT  # milliseconds, read as such


async def test_a_lid_addressed_sender_is_named_by_its_number_when_whatsapp_gives_it(
    ctx: OpContext,
) -> None:
    event = received(e2e.Message(conversation="hi"), sender=jid(ADA_LID, "lid"), alt=jid(ADA))
    data = await one_message(ctx, event)
    assert (data.chat_id, data.from_id, data.from_lid) == (
        f"{ADA}@c.us",
        f"{ADA}@c.us",
        f"{ADA_LID}@lid",
    )


async def test_a_lid_only_sender_is_named_by_its_lid(ctx: OpContext) -> None:
    data = await one_message(
        ctx, received(e2e.Message(conversation="hi"), sender=jid(ADA_LID, "lid"))
    )
    assert (data.chat_id, data.from_id, data.from_phone_number, data.from_lid) == (
        f"{ADA_LID}@lid",
        f"{ADA_LID}@lid",
        None,
        f"{ADA_LID}@lid",
    )


async def test_a_group_message_names_the_group_and_the_participant(ctx: OpContext) -> None:
    quoted = e2e.ContextInfo(stanzaID="3EB0QUOTED", participant=f"{ME}@s.whatsapp.net",
                             mentionedJID=[f"{ME}@s.whatsapp.net"])  # fmt: skip
    content = e2e.Message(
        extendedTextMessage=e2e.ExtendedTextMessage(text="@Shop yes", contextInfo=quoted)
    )
    event = received(content, sender=jid(ADA, device=3), chat=jid(GROUP, "g.us"))
    data = await one_message(ctx, event)
    assert (data.chat_id, data.group_id, data.from_id) == (
        f"{GROUP}@g.us",
        f"{GROUP}@g.us",
        f"{ADA}@c.us",
    )
    assert (data.text, data.quoted_message_id) == ("@Shop yes", "3EB0QUOTED")
    assert data.raw is not None
    assert data.raw["quoted"] == {"message_id": "3EB0QUOTED", "participant": f"{ME}@s.whatsapp.net"}
    assert data.raw["mentions"] == [f"{ME}@c.us"]


async def test_the_sessions_own_messages_and_key_distribution_are_not_reported(
    ctx: OpContext,
) -> None:
    own = received(e2e.Message(conversation="sent from the phone"))
    own.Info.MessageSource.IsFromMe = True
    keys = received(
        e2e.Message(senderKeyDistributionMessage=e2e.SenderKeyDistributionMessage(groupID="g"))
    )
    status = received(e2e.Message(conversation="a status post"), chat=jid("status", "broadcast"))
    assert [await handle(ctx, event) for event in (own, keys, status)] == [[], [], []]


# -- files ----------------------------------------------------------------------------------


async def test_an_image_is_downloaded_into_the_sessions_directory(
    ctx: OpContext, library: FakeNewAClient, tmp_path: Path
) -> None:
    library.blobs["/v/t62/image.enc"] = b"\xff\xd8 a photo"
    image = e2e.ImageMessage(
        directPath="/v/t62/image.enc", mimetype="image/jpeg", caption="The parcel"
    )
    data = await one_message(ctx, received(e2e.Message(imageMessage=image), IsViewOnce=True))
    assert data.message_type == "image"
    assert data.media is not None
    assert (data.media.mime_type, data.media.caption, data.media.error) == (
        "image/jpeg",
        "The parcel",
        None,
    )
    assert data.media.path is not None
    path = Path(data.media.path)
    assert path.is_relative_to(tmp_path)
    assert path.read_bytes() == b"\xff\xd8 a photo"  # noqa: ASYNC240 - a test's look
    assert data.raw == {"kind": "imageMessage", "view_once": True}


async def test_a_failed_download_still_delivers_the_message_with_a_note(ctx: OpContext) -> None:
    document = e2e.DocumentMessage(directPath="/v/t62/gone.enc", mimetype="application/pdf",
                                   fileName="invoice.pdf", caption="Invoice")  # fmt: skip
    data = await one_message(ctx, received(e2e.Message(documentMessage=document)))
    assert data.message_type == "document"
    assert data.media is not None
    assert (data.media.path, data.media.filename, data.media.caption) == (
        None,
        "invoice.pdf",
        "Invoice",
    )
    assert data.media.error is not None
    assert "404" in data.media.error
    assert data.raw is not None
    assert data.raw["media_error"] == data.media.error


async def test_a_voice_note_is_audio_marked_voice(ctx: OpContext, library: FakeNewAClient) -> None:
    library.blobs["/v/voice.enc"] = b"OggS voice"
    audio = e2e.AudioMessage(directPath="/v/voice.enc", mimetype="audio/ogg; codecs=opus", PTT=True)
    data = await one_message(ctx, received(e2e.Message(audioMessage=audio)))
    assert (data.message_type, data.voice) == ("audio", True)
    assert data.media is not None
    assert data.media.mime_type == "audio/ogg; codecs=opus"


@pytest.mark.parametrize(
    ("field", "body", "kind", "mime_type"),
    [
        (
            "videoMessage",
            e2e.VideoMessage(directPath="/v/a.enc", caption="c"),
            "video",
            "video/mp4",
        ),
        ("ptvMessage", e2e.VideoMessage(directPath="/v/a.enc"), "video", "video/mp4"),
        ("stickerMessage", e2e.StickerMessage(directPath="/v/a.enc"), "sticker", "image/webp"),
    ],
)
async def test_other_files_take_their_type(
    ctx: OpContext, library: FakeNewAClient, field: str, body: Any, kind: str, mime_type: str
) -> None:
    library.blobs["/v/a.enc"] = b"bytes"
    data = await one_message(ctx, received(e2e.Message(**{field: body})))
    assert data.message_type == kind
    assert data.media is not None
    assert (data.media.mime_type, data.media.path is not None) == (mime_type, True)


# -- other kinds ----------------------------------------------------------------------------


async def test_a_location(ctx: OpContext) -> None:
    location = e2e.LocationMessage(degreesLatitude=48.8584, degreesLongitude=2.2945,
                                   name="Tour Eiffel", address="Champ de Mars")  # fmt: skip
    data = await one_message(ctx, received(e2e.Message(locationMessage=location)))
    assert data.message_type == "location"
    assert data.location == {"latitude": 48.8584, "longitude": 2.2945, "name": "Tour Eiffel",
                             "address": "Champ de Mars", "url": None}  # fmt: skip


async def test_shared_contacts_keep_their_vcards_and_numbers(ctx: OpContext) -> None:
    vcard = ("BEGIN:VCARD\nVERSION:3.0\nFN:Lin\n"
             "item1.TEL;waid=12025550121:+1 202-555-0121\nEND:VCARD")  # fmt: skip
    cards = e2e.ContactsArrayMessage(contacts=[e2e.ContactMessage(displayName="Lin", vcard=vcard)])
    data = await one_message(ctx, received(e2e.Message(contactsArrayMessage=cards)))
    assert data.message_type == "contact"
    phones = [{"phone": "+1 202-555-0121", "wa_id": "12025550121"}]
    assert data.contacts == [{"name": "Lin", "vcard": vcard, "phones": phones}]


async def test_a_reaction_names_the_message_reacted_to(ctx: OpContext) -> None:
    key = MessageKey(remoteJID=f"{ADA}@s.whatsapp.net", fromMe=True, ID="3EB0MINE")
    reaction = e2e.ReactionMessage(key=key, text="👍", senderTimestampMS=SENT_AT_MS)
    data = await one_message(ctx, received(e2e.Message(reactionMessage=reaction)))
    assert data.message_type == "reaction"
    assert data.reaction == {"engine_message_id": "3EB0MINE", "message_id": None, "emoji": "👍"}


async def test_a_poll_is_its_question_with_the_options_in_raw(ctx: OpContext) -> None:
    poll = e2e.PollCreationMessage(
        name="Delivery slot?", selectableOptionsCount=1,
        options=[e2e.PollCreationMessage.Option(optionName=o) for o in ("Morning", "Evening")],
    )  # fmt: skip
    data = await one_message(ctx, received(e2e.Message(pollCreationMessageV3=poll)))
    assert (data.message_type, data.text) == ("poll", "Delivery slot?")
    assert data.raw is not None
    assert data.raw["poll"] == {"question": "Delivery slot?", "options": ["Morning", "Evening"],
                                "multiple_answers": False}  # fmt: skip


# -- edits and deletions --------------------------------------------------------------------


def _protocol(kind: Any, target: str, **fields: Any) -> e2e.Message:
    key = MessageKey(remoteJID=f"{ADA}@s.whatsapp.net", fromMe=False, ID=target)
    return e2e.Message(protocolMessage=e2e.ProtocolMessage(type=kind, key=key, **fields))


async def test_an_edit_is_its_own_event(ctx: OpContext) -> None:
    edit = _protocol(e2e.ProtocolMessage.MESSAGE_EDIT, "3A0000000000000001",
                     editedMessage=e2e.Message(conversation="Is my order on its way? (2)"),
                     timestampMS=SENT_AT_MS + 60_000)  # fmt: skip
    events = await handle(
        ctx, received(edit, message_id="3A0000000000000009", IsEdit=True, edit="1")
    )
    assert events == [
        MessageEditedData(
            from_id=f"{ADA}@c.us",
            from_phone_number=f"+{ADA}",
            from_name="Ada",
            message_id="3A0000000000000001",
            chat_id=f"{ADA}@c.us",
            text="Is my order on its way? (2)",
            edited_at=datetime(2025, 1, 15, 9, 32, 2, tzinfo=UTC),
        )
    ]


async def test_a_deletion_for_everyone_is_its_own_event(ctx: OpContext) -> None:
    revoke = _protocol(e2e.ProtocolMessage.REVOKE, "3A0000000000000001")
    events = await handle(ctx, received(revoke, message_id="3A0000000000000010", edit="7"))
    assert len(events) == 1
    assert isinstance(events[0], MessageRevokedData)
    assert (events[0].message_id, events[0].by_admin, events[0].revoked_at) == (
        "3A0000000000000001",
        False,
        SENT_AT,
    )


async def test_an_admin_deleting_in_a_group_is_said(ctx: OpContext) -> None:
    revoke = _protocol(e2e.ProtocolMessage.REVOKE, "3A0000000000000001")
    event = received(revoke, chat=jid(GROUP, "g.us"), message_id="3A0000000000000011", edit="8")
    [data] = await handle(ctx, event)
    assert isinstance(data, MessageRevokedData)
    assert (data.chat_id, data.by_admin) == (f"{GROUP}@g.us", True)


async def test_other_protocol_messages_are_not_reported(ctx: OpContext) -> None:
    sync = _protocol(e2e.ProtocolMessage.HISTORY_SYNC_NOTIFICATION, "")
    assert await handle(ctx, received(sync)) == []


# -- presences ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "media", "presence"),
    [
        (pb.ChatPresence.COMPOSING, pb.ChatPresence.TEXT, "composing"),
        (pb.ChatPresence.COMPOSING, pb.ChatPresence.AUDIO, "recording"),
        (pb.ChatPresence.PAUSED, pb.ChatPresence.TEXT, "paused"),
    ],
)
async def test_typing_and_recording(ctx: OpContext, state: Any, media: Any, presence: str) -> None:
    source = pb.MessageSource(Chat=jid(GROUP, "g.us"), Sender=jid(ADA_LID, "lid"), IsGroup=True)
    events = await handle(ctx, pb.ChatPresence(MessageSource=source, State=state, Media=media))
    assert events == [PresenceData(chat_id=f"{GROUP}@g.us", participant_id=f"{ADA_LID}@lid",
                                   presence=presence)]  # fmt: skip


async def test_online_and_last_seen(ctx: OpContext) -> None:
    online = await handle(ctx, pb.Presence(From=jid(ADA), Unavailable=False))
    seen = await handle(ctx, pb.Presence(From=jid(ADA), Unavailable=True, LastSeen=1_736_933_462))
    hidden = await handle(ctx, pb.Presence(From=jid(ADA), Unavailable=True, LastSeen=-62135596800))
    ada = f"{ADA}@c.us"
    assert online == [PresenceData(chat_id=ada, participant_id=ada, presence="available")]
    assert seen == [PresenceData(chat_id=ada, participant_id=ada, presence="unavailable",
                                 last_seen_at=SENT_AT,
                                 key=notification_key("presence", ada, SENT_AT))]  # fmt: skip
    assert hidden == [PresenceData(chat_id=ada, participant_id=ada, presence="unavailable")]


# -- calls ----------------------------------------------------------------------------------


async def test_a_video_call_to_the_session(ctx: OpContext) -> None:
    meta = pb.BasicCallMeta(callCreator=jid(ADA_LID, "lid"), callCreatorAlt=jid(ADA),
                            timestamp=1_736_933_462, callID="CALL1")  # fmt: skip
    getattr(meta, "from").CopyFrom(jid(ADA_LID, "lid", device=2))
    offer = pb.Node(Tag="offer", Nodes=[pb.Node(Tag="audio"), pb.Node(Tag="video")])
    events = await handle(ctx, pb.CallOffer(basicCallMeta=meta, data=offer))
    assert events == [
        CallReceivedData(
            from_id=f"{ADA}@c.us",
            from_phone_number=f"+{ADA}",
            from_lid=f"{ADA_LID}@lid",
            call_id="CALL1",
            chat_id=f"{ADA}@c.us",
            video=True,
            offered_at=SENT_AT,
            key=notification_key("call", "CALL1", "offer"),
        )
    ]


async def test_a_group_call(ctx: OpContext) -> None:
    meta = pb.BasicCallMeta(callCreator=jid(ADA), timestamp=1_736_933_462, callID="CALL2")
    node = pb.Node(Tag="offer", Attrs=[pb.NodeAttrs(name="group-jid", jid=jid(GROUP, "g.us"))])
    [data] = await handle(
        ctx, pb.CallOfferNotice(basicCallMeta=meta, media="audio", type="group", data=node)
    )
    assert isinstance(data, CallReceivedData)
    assert (data.chat_id, data.group_id, data.from_id, data.video) == (
        f"{GROUP}@g.us",
        f"{GROUP}@g.us",
        f"{ADA}@c.us",
        False,
    )


# -- groups ---------------------------------------------------------------------------------


def _group_info() -> pb.GroupInfo:
    return pb.GroupInfo(
        JID=jid(GROUP, "g.us"), OwnerJID=jid(ADA), GroupName=pb.GroupName(Name="Order 1042"),
        GroupTopic=pb.GroupTopic(Topic="Deliveries"),
        GroupAnnounce=pb.GroupAnnounce(IsAnnounce=True),
        GroupCreated=CREATED_AT_S,
        Participants=[
            pb.GroupParticipant(JID=jid(ADA), LID=jid(ADA_LID, "lid"), IsAdmin=True,
                                IsSuperAdmin=True),
            pb.GroupParticipant(JID=jid("99887766554433", "lid"), PhoneNumber=jid(ME)),
        ],
    )  # fmt: skip


def _changes(events: list[EventData]) -> list[Any]:
    assert all(isinstance(data, GroupChangedData) for data in events)
    return [data.group_change() for data in events if isinstance(data, GroupChangedData)]


async def test_added_to_a_group(ctx: OpContext) -> None:
    event = pb.JoinedGroup(Reason="", Type="", GroupInfo=_group_info(), Sender=jid(ADA))
    [joined] = _changes(await handle(ctx, event))
    assert isinstance(joined, GroupJoined)
    assert (joined.via, joined.by, joined.group.subject) == ("added", f"{ADA}@c.us", "Order 1042")
    group = joined.group
    assert (group.description, group.owner, group.created_at) == (
        "Deliveries",
        f"{ADA}@c.us",
        datetime.fromtimestamp(CREATED_AT_S, UTC),
    )
    assert (group.settings.only_admins_send, group.settings.only_admins_edit_info) == (True, False)
    assert [(p.id, p.phone_number, p.lid, p.role) for p in group.participants] == [
        (f"{ADA}@c.us", f"+{ADA}", f"{ADA_LID}@lid", "superadmin"),
        (f"{ME}@c.us", f"+{ME}", "99887766554433@lid", "member"),
    ]


async def test_joined_by_invite(ctx: OpContext) -> None:
    [joined] = _changes(await handle(ctx, pb.JoinedGroup(Reason="invite", GroupInfo=_group_info())))
    assert isinstance(joined, GroupJoined)
    assert joined.via == "invite"


async def test_participants_added_promoted_and_leaving(ctx: OpContext) -> None:
    event = pb.GroupInfoEvent(JID=jid(GROUP, "g.us"), Sender=jid(ADA), Timestamp=1_736_933_462,
                              Join=[jid("12025550199")], Promote=[jid("12025550188")])  # fmt: skip
    added, promoted = _changes(await handle(ctx, event))
    assert isinstance(added, GroupParticipantsChanged)
    assert isinstance(promoted, GroupParticipantsChanged)
    assert (added.action, added.by, [p.id for p in added.participants]) == (
        "add",
        f"{ADA}@c.us",
        ["12025550199@c.us"],
    )
    assert (promoted.action, [p.role for p in promoted.participants]) == ("promote", ["admin"])
    left = pb.GroupInfoEvent(
        JID=jid(GROUP, "g.us"), Sender=jid(ADA_LID, "lid"), Leave=[jid(ADA_LID, "lid")]
    )
    [leaving] = _changes(await handle(ctx, left))
    assert isinstance(leaving, GroupParticipantsChanged)
    assert (leaving.action, leaving.participants[0].lid) == ("leave", f"{ADA_LID}@lid")


async def test_a_notification_delivered_again_has_the_same_keys(ctx: OpContext) -> None:
    """Keys come from what WhatsApp sent (the group, its timestamp, the change), so one
    delivered again after a crash makes no second event; each change of a notification,
    and a later alike notification, is another."""

    def info(timestamp: int) -> pb.GroupInfoEvent:
        return pb.GroupInfoEvent(
            JID=jid(GROUP, "g.us"), Sender=jid(ADA), Timestamp=timestamp,
            Join=[jid("12025550199")], Promote=[jid("12025550188")],
        )  # fmt: skip

    def keys(events: list[EventData]) -> list[str | None]:
        return [data.key for data in events if isinstance(data, GroupChangedData)]

    first, again = (
        keys(await handle(ctx, info(1_736_933_462))),
        keys(await handle(ctx, info(1_736_933_462))),
    )
    later = keys(await handle(ctx, info(1_736_933_999)))
    assert first == again
    assert len(set(first)) == 2
    assert None not in first
    assert not set(later) & set(first)
    undated = pb.GroupInfoEvent(JID=jid(GROUP, "g.us"), Sender=jid(ADA), Join=[jid("12025550199")])
    assert keys(await handle(ctx, undated)) == [None]  # nothing tells it from a later one
    info_pv = _group_info()
    info_pv.ParticipantVersionID = "v1"
    joined = pb.JoinedGroup(Reason="", Type="", GroupInfo=info_pv, Sender=jid(ADA))
    assert keys(await handle(ctx, joined)) == keys(await handle(ctx, joined)) != [None]


async def test_removed_from_a_group_by_its_lid(ctx: OpContext) -> None:
    event = pb.GroupInfoEvent(
        JID=jid(GROUP, "g.us"), Sender=jid(ADA), Leave=[jid("99887766554433", "lid")]
    )
    [left] = _changes(await handle(ctx, event))
    assert isinstance(left, GroupLeft)
    assert (left.reason, left.group_id, left.by) == ("removed", f"{GROUP}@g.us", f"{ADA}@c.us")


async def test_a_subject_change_whose_group_cannot_be_read_is_not_reported(
    ctx: OpContext, library: FakeNewAClient
) -> None:
    library._failures["get_group_info"] = ["info query timed out"]
    event = pb.GroupInfoEvent(
        JID=jid(GROUP, "g.us"), Sender=jid(ADA), Name=pb.GroupName(Name="New")
    )
    assert await handle(ctx, event) == []
