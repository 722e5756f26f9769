"""The protobufs the web engine's child builds for each type of message, exactly, and its
messaging ops over the fake neonize client."""

from __future__ import annotations

import base64
import gc
import io
import subprocess
import time
import warnings
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from gateway.engines.web.clients import ClientError
from gateway.engines.web.protocol import MeData

with warnings.catch_warnings():
    # Importing neonize leaves `uname -a` pipes of its own open (neonize.utils.platform):
    # they are waited for and let go here, rather than failing whichever test comes next.
    warnings.simplefilter("ignore", ResourceWarning)
    from neonize.proto.waCommon.WACommon_pb2 import MessageKey
    from neonize.proto.waE2E.WAWebProtobufsE2E_pb2 import (
        AudioMessage,
        ContactMessage,
        ContactsArrayMessage,
        ContextInfo,
        DocumentMessage,
        ExtendedTextMessage,
        FutureProofMessage,
        ImageMessage,
        LocationMessage,
        Message,
        MessageContextInfo,
        PollCreationMessage,
        ProtocolMessage,
        ReactionMessage,
        StickerMessage,
        VideoMessage,
    )

    from gateway.engines.web.fake_neonize import FakeNewAClient
    from gateway.engines.web.neonize_messages import (
        MessageRef,
        contact_message,
        edit_message,
        link_preview,
        location_message,
        poll_message,
        reaction_message,
        revoke_message,
        text_message,
    )
    from gateway.engines.web.neonize_messaging import OPS, build
    from gateway.engines.web.neonize_ops import OpContext

    gc.collect()
    for leaked in list(subprocess._active or []):  # type: ignore[attr-defined]
        leaked.wait()
    subprocess._cleanup()  # type: ignore[attr-defined]
    gc.collect()

ME = MeData(id="12025550123@c.us", phone_number="+12025550123")
PERSON = "12025550199@c.us"
GROUP = "120363025246125486@g.us"
NOW_MS = 1_760_000_000_123
CARD = "BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nTEL;type=CELL;waid=447700900123:+44 7700 900123\nEND:VCARD"  # noqa: E501
OTHER_CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Charles\r\n  Babbage\r\nEND:VCARD"


@pytest.fixture
async def client(device_store: str) -> AsyncIterator[FakeNewAClient]:
    client = FakeNewAClient(device_store, uuid="ses_builders")
    yield client
    await client.stop()  # its receipts for what was sent, still to come
    await client.store.close()


@pytest.fixture
def ctx(client: FakeNewAClient, tmp_path: Path) -> OpContext:
    return OpContext(client=client, me=ME, workdir=tmp_path)


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(out, format="PNG")
    return out.getvalue()


def webp(*, animated: bool) -> bytes:
    out = io.BytesIO()
    first = Image.new("RGB", (64, 64), "red")
    if animated:
        second = Image.new("RGB", (64, 64), "blue")
        first.save(out, format="WEBP", save_all=True, append_images=[second], duration=100)
    else:
        first.save(out, format="WEBP")
    return out.getvalue()


def error_of(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, bool]:
    return exc.value.code, exc.value.transient


# -- text ---------------------------------------------------------------------------------


def test_a_text_is_a_conversation() -> None:
    content = {"text": "hello https://example.com", "link_preview": True, "mentions": []}
    assert text_message(content) == Message(conversation="hello https://example.com")


def test_mentions_make_an_extended_text_naming_them() -> None:
    content = {"text": "hi @12025550124", "mentions": ["+12025550124", "98765@lid", GROUP]}
    assert text_message(content) == Message(
        extendedTextMessage=ExtendedTextMessage(
            text="hi @12025550124",
            contextInfo=ContextInfo(
                mentionedJID=["12025550124@s.whatsapp.net", "98765@lid", f"{GROUP}"]
            ),
        )
    )


THUMBNAIL = {
    "JPEGThumbnail": b"\xff\xd8inline", "thumbnailDirectPath": "/v/t62.36244-24/abc.enc",
    "thumbnailSHA256": b"s" * 32, "thumbnailEncSHA256": b"e" * 32, "mediaKey": b"k" * 32,
    "mediaKeyTimestamp": 1_760_000_000, "thumbnailWidth": 800, "thumbnailHeight": 420,
}  # fmt: skip


def test_a_link_preview_is_an_extended_text_with_the_pages_title_and_thumbnail() -> None:
    content = {"text": "read https://example.com/post.", "link_preview": True, "mentions": []}
    preview = {"url": "https://example.com/post", "title": "A post", "description": "About it"}
    assert text_message(content, None, link_preview(preview, THUMBNAIL)) == Message(
        extendedTextMessage=ExtendedTextMessage(
            text="read https://example.com/post.", matchedText="https://example.com/post",
            title="A post", description="About it",
            previewType=ExtendedTextMessage.PreviewType.NONE,
            JPEGThumbnail=b"\xff\xd8inline", thumbnailDirectPath="/v/t62.36244-24/abc.enc",
            thumbnailSHA256=b"s" * 32, thumbnailEncSHA256=b"e" * 32, mediaKey=b"k" * 32,
            mediaKeyTimestamp=1_760_000_000, thumbnailWidth=800, thumbnailHeight=420,
        )
    )  # fmt: skip


def test_a_youtube_link_previews_as_a_video_beside_the_mentions() -> None:
    link = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    content = {"text": f"@12025550124 {link}", "mentions": ["+12025550124"]}
    preview = link_preview({"url": link, "title": "Video", "description": ""}, {})
    assert text_message(content, None, preview) == Message(
        extendedTextMessage=ExtendedTextMessage(
            text=f"@12025550124 {link}", matchedText=link, title="Video", description="",
            previewType=ExtendedTextMessage.PreviewType.VIDEO,
            contextInfo=ContextInfo(mentionedJID=["12025550124@s.whatsapp.net"]),
        )
    )  # fmt: skip


def test_a_mention_that_is_no_one_is_refused() -> None:
    with pytest.raises(ClientError) as exc:
        text_message({"text": "hi", "mentions": ["someone"]})
    assert error_of(exc) == ("invalid_mention", False)


async def test_a_reply_in_a_group_quotes_the_message_and_its_sender(ctx: OpContext) -> None:
    reply_to = {"message_id": "3A0001", "from_me": False, "sender": PERSON, "text": "ping"}
    message = await build(
        ctx, {"type": "text", "chat_id": GROUP, "content": {"text": "pong"}, "reply_to": reply_to}
    )
    assert message == Message(
        extendedTextMessage=ExtendedTextMessage(
            text="pong",
            contextInfo=ContextInfo(
                stanzaID="3A0001",
                participant="12025550199@s.whatsapp.net",
                quotedMessage=Message(conversation="ping"),
            ),
        )
    )


async def test_a_reply_to_the_sessions_own_message_names_the_session(ctx: OpContext) -> None:
    reply_to = {"message_id": "3EB0AA", "from_me": True, "sender": None, "text": None}
    message = await build(
        ctx, {"type": "text", "chat_id": PERSON, "content": {"text": "again"}, "reply_to": reply_to}
    )
    assert message == Message(
        extendedTextMessage=ExtendedTextMessage(
            text="again",
            contextInfo=ContextInfo(stanzaID="3EB0AA", participant="12025550123@s.whatsapp.net"),
        )
    )


# -- location, contacts, polls ------------------------------------------------------------


def test_a_location_with_and_without_its_name() -> None:
    assert location_message(
        {"latitude": 48.8584, "longitude": 2.2945, "name": "Eiffel Tower", "address": "Paris"}
    ) == Message(
        locationMessage=LocationMessage(
            degreesLatitude=48.8584, degreesLongitude=2.2945, name="Eiffel Tower", address="Paris"
        )
    )
    bare = location_message({"latitude": -33.9, "longitude": 18.4, "name": None, "address": None})
    assert bare == Message(
        locationMessage=LocationMessage(degreesLatitude=-33.9, degreesLongitude=18.4)
    )
    assert not bare.locationMessage.HasField("name")


def test_a_contact_is_shown_by_its_name_else_by_the_cards() -> None:
    assert contact_message({"vcard": CARD, "name": "Ada"}) == Message(
        contactMessage=ContactMessage(displayName="Ada", vcard=CARD)
    )
    assert contact_message({"vcard": CARD, "name": None}) == Message(
        contactMessage=ContactMessage(displayName="Ada Lovelace", vcard=CARD)
    )


def test_several_cards_are_a_contacts_array() -> None:
    assert contact_message({"vcard": f"{CARD}\n{OTHER_CARD}", "name": None}) == Message(
        contactsArrayMessage=ContactsArrayMessage(
            displayName="2 contacts",
            contacts=[
                ContactMessage(displayName="Ada Lovelace", vcard=CARD),
                ContactMessage(displayName="Charles Babbage", vcard=OTHER_CARD),
            ],
        )
    )


def test_a_poll_carries_its_secret_and_how_many_answers() -> None:
    secret = bytes(range(32))
    content = {"question": "Lunch?", "options": ["Pizza", "Sushi"], "multiple_answers": False}
    assert poll_message(content, secret) == Message(
        pollCreationMessage=PollCreationMessage(
            name="Lunch?",
            options=[
                PollCreationMessage.Option(optionName="Pizza"),
                PollCreationMessage.Option(optionName="Sushi"),
            ],
            selectableOptionsCount=1,
        ),
        messageContextInfo=MessageContextInfo(messageSecret=secret),
    )
    several = poll_message({**content, "multiple_answers": True}, secret)
    assert several.pollCreationMessage.selectableOptionsCount == 0


async def test_each_poll_gets_a_secret_of_its_own(ctx: OpContext) -> None:
    args = {"type": "poll", "chat_id": PERSON, "content": {"question": "Q", "options": ["a", "b"]}}
    first, second = await build(ctx, args), await build(ctx, args)
    secrets = {first.messageContextInfo.messageSecret, second.messageContextInfo.messageSecret}
    assert len(secrets) == 2
    assert all(len(secret) == 32 for secret in secrets)


# -- reactions, edits, revokes ------------------------------------------------------------


def test_a_reaction_in_a_group_names_the_messages_sender() -> None:
    target = MessageRef(message_id="3A0002", from_me=False, sender=PERSON)
    assert reaction_message(GROUP, {"emoji": "👍"}, target, ME, NOW_MS) == Message(
        reactionMessage=ReactionMessage(
            key=MessageKey(
                remoteJID=GROUP, fromMe=False, ID="3A0002", participant="12025550199@s.whatsapp.net"
            ),
            text="👍",
            senderTimestampMS=NOW_MS,
        )
    )


def test_a_reaction_in_a_chat_or_to_the_sessions_own_message_names_no_one() -> None:
    theirs = MessageRef(message_id="3A0003", from_me=False, sender=PERSON)
    ours = MessageRef(message_id="3EB0BB", from_me=True)
    assert reaction_message(PERSON, {"emoji": "❤️"}, theirs, ME, NOW_MS) == Message(
        reactionMessage=ReactionMessage(
            key=MessageKey(remoteJID="12025550199@s.whatsapp.net", fromMe=False, ID="3A0003"),
            text="❤️",
            senderTimestampMS=NOW_MS,
        )
    )
    # An empty emoji takes the reaction back.
    assert reaction_message(GROUP, {"emoji": ""}, ours, ME, NOW_MS) == Message(
        reactionMessage=ReactionMessage(
            key=MessageKey(remoteJID=GROUP, fromMe=True, ID="3EB0BB"),
            text="",
            senderTimestampMS=NOW_MS,
        )
    )


async def test_a_reaction_needs_its_target(ctx: OpContext) -> None:
    args = {"type": "reaction", "chat_id": PERSON, "content": {"emoji": "👍"}, "react_to": None}
    with pytest.raises(ClientError) as exc:
        await build(ctx, args)
    assert error_of(exc) == ("reaction_target_unknown", False)


def test_an_edit_is_whatsmeows_build_edit() -> None:
    assert edit_message(PERSON, "3EB0CC", "fixed", NOW_MS) == Message(
        editedMessage=FutureProofMessage(
            message=Message(
                protocolMessage=ProtocolMessage(
                    key=MessageKey(
                        remoteJID="12025550199@s.whatsapp.net", fromMe=True, ID="3EB0CC"
                    ),
                    type=ProtocolMessage.MESSAGE_EDIT,
                    editedMessage=Message(conversation="fixed"),
                    timestampMS=NOW_MS,
                )
            )
        )
    )


def test_a_revoke_is_whatsmeows_build_revoke() -> None:
    assert revoke_message(GROUP, "3EB0DD") == Message(
        protocolMessage=ProtocolMessage(
            type=ProtocolMessage.REVOKE, key=MessageKey(remoteJID=GROUP, fromMe=True, ID="3EB0DD")
        )
    )


# -- media --------------------------------------------------------------------------------


async def media_args(ctx: OpContext, kind: str, data: bytes, **content: Any) -> dict[str, Any]:
    path = ctx.workdir / f"send-{kind}"
    path.write_bytes(data)
    return {"type": kind, "chat_id": PERSON, "content": content, "files": {"media": str(path)}}


async def uploaded(data: bytes) -> dict[str, Any]:
    """What the media fields of a message of ``data`` hold: the (fake) upload's answer."""
    answer = await FakeNewAClient("postgresql://127.0.0.1/unused", uuid="ses_x").upload(data)
    return {
        "URL": answer.url,
        "directPath": answer.DirectPath,
        "mediaKey": answer.MediaKey,
        "fileEncSHA256": answer.FileEncSHA256,
        "fileSHA256": answer.FileSHA256,
        "fileLength": answer.FileLength,
    }


def media_type_of_upload(client: FakeNewAClient) -> str:
    uploads = [call for call in client.calls if call["method"] == "upload"]
    assert len(uploads) == 1
    return str(uploads[0]["args"]["media_type"])


async def test_an_image_is_uploaded_with_its_caption_size_and_thumbnail(
    ctx: OpContext, client: FakeNewAClient
) -> None:
    data = png(300, 150)
    args = await media_args(
        ctx,
        "image",
        data,
        caption="look",
        media={"id": "med_1", "mime_type": "image/png", "size": len(data)},
    )
    message = await build(ctx, args)
    thumbnail = message.imageMessage.JPEGThumbnail
    with Image.open(io.BytesIO(thumbnail)) as picture:
        assert (picture.format, picture.size) == ("JPEG", (100, 50))
    message.imageMessage.ClearField("JPEGThumbnail")
    timestamp = message.imageMessage.mediaKeyTimestamp
    assert abs(timestamp - time.time()) < 60  # seconds, as WhatsApp counts them
    assert message == Message(
        imageMessage=ImageMessage(
            **await uploaded(data),
            mimetype="image/png",
            mediaKeyTimestamp=timestamp,
            caption="look",
            width=300,
            height=150,
        )
    )
    assert media_type_of_upload(client) == "MediaImage"


async def test_a_video_goes_without_thumbnail_or_duration(
    ctx: OpContext, client: FakeNewAClient
) -> None:
    data = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
    args = await media_args(
        ctx, "video", data, caption=None, media={"id": "med_2", "mime_type": "video/mp4"}
    )
    message = await build(ctx, args)
    assert message == Message(
        videoMessage=VideoMessage(
            **await uploaded(data),
            mimetype="video/mp4",
            mediaKeyTimestamp=message.videoMessage.mediaKeyTimestamp,
        )
    )
    assert not message.videoMessage.HasField("caption")
    assert media_type_of_upload(client) == "MediaVideo"


async def test_a_voice_note_is_push_to_talk_opus(ctx: OpContext, client: FakeNewAClient) -> None:
    data = b"OggS" + b"\x00" * 64
    args = await media_args(
        ctx, "audio", data, voice=True, media={"id": "med_3", "mime_type": "audio/ogg"}
    )
    message = await build(ctx, args)
    assert message == Message(
        audioMessage=AudioMessage(
            **await uploaded(data),
            mimetype="audio/ogg; codecs=opus",
            PTT=True,
            mediaKeyTimestamp=message.audioMessage.mediaKeyTimestamp,
        )
    )
    assert media_type_of_upload(client) == "MediaAudio"


async def test_an_audio_file_keeps_its_type(ctx: OpContext) -> None:
    data = b"ID3" + b"\x00" * 64
    args = await media_args(
        ctx, "audio", data, voice=False, media={"id": "med_4", "mime_type": "audio/mpeg"}
    )
    message = await build(ctx, args)
    assert (message.audioMessage.mimetype, message.audioMessage.PTT) == ("audio/mpeg", False)


async def test_a_document_has_its_filename_and_caption(
    ctx: OpContext, client: FakeNewAClient
) -> None:
    data = b"%PDF-1.7\n" + b"x" * 64
    args = await media_args(
        ctx,
        "document",
        data,
        filename=None,
        caption="the invoice",
        media={"id": "med_5", "mime_type": "application/pdf", "filename": "invoice.pdf"},
    )
    message = await build(ctx, args)
    assert message == Message(
        documentMessage=DocumentMessage(
            **await uploaded(data),
            mimetype="application/pdf",
            fileName="invoice.pdf",
            title="invoice.pdf",
            caption="the invoice",
            mediaKeyTimestamp=message.documentMessage.mediaKeyTimestamp,
        )
    )
    assert media_type_of_upload(client) == "MediaDocument"


async def test_a_sticker_says_whether_it_is_animated(ctx: OpContext) -> None:
    for animated in (False, True):
        data = webp(animated=animated)
        args = await media_args(
            ctx, "sticker", data, media={"id": "med_6", "mime_type": "image/webp"}
        )
        message = await build(ctx, args)
        assert message == Message(
            stickerMessage=StickerMessage(
                **await uploaded(data),
                mimetype="image/webp",
                isAnimated=animated,
                mediaKeyTimestamp=message.stickerMessage.mediaKeyTimestamp,
            )
        )


async def test_a_sticker_that_is_not_webp_is_refused(ctx: OpContext) -> None:
    args = await media_args(ctx, "sticker", png(8, 8), media={"mime_type": "image/png"})
    with pytest.raises(ClientError) as exc:
        await build(ctx, args)
    assert error_of(exc) == ("media_type_unsupported", False)


async def test_a_media_reply_quotes_in_its_own_context(ctx: OpContext) -> None:
    args = await media_args(ctx, "document", b"%PDF-1.7", media={"mime_type": "application/pdf"})
    args["reply_to"] = {"message_id": "3A0004", "from_me": False, "sender": PERSON}
    message = await build(ctx, args)
    assert message.documentMessage.contextInfo == ContextInfo(
        stanzaID="3A0004", participant="12025550199@s.whatsapp.net"
    )


async def test_a_missing_file_or_one_elsewhere_is_unreadable(
    ctx: OpContext, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "file"
    elsewhere.write_bytes(b"%PDF-1.7")
    for files in ({}, {"media": str(ctx.workdir / "gone")}, {"media": str(elsewhere)}):
        args = {"type": "document", "chat_id": PERSON, "content": {}, "files": files}
        with pytest.raises(ClientError) as exc:
            await build(ctx, args)
        assert error_of(exc) == ("media_unreadable", False)


async def test_an_upload_that_fails_may_be_tried_again(
    ctx: OpContext, client: FakeNewAClient
) -> None:
    await client.test_ops()["fake_fail"]({"method": "upload", "error": "upload failed: 503"})
    args = await media_args(ctx, "image", png(4, 4), media={"mime_type": "image/png"})
    with pytest.raises(ClientError) as exc:
        await build(ctx, args)
    assert error_of(exc) == ("media_upload_failed", True)
    assert "503" in exc.value.message


def preview_args(ctx: OpContext, image: bytes | None) -> dict[str, Any]:
    preview: dict[str, Any] = {"url": "https://example.com/a", "title": "A", "description": "B"}
    if image is not None:
        path = ctx.workdir / "preview-1"
        path.write_bytes(image)
        preview["thumbnail_file"] = str(path)
    content = {"text": "https://example.com/a", "link_preview": True}
    return {"type": "text", "chat_id": PERSON, "content": content, "preview": preview}


def jpeg_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == "JPEG"
        return picture.size


async def test_a_previews_image_is_inlined_small_and_uploaded_as_a_link_thumbnail(
    ctx: OpContext, client: FakeNewAClient
) -> None:
    message = await build(ctx, preview_args(ctx, png(1200, 630)))
    extended = message.extendedTextMessage
    [upload] = [call for call in client.calls if call["method"] == "upload"]
    assert upload["args"]["media_type"] == "MediaLinkThumbnail"
    [large] = list(client.blobs.values())
    answer = await client.upload(large)
    assert jpeg_size(large) == (800, 420)
    assert jpeg_size(extended.JPEGThumbnail) == (192, 101)
    assert message == Message(
        extendedTextMessage=ExtendedTextMessage(
            text="https://example.com/a", matchedText="https://example.com/a", title="A",
            description="B", previewType=ExtendedTextMessage.PreviewType.NONE,
            JPEGThumbnail=extended.JPEGThumbnail, thumbnailDirectPath=answer.DirectPath,
            thumbnailSHA256=answer.FileSHA256, thumbnailEncSHA256=answer.FileEncSHA256,
            mediaKey=answer.MediaKey, mediaKeyTimestamp=extended.mediaKeyTimestamp,
            thumbnailWidth=800, thumbnailHeight=420,
        )
    )  # fmt: skip
    assert abs(extended.mediaKeyTimestamp - time.time()) < 60


async def test_a_preview_goes_without_the_thumbnail_it_cannot_make_or_upload(
    ctx: OpContext, client: FakeNewAClient
) -> None:
    unreadable = await build(ctx, preview_args(ctx, b"<svg>not a picture</svg>"))
    assert unreadable == Message(
        extendedTextMessage=ExtendedTextMessage(
            text="https://example.com/a", matchedText="https://example.com/a", title="A",
            description="B", previewType=ExtendedTextMessage.PreviewType.NONE,
        )
    )  # fmt: skip
    assert not [call for call in client.calls if call["method"] == "upload"]
    await client.test_ops()["fake_fail"]({"method": "upload", "error": "upload failed: 503"})
    refused = (await build(ctx, preview_args(ctx, png(40, 20)))).extendedTextMessage
    assert jpeg_size(refused.JPEGThumbnail) == (40, 20)
    assert not refused.HasField("thumbnailDirectPath")
    assert not refused.HasField("mediaKey")


async def test_a_type_the_engine_cannot_send_is_refused(ctx: OpContext) -> None:
    args = {"type": "template", "chat_id": PERSON, "content": {"template": {"name": "x"}}}
    with pytest.raises(ClientError) as exc:
        await build(ctx, args)
    assert error_of(exc) == ("unsupported_type", False)


# -- the ops ------------------------------------------------------------------------------


async def test_send_answers_whatsapps_id_of_what_reached_whatsapp(
    ctx: OpContext, client: FakeNewAClient
) -> None:
    answer = await OPS["send"](
        ctx,
        {
            "message_id": "msg_1",
            "whatsapp_id": "3EB0FFFF",
            "chat_id": PERSON,
            "type": "text",
            "content": {"text": "hi"},
            "reply_to": None,
            "files": {},
        },
    )
    [sent] = client.sent
    assert answer == {"message_id": sent["id"]}
    assert sent["to"] == "12025550199@s.whatsapp.net"
    assert Message.FromString(base64.b64decode(sent["message_b64"])) == Message(conversation="hi")


async def test_send_to_no_chat_fails_for_good_and_a_refused_send_for_now(
    ctx: OpContext, client: FakeNewAClient
) -> None:
    args = {"type": "text", "content": {"text": "hi"}}
    with pytest.raises(ClientError) as exc:
        await OPS["send"](ctx, {**args, "chat_id": "not-a-chat"})
    assert error_of(exc) == ("invalid_recipient", False)
    await client.test_ops()["fake_fail"]({"method": "send_message", "error": "server error 500"})
    with pytest.raises(ClientError) as exc:
        await OPS["send"](ctx, {**args, "chat_id": PERSON})
    assert error_of(exc) == ("send_failed", True)
    assert client.sent == []


async def test_edit_and_revoke_send_their_protocol_messages(
    ctx: OpContext, client: FakeNewAClient
) -> None:
    await OPS["edit"](ctx, {"chat_id": PERSON, "message_id": "3EB0CC", "text": "fixed"})
    await OPS["revoke"](ctx, {"chat_id": GROUP, "message_id": "3EB0DD"})
    edited, revoked = (Message.FromString(base64.b64decode(s["message_b64"])) for s in client.sent)
    assert [s["to"] for s in client.sent] == ["12025550199@s.whatsapp.net", GROUP]
    protocol = edited.editedMessage.message.protocolMessage
    assert (protocol.type, protocol.key.ID, protocol.editedMessage.conversation) == (
        ProtocolMessage.MESSAGE_EDIT,
        "3EB0CC",
        "fixed",
    )
    assert revoked == revoke_message(GROUP, "3EB0DD")


async def test_mark_read_and_typing_reach_the_client(
    ctx: OpContext, client: FakeNewAClient
) -> None:
    await OPS["mark_read"](ctx, {"chat_id": GROUP, "message_ids": ["3A1", "3A2"], "sender": PERSON})
    await OPS["mark_read"](ctx, {"chat_id": PERSON, "message_ids": ["3A3"], "sender": None})
    await OPS["mark_read"](ctx, {"chat_id": PERSON, "message_ids": [], "sender": None})
    await OPS["typing"](ctx, {"chat_id": PERSON, "on": True})
    await OPS["typing"](ctx, {"chat_id": PERSON, "on": False})
    assert client.calls == [
        {
            "method": "mark_read",
            "args": {
                "message_ids": ["3A1", "3A2"],
                "chat": GROUP,
                "sender": "12025550199@s.whatsapp.net",
                "receipt": "READ",
            },
        },
        {
            "method": "mark_read",
            "args": {
                "message_ids": ["3A3"],
                "chat": "12025550199@s.whatsapp.net",
                "sender": "12025550199@s.whatsapp.net",
                "receipt": "READ",
            },
        },
        {
            "method": "send_chat_presence",
            "args": {
                "jid": "12025550199@s.whatsapp.net",
                "state": "CHAT_PRESENCE_COMPOSING",
                "media": "CHAT_PRESENCE_MEDIA_TEXT",
            },
        },
        {
            "method": "send_chat_presence",
            "args": {
                "jid": "12025550199@s.whatsapp.net",
                "state": "CHAT_PRESENCE_PAUSED",
                "media": "CHAT_PRESENCE_MEDIA_TEXT",
            },
        },
    ]
