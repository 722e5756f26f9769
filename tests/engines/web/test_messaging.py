"""``WebEngine``'s messaging over a real child running the fake neonize client: what
reaches (fake) WhatsApp for each type of message, exactly, and what fails how."""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.engines.base import EngineResources, EngineUnsupported, OutboundMessage, SendFailed
from gateway.engines.web.engine import WebEngine
from gateway.kit.ids import new_id
from gateway.media.service import store_media
from gateway.models import Message as MessageRow
from tests.engines.web.test_engine import linked, running, web_engine
from tests.engines.web.test_engine import resources as resources  # the fixture

PERSON = "12025550199@c.us"
PERSON_JID = "12025550199@s.whatsapp.net"
GROUP = "120363025246125486@g.us"
OTHER = "12025550177@c.us"


@pytest.fixture
async def engine(resources: EngineResources) -> AsyncIterator[WebEngine]:
    engine, events = web_engine(resources, auto_link=True)
    async with running(engine):
        await linked(events)
        yield engine


async def fake(engine: WebEngine, op: str, **args: Any) -> Any:
    """One of the fake neonize client's test ops, through the session's child."""
    assert engine._child is not None
    return await engine._child.call(op, **args)


async def sent(engine: WebEngine) -> list[dict[str, Any]]:
    return list((await fake(engine, "fake_sent"))["messages"])


async def calls(engine: WebEngine, method: str) -> list[dict[str, Any]]:
    return [c["args"] for c in (await fake(engine, "fake_calls"))["calls"] if c["method"] == method]


def outbound(kind: str, chat: str = PERSON, reply_to: str | None = None, **content: Any) -> (
    OutboundMessage
):  # fmt: skip
    return OutboundMessage(
        id=new_id("msg"), chat_id=chat, type=kind, content=content,
        reply_to_engine_id=reply_to,
    )  # fmt: skip


async def store_row(
    engine: WebEngine, *, direction: str, chat_id: str, engine_id: str | None, **content: Any
) -> str:
    """A message of the engine's session in PostgreSQL, as the gateway keeps them."""
    row_id = new_id("msg")
    async with engine.resources.sessionmaker() as db:
        db.add(
            MessageRow(
                id=row_id, account_id=engine.session.account_id, session_id=engine.session.id,
                direction=direction, chat_id=chat_id, type=str(content.pop("type", "text")),
                content=content, status="delivered" if direction == "inbound" else "sent",
                engine_message_id=engine_id, attempts=0,
            )
        )  # fmt: skip
        await db.commit()
    return row_id


async def stored_file(engine: WebEngine, content: bytes, mime_type: str, **extra: Any) -> dict[
    str, Any
]:  # fmt: skip
    """A file in media storage, as a media message's ``content.media`` names it."""
    sessionmaker: async_sessionmaker[AsyncSession] = engine.resources.sessionmaker
    async with sessionmaker() as db:
        media = await store_media(
            db, settings=engine.resources.settings, account_id=engine.session.account_id,
            session_id=engine.session.id, source="upload", content=content,
            mime_type=mime_type, filename=extra.get("filename"),
        )  # fmt: skip
        await db.commit()
    return {"id": media.id, "mime_type": mime_type, "size": len(content), **extra}


def upload_fields(data: bytes) -> dict[str, Any]:
    """What the fake's upload answers for ``data`` (``fake_neonize.FakeNewAClient.upload``),
    as ``MessageToDict`` writes a media message's fields."""
    digest = hashlib.sha256(data).digest()
    direct_path = f"/v/t62.7118-24/{digest.hex()[:24]}.enc"

    def b64(value: bytes) -> str:
        return base64.b64encode(value).decode()

    return {
        "URL": f"https://mmg.whatsapp.net{direct_path}", "directPath": direct_path,
        "mediaKey": b64(hashlib.sha256(b"key" + data).digest()),
        "fileEncSHA256": b64(hashlib.sha256(b"enc" + data).digest()),
        "fileSHA256": b64(digest), "fileLength": str(len(data)),
    }  # fmt: skip


async def the_one_sent(engine: WebEngine, answer: str) -> dict[str, Any]:
    [message] = [m for m in await sent(engine) if m["id"] == answer]
    return message


# -- what reaches WhatsApp ----------------------------------------------------------------


async def test_a_text_with_mentions_reaches_whatsapp_under_the_id_answered(
    engine: WebEngine,
) -> None:
    answer = await engine.send(outbound("text", text="hi @12025550177", mentions=["+12025550177"]))
    message = await the_one_sent(engine, answer)
    assert message["to"] == PERSON_JID
    assert message["message"] == {
        "extendedTextMessage": {
            "text": "hi @12025550177",
            "contextInfo": {"mentionedJID": ["12025550177@s.whatsapp.net"]},
        }
    }


async def test_a_reply_in_a_group_quotes_the_stored_message(engine: WebEngine) -> None:
    await store_row(engine, direction="inbound", chat_id=GROUP, engine_id="3A00000000000001",
                    text="lunch?", from_id=OTHER)  # fmt: skip
    answer = await engine.send(outbound("text", GROUP, reply_to="3A00000000000001", text="yes"))
    message = await the_one_sent(engine, answer)
    assert (message["to"], message["message"]) == (
        GROUP,
        {
            "extendedTextMessage": {
                "text": "yes",
                "contextInfo": {
                    "stanzaID": "3A00000000000001", "participant": "12025550177@s.whatsapp.net",
                    "quotedMessage": {"conversation": "lunch?"},
                },
            }
        },
    )  # fmt: skip


async def test_location_contact_and_poll(engine: WebEngine) -> None:
    vcard = "BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nEND:VCARD"
    answers = [
        await engine.send(outbound("location", latitude=51.5, longitude=-0.12, name="London",
                                   address=None)),
        await engine.send(outbound("contact", vcard=vcard, name=None)),
        await engine.send(outbound("poll", question="Lunch?", options=["Pizza", "Sushi"],
                                   multiple_answers=True)),
    ]  # fmt: skip
    location, contact, poll = [(await the_one_sent(engine, a))["message"] for a in answers]
    assert location == {
        "locationMessage": {"degreesLatitude": 51.5, "degreesLongitude": -0.12, "name": "London"}
    }
    assert contact == {"contactMessage": {"displayName": "Ada Lovelace", "vcard": vcard}}
    secret = poll["messageContextInfo"]["messageSecret"]
    assert len(base64.b64decode(secret)) == 32
    assert poll == {
        "pollCreationMessage": {
            "name": "Lunch?", "options": [{"optionName": "Pizza"}, {"optionName": "Sushi"}],
            "selectableOptionsCount": 0,
        },
        "messageContextInfo": {"messageSecret": secret},
    }  # fmt: skip


async def test_a_reaction_goes_to_the_target_messages_chat_with_its_key(
    engine: WebEngine,
) -> None:
    target = await store_row(engine, direction="inbound", chat_id=GROUP,
                             engine_id="3A00000000000002", text="news", from_id=OTHER)  # fmt: skip
    answer = await engine.send(
        outbound("reaction", PERSON, message_id=target, emoji="👍", chat_id=GROUP)
    )
    message = await the_one_sent(engine, answer)
    reaction = message["message"]["reactionMessage"]
    assert int(reaction.pop("senderTimestampMS")) > 0
    assert (message["to"], reaction) == (
        GROUP,
        {
            "key": {"remoteJID": GROUP, "fromMe": False, "ID": "3A00000000000002",
                    "participant": "12025550177@s.whatsapp.net"},
            "text": "👍",
        },
    )  # fmt: skip


async def test_a_reaction_to_a_message_not_sent_yet_waits(engine: WebEngine) -> None:
    target = await store_row(engine, direction="outbound", chat_id=PERSON, engine_id=None,
                             text="soon")  # fmt: skip
    with pytest.raises(SendFailed) as exc:
        await engine.send(outbound("reaction", message_id=target, emoji="👍", chat_id=PERSON))
    assert (exc.value.code, exc.value.transient) == ("reaction_target_not_sent", True)
    with pytest.raises(SendFailed) as exc:
        await engine.send(outbound("reaction", message_id="msg_nope", emoji="👍", chat_id=PERSON))
    assert (exc.value.code, exc.value.transient) == ("message_not_found", False)


async def test_media_of_each_kind_are_uploaded_and_their_files_removed(
    engine: WebEngine,
) -> None:
    picture = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(picture, format="PNG")
    files: dict[str, tuple[bytes, str, dict[str, Any]]] = {
        "image": (picture.getvalue(), "image/png", {"caption": "look"}),
        "audio": (b"OggS" + b"\x01" * 32, "audio/ogg", {"voice": True}),
        "document": (b"%PDF-1.7\n" + b"x" * 32, "application/pdf",
                     {"filename": "invoice.pdf", "caption": None}),
    }  # fmt: skip
    found: dict[str, dict[str, Any]] = {}
    for kind, (data, mime_type, content) in files.items():
        media = await stored_file(engine, data, mime_type)
        answer = await engine.send(outbound(kind, media=media, **content))
        found[kind] = (await the_one_sent(engine, answer))["message"]
    image = found["image"]["imageMessage"]
    assert image.pop("JPEGThumbnail")
    assert int(image.pop("mediaKeyTimestamp")) > 0
    assert image == {**upload_fields(files["image"][0]), "mimetype": "image/png",
                     "caption": "look", "width": 40, "height": 20}  # fmt: skip
    audio = found["audio"]["audioMessage"]
    audio.pop("mediaKeyTimestamp")
    assert audio == {**upload_fields(files["audio"][0]), "mimetype": "audio/ogg; codecs=opus",
                     "PTT": True}  # fmt: skip
    document = found["document"]["documentMessage"]
    document.pop("mediaKeyTimestamp")
    assert document == {**upload_fields(files["document"][0]), "mimetype": "application/pdf",
                        "fileName": "invoice.pdf", "title": "invoice.pdf"}  # fmt: skip
    assert [u["media_type"] for u in await calls(engine, "upload")] == [
        "MediaImage", "MediaAudio", "MediaDocument",
    ]  # fmt: skip
    assert engine._workdir is not None
    assert not [p for p in engine._workdir.iterdir() if p.name.startswith("send-")]


# -- edits, revokes, reads, typing --------------------------------------------------------


async def test_edit_and_revoke_reach_whatsapp(engine: WebEngine) -> None:
    await engine.edit("3EB0000000000001", PERSON, "fixed")
    await engine.revoke("3EB0000000000002", GROUP)
    edited, revoked = [m["message"] for m in await sent(engine)]
    protocol = edited["editedMessage"]["message"]["protocolMessage"]
    assert int(protocol.pop("timestampMS")) > 0
    assert protocol == {
        "key": {"remoteJID": PERSON_JID, "fromMe": True, "ID": "3EB0000000000001"},
        "type": "MESSAGE_EDIT", "editedMessage": {"conversation": "fixed"},
    }  # fmt: skip
    assert revoked == {
        "protocolMessage": {
            "key": {"remoteJID": GROUP, "fromMe": True, "ID": "3EB0000000000002"},
            "type": "REVOKE",
        }
    }


async def test_mark_read_sends_receipts_for_the_chats_received_messages_by_sender(
    engine: WebEngine,
) -> None:
    for engine_id, from_id in (("3A1", PERSON), ("3A2", OTHER), ("3A3", PERSON)):
        await store_row(engine, direction="inbound", chat_id=GROUP, engine_id=engine_id,
                        text="hi", from_id=from_id)  # fmt: skip
    await store_row(engine, direction="outbound", chat_id=GROUP, engine_id="3EB0F", text="x")
    await store_row(engine, direction="inbound", chat_id=PERSON, engine_id="3A9", text="hi",
                    from_id=PERSON)  # fmt: skip
    await engine.mark_read(GROUP)
    receipts = await calls(engine, "mark_read")
    assert sorted((r["sender"], r["message_ids"]) for r in receipts) == [
        ("12025550177@s.whatsapp.net", ["3A2"]),
        (PERSON_JID, ["3A3", "3A1"]),
    ]
    assert {(r["chat"], r["receipt"]) for r in receipts} == {(GROUP, "READ")}


async def test_typing_on_and_off(engine: WebEngine) -> None:
    await engine.typing(PERSON, True)
    await engine.typing(PERSON, False)
    assert [c["state"] for c in await calls(engine, "send_chat_presence")] == [
        "CHAT_PRESENCE_COMPOSING", "CHAT_PRESENCE_PAUSED",
    ]  # fmt: skip


# -- what fails, and how ------------------------------------------------------------------


async def test_a_chat_that_is_none_fails_for_good(engine: WebEngine) -> None:
    with pytest.raises(SendFailed) as exc:
        await engine.send(outbound("text", "someone@nowhere", text="hi"))
    assert (exc.value.code, exc.value.transient) == ("invalid_recipient", False)


async def test_a_file_gone_from_storage_fails_for_good(engine: WebEngine) -> None:
    media = {"id": "med_gone", "mime_type": "image/png", "size": 10}
    with pytest.raises(SendFailed) as exc:
        await engine.send(outbound("image", media=media, caption=None))
    assert (exc.value.code, exc.value.transient) == ("media_not_found", False)
    assert "deleted" in exc.value.message


async def test_whatsapp_refusing_a_send_is_transient(engine: WebEngine) -> None:
    await fake(engine, "fake_fail", method="send_message", error="server returned error 500")
    with pytest.raises(SendFailed) as exc:
        await engine.send(outbound("text", text="hi"))
    assert (exc.value.code, exc.value.transient) == ("send_failed", True)
    assert "500" in exc.value.message


async def test_interactive_and_template_messages_are_the_cloud_apis(engine: WebEngine) -> None:
    for kind in ("interactive", "template"):
        with pytest.raises(EngineUnsupported) as exc:
            await engine.send(outbound(kind))
        assert (exc.value.status_code, exc.value.operation) == (501, f"send_{kind}")
    assert await sent(engine) == []


async def test_nothing_is_sent_while_no_child_runs(resources: EngineResources) -> None:
    engine, _ = web_engine(resources)
    with pytest.raises(SendFailed) as exc:
        await engine.send(outbound("text", text="hi"))
    assert (exc.value.code, exc.value.transient) == ("session_not_ready", True)
