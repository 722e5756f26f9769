"""What the session receives, host side: the child's inbound events through
``report_inbound`` into the host's real reports (PostgreSQL rows, published events), as
a user of the API sees them.

The session is a sandbox one that a running host holds (its lease is what every report
checks); the reports are the web engine's, made by hand as its child would cause them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.engines.base import EngineSession
from gateway.engines.host import EngineHost
from gateway.engines.records import GroupParticipant, GroupParticipantsChanged
from gateway.engines.reports import SessionReporter
from gateway.engines.web.calls import ChildCalls
from gateway.engines.web.event_data import EventData
from gateway.engines.web.inbound_events import (
    CallReceivedData,
    GroupChangedData,
    MessageEditedData,
    MessageReceivedData,
    MessageRevokedData,
    PresenceData,
    ReceivedFile,
)
from gateway.engines.web.inbound_report import report_inbound
from gateway.engines.web.protocol import QrData
from gateway.events.schemas import EVENT_PAYLOADS
from gateway.events.types import EventType
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.media import samples
from tests.waiting import eventually

ADA = "12025550111@c.us"
ADA_LID = "184467440737095@lid"
AT = datetime(2025, 1, 15, 9, 31, 2, tzinfo=UTC)


@dataclass
class Reporting:
    account: TestAccount
    session_id: str
    engine: ChildCalls
    reporter: SessionReporter

    async def report(self, data: EventData) -> bool:
        return await report_inbound(self.engine, self.reporter, data)


@pytest.fixture
async def reporting(
    client: httpx.AsyncClient,
    engine_host: EngineHost,
    sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> AsyncIterator[Reporting]:
    account = await create_account(sessionmaker)
    session_id = (await create_session(client, account, auto_link=True))["id"]
    await session_in_status(client, account, session_id, "WORKING")
    engine = ChildCalls()
    engine.session = EngineSession(id=session_id, account_id=account.id, name="main", engine="web")
    engine._workdir = tmp_path
    return Reporting(account, session_id, engine, SessionReporter(engine_host, session_id))


async def events_of(
    client: httpx.AsyncClient, account: TestAccount, type_: EventType, count: int = 1
) -> list[dict[str, Any]]:
    async def listed() -> list[dict[str, Any]]:
        response = await client.get(
            "/v1/events", headers=account.headers, params={"type": type_.value}
        )
        return list(response.json()["data"])

    events = await eventually(listed, lambda found: len(found) >= count)
    payload = EVENT_PAYLOADS.get(type_)
    for event in events:  # as the OpenAPI document says it (call.received has no entry yet)
        if payload is not None:
            payload.model_validate(event["data"])
    return events


def text_message(
    message_id: str = "3A01", text: str = "Is my order on its way?"
) -> MessageReceivedData:
    return MessageReceivedData(
        message_id=message_id, chat_id=ADA, from_id=ADA, from_phone_number="+12025550111",
        from_lid=ADA_LID, from_name="Ada", text=text, timestamp=AT,
    )  # fmt: skip


async def test_a_received_image_is_stored_with_its_file(
    client: httpx.AsyncClient, reporting: Reporting, tmp_path: Path
) -> None:
    path = tmp_path / "received" / "3A02-ab12"
    path.parent.mkdir()
    path.write_bytes(samples.PNG)
    image = MessageReceivedData(
        message_id="3A02", chat_id=ADA, from_id=ADA, from_lid=ADA_LID, message_type="image",
        media=ReceivedFile(path=str(path), mime_type="image/png", caption="The parcel"),
        raw={"kind": "imageMessage"}, timestamp=AT,
    )  # fmt: skip
    assert await reporting.report(image)
    [event] = await events_of(client, reporting.account, EventType.message_received)
    message = event["data"]["message"]
    assert (message["type"], message["from_lid"], message["media"]["caption"]) == (
        "image",
        ADA_LID,
        "The parcel",
    )
    assert message["media"]["id"].startswith("med_")
    content = await client.get(f"/v1/media/{message['media']['id']}/content",
                               headers=reporting.account.headers)  # fmt: skip
    assert content.content == samples.PNG
    assert not path.exists()  # the child's copy is gone


async def test_a_file_outside_the_sessions_directory_is_refused(
    client: httpx.AsyncClient, reporting: Reporting, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "secret"
    elsewhere.write_bytes(b"not the child's")
    document = MessageReceivedData(
        message_id="3A03", chat_id=ADA, from_id=ADA, message_type="document",
        media=ReceivedFile(path=str(elsewhere), mime_type="application/pdf"), timestamp=AT,
    )  # fmt: skip
    assert await reporting.report(document)
    [event] = await events_of(client, reporting.account, EventType.message_received)
    message = event["data"]["message"]
    assert message["media"]["id"] is None
    assert message["raw"]["media_error"] == "file_missing"
    assert elsewhere.read_bytes() == b"not the child's"


async def test_a_message_whose_download_failed_arrives_with_the_reason(
    client: httpx.AsyncClient, reporting: Reporting
) -> None:
    error = "download_failed: failed to download media: 404 Not Found"
    video = MessageReceivedData(
        message_id="3A04", chat_id=ADA, from_id=ADA, message_type="video",
        media=ReceivedFile(mime_type="video/mp4", error=error),
        raw={"kind": "videoMessage", "media_error": error}, timestamp=AT,
    )  # fmt: skip
    assert await reporting.report(video)
    [event] = await events_of(client, reporting.account, EventType.message_received)
    assert event["data"]["message"]["raw"]["media_error"] == error
    assert event["data"]["message"]["media"]["id"] is None


async def test_a_reaction_to_a_known_message_is_a_reaction_event(
    client: httpx.AsyncClient, reporting: Reporting
) -> None:
    await reporting.report(text_message())
    [received] = await events_of(client, reporting.account, EventType.message_received)
    reaction = MessageReceivedData(
        message_id="3A05", chat_id=ADA, from_id=ADA, message_type="reaction",
        reaction={"engine_message_id": "3A01", "message_id": None, "emoji": "👍"}, timestamp=AT,
    )  # fmt: skip
    assert await reporting.report(reaction)
    [event] = await events_of(client, reporting.account, EventType.message_reaction)
    assert (event["data"]["target_message_id"], event["data"]["emoji"]) == (
        received["data"]["message"]["id"],
        "👍",
    )
    assert len(await events_of(client, reporting.account, EventType.message_received)) == 1


async def test_an_edit_changes_the_received_text_once(
    client: httpx.AsyncClient, reporting: Reporting
) -> None:
    await reporting.report(text_message())
    [received] = await events_of(client, reporting.account, EventType.message_received)
    edit = MessageEditedData(from_id=ADA, message_id="3A01", chat_id=ADA,
                             text="Is my order on its way? (2)", edited_at=AT)  # fmt: skip
    assert await reporting.report(edit)
    assert await reporting.report(edit)  # whatsmeow delivering it again
    [event] = await events_of(client, reporting.account, EventType.message_edited)
    assert event["data"]["previous_text"] == "Is my order on its way?"
    message_id = received["data"]["message"]["id"]
    stored = (
        await client.get(f"/v1/messages/{message_id}", headers=reporting.account.headers)
    ).json()
    assert stored["content"]["text"] == "Is my order on its way? (2)"
    assert stored["edited_at"] is not None


async def test_a_deletion_for_everyone_marks_the_message_once(
    client: httpx.AsyncClient, reporting: Reporting
) -> None:
    await reporting.report(text_message())
    revoke = MessageRevokedData(from_id=ADA, message_id="3A01", chat_id=ADA, revoked_at=AT)
    assert await reporting.report(revoke)
    assert await reporting.report(revoke)
    [event] = await events_of(client, reporting.account, EventType.message_revoked)
    assert event["data"]["message"]["revoked_at"] is not None
    assert event["data"]["message"]["engine_message_id"] == "3A01"


async def test_an_edit_of_a_message_never_stored_changes_nothing(
    client: httpx.AsyncClient, reporting: Reporting
) -> None:
    edit = MessageEditedData(from_id=ADA, message_id="3A99", chat_id=ADA, text="x", edited_at=AT)
    assert await reporting.report(edit)
    await reporting.report(text_message("3A06"))  # a later event, to know the first is done
    await events_of(client, reporting.account, EventType.message_received)
    response = await client.get("/v1/events", headers=reporting.account.headers,
                                params={"type": "message.edited"})  # fmt: skip
    assert response.json()["data"] == []


async def test_presences_group_changes_and_calls_are_published(
    client: httpx.AsyncClient, reporting: Reporting
) -> None:
    assert await reporting.report(
        PresenceData(chat_id=ADA, participant_id=ADA, presence="composing")
    )
    change = GroupParticipantsChanged(
        by=ADA, group_id="120363012345678901@g.us", action="add",
        participants=[GroupParticipant(id="12025550199@c.us", phone_number="+12025550199",
                                       lid=None, role="member")],
    )  # fmt: skip
    assert await reporting.report(GroupChangedData.of(change))
    call = CallReceivedData(from_id=ADA, from_phone_number="+12025550111", from_lid=ADA_LID,
                            call_id="CALL1", chat_id=ADA, video=True, offered_at=AT)  # fmt: skip
    assert await reporting.report(call)
    [presence] = await events_of(client, reporting.account, EventType.presence_update)
    assert presence["data"]["presence"] == "composing"
    [group] = await events_of(client, reporting.account, EventType.group_participants)
    assert (group["data"]["action"], group["data"]["participants"][0]["id"]) == (
        "add",
        "12025550199@c.us",
    )
    [called] = await events_of(client, reporting.account, EventType.call_received)
    assert called["data"] == {
        "call_id": "CALL1", "chat_id": ADA, "from_id": ADA, "from_phone_number": "+12025550111",
        "from_lid": ADA_LID, "group_id": None, "video": True, "offered_at": "2025-01-15T09:31:02Z",
    }  # fmt: skip


async def test_what_is_not_inbound_is_left_to_the_engine(reporting: Reporting) -> None:
    assert not await reporting.report(QrData(code="2@abc", expires_at=AT))
