"""Changing what was sent (edit, revoke), reactions, and chat controls (read, typing)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.cli import render_openapi
from gateway.events.schemas import EVENT_PAYLOADS
from gateway.events.types import EventType
from gateway.models import SandboxSend
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.messages.test_pipeline import FAST_ACKS, message_in_status, message_sent, send
from tests.waiting import eventually

pytestmark = pytest.mark.usefixtures("engine_host")

CHAT = "+12025550123"


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


@pytest.fixture
async def session_id(client: httpx.AsyncClient, account: TestAccount) -> str:
    session = await create_session(client, account, auto_link=True, sandbox=FAST_ACKS)
    await session_in_status(client, account, session["id"], "WORKING")
    return str(session["id"])


@pytest.fixture
async def stopped_session_id(client: httpx.AsyncClient, account: TestAccount) -> str:
    session = await create_session(client, account, name="stopped", start=False, auto_link=True)
    return str(session["id"])


async def sent_text(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, text: str = "Hello"
) -> dict[str, Any]:
    accepted = (
        await send(client, account, session_id, type="text", chat_id=CHAT, text=text)
    ).json()
    return await message_in_status(client, account, accepted["id"], "read")


async def events_of(
    client: httpx.AsyncClient, account: TestAccount, event_type: EventType, message_id: str
) -> list[dict[str, Any]]:
    """The message's events of ``event_type``, oldest first, each checked against the
    payload model the OpenAPI document publishes for it."""
    response = await client.get(
        "/v1/events", headers=account.headers, params={"type": event_type.value, "limit": 100}
    )
    events = [
        e for e in reversed(response.json()["data"]) if e["data"]["message"]["id"] == message_id
    ]
    for event in events:
        EVENT_PAYLOADS[event_type].model_validate(event["data"])
    return events


async def edit(
    client: httpx.AsyncClient, account: TestAccount, message_id: str, text: str
) -> httpx.Response:
    return await client.patch(
        f"/v1/messages/{message_id}", headers=account.headers, json={"text": text}
    )


async def revoke(
    client: httpx.AsyncClient, account: TestAccount, message_id: str
) -> httpx.Response:
    return await client.delete(f"/v1/messages/{message_id}", headers=account.headers)


async def chat_control(
    client: httpx.AsyncClient,
    account: TestAccount,
    session_id: str,
    control: str,
    chat_id: str = CHAT,
    **body: Any,
) -> httpx.Response:
    return await client.post(
        f"/v1/sessions/{session_id}/chats/{chat_id}/{control}",
        headers=account.headers,
        json=body or None,
    )


def error_of(response: httpx.Response) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["error"]
    return error


# -- edit ----------------------------------------------------------------------------------


async def test_editing_a_sent_text_changes_it_in_the_chat(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    sent = await sent_text(client, account, session_id, "Your order ships Monday")
    assert sent["edited_at"] is None

    response = await edit(client, account, sent["id"], "Your order ships Tuesday")
    assert response.status_code == 200, response.text
    edited = response.json()
    assert edited["content"]["text"] == "Your order ships Tuesday"
    assert edited["content"]["link_preview"] is True  # the rest of the content stays
    assert edited["edited_at"]
    assert edited["status"] == "read"

    shown = (await client.get(f"/v1/messages/{sent['id']}", headers=account.headers)).json()
    assert shown["content"]["text"] == "Your order ships Tuesday"
    assert shown["edited_at"] == edited["edited_at"]

    [event] = await events_of(client, account, EventType.message_edited, sent["id"])
    assert event["data"]["previous_text"] == "Your order ships Monday"
    assert event["data"]["message"]["content"]["text"] == "Your order ships Tuesday"
    assert event["session"]["id"] == session_id


async def test_editing_before_sending_sends_the_new_text(
    client: httpx.AsyncClient, account: TestAccount, stopped_session_id: str
) -> None:
    echo = "+12025550105"  # the echo contact answers with what it received
    queued = (
        await send(client, account, stopped_session_id, type="text", chat_id=echo, text="first")
    ).json()
    response = await edit(client, account, queued["id"], "second")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "queued"
    assert response.json()["edited_at"] is None  # never shown as edited: it goes out so
    [event] = await events_of(client, account, EventType.message_edited, queued["id"])
    assert event["data"]["previous_text"] == "first"

    await client.post(f"/v1/sessions/{stopped_session_id}/start", headers=account.headers)
    await message_in_status(client, account, queued["id"], "read")

    async def replies() -> list[dict[str, Any]]:
        response = await client.get(
            f"/v1/sessions/{stopped_session_id}/messages",
            headers=account.headers,
            params={"direction": "inbound"},
        )
        return list(response.json()["data"])

    [reply] = await eventually(replies, lambda r: len(r) == 1)
    assert reply["content"]["text"] == "echo: second"


async def test_only_outbound_text_messages_can_be_edited(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    injected = await client.post(
        f"/v1/sandbox/sessions/{session_id}/inbound",
        headers=account.headers,
        json={"from": "+12025550199", "text": "hi"},
    )
    assert injected.status_code == 202

    async def inbound() -> list[dict[str, Any]]:
        response = await client.get(
            f"/v1/sessions/{session_id}/messages",
            headers=account.headers,
            params={"direction": "inbound"},
        )
        return list(response.json()["data"])

    [received] = await eventually(inbound, lambda r: len(r) == 1)
    response = await edit(client, account, received["id"], "changed")
    assert response.status_code == 422
    assert error_of(response)["code"] == "message_not_editable"
    assert error_of(response)["param"] == "id"

    location = (
        await send(client, account, session_id, type="location", chat_id=CHAT,
                   latitude=52.52, longitude=13.405)
    ).json()  # fmt: skip
    response = await edit(client, account, location["id"], "changed")
    assert response.status_code == 422
    assert error_of(response)["code"] == "message_not_editable"

    failed = (
        await send(client, account, session_id, type="text", chat_id="+12025550101", text="x")
    ).json()
    await message_in_status(client, account, failed["id"], "failed")
    response = await edit(client, account, failed["id"], "changed")
    assert response.status_code == 409
    assert error_of(response)["code"] == "message_not_editable"

    response = await edit(client, account, location["id"], "")
    assert response.status_code == 422
    assert error_of(response)["param"] == "text"


async def test_whatsapp_allows_edits_for_fifteen_minutes(
    client: httpx.AsyncClient,
    account: TestAccount,
    session_id: str,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    sent = await sent_text(client, account, session_id, "old")
    async with sessionmaker() as db:
        await db.execute(
            update(SandboxSend)
            .where(SandboxSend.message_id == sent["id"])
            .values(accepted_at=SandboxSend.accepted_at - timedelta(minutes=16))
        )
        await db.commit()
    refused = await edit(client, account, sent["id"], "new")
    assert refused.status_code == 409
    assert error_of(refused)["code"] == "message_not_editable"
    shown = (await client.get(f"/v1/messages/{sent['id']}", headers=account.headers)).json()
    assert shown["content"]["text"] == "old"
    assert shown["edited_at"] is None
    assert await events_of(client, account, EventType.message_edited, sent["id"]) == []
    # Deleting for everyone is allowed for longer.
    assert (await revoke(client, account, sent["id"])).status_code == 200


# -- revoke --------------------------------------------------------------------------------


async def test_revoking_a_sent_message_deletes_it_for_everyone_once(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    sent = await sent_text(client, account, session_id)
    first = await revoke(client, account, sent["id"])
    assert first.status_code == 200, first.text
    revoked = first.json()
    assert revoked["revoked_at"]
    assert revoked["status"] == "read"

    again = await revoke(client, account, sent["id"])
    assert again.status_code == 200
    assert again.json()["revoked_at"] == revoked["revoked_at"]
    [event] = await events_of(client, account, EventType.message_revoked, sent["id"])
    assert event["data"]["message"]["revoked_at"] == revoked["revoked_at"]

    shown = (await client.get(f"/v1/messages/{sent['id']}", headers=account.headers)).json()
    assert shown["revoked_at"] == revoked["revoked_at"]
    too_late = await edit(client, account, sent["id"], "changed")
    assert too_late.status_code == 409
    assert error_of(too_late)["code"] == "message_not_editable"


async def test_revoking_a_queued_message_cancels_it(
    client: httpx.AsyncClient, account: TestAccount, stopped_session_id: str
) -> None:
    queued = (
        await send(client, account, stopped_session_id, type="text", chat_id=CHAT, text="x")
    ).json()
    for _ in range(2):
        response = await revoke(client, account, queued["id"])
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "cancelled"
        assert response.json()["revoked_at"] is None
    assert await events_of(client, account, EventType.message_revoked, queued["id"]) == []
    statuses = await events_of(client, account, EventType.message_status, queued["id"])
    assert [e["data"]["previous_status"] for e in statuses] == ["queued"]


async def test_another_accounts_message_is_not_found(
    client: httpx.AsyncClient,
    account: TestAccount,
    session_id: str,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    sent = await sent_text(client, account, session_id)
    other = await create_account(sessionmaker, name="Other")
    patched = await edit(client, other, sent["id"], "mine now")
    deleted = await revoke(client, other, sent["id"])
    assert patched.status_code == deleted.status_code == 404
    assert error_of(deleted)["code"] == "resource_missing"
    shown = (await client.get(f"/v1/messages/{sent['id']}", headers=account.headers)).json()
    assert shown["content"]["text"] == "Hello"
    assert shown["revoked_at"] is None


# -- reactions -----------------------------------------------------------------------------


async def test_a_sent_reaction_is_a_message_reaction_event(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    target = await sent_text(client, account, session_id)
    reaction = (
        await send(client, account, session_id, type="reaction", chat_id=CHAT,
                   message_id=target["id"], emoji="🎉")
    ).json()  # fmt: skip
    await message_sent(client, account, reaction["id"])
    [event] = await events_of(client, account, EventType.message_reaction, reaction["id"])
    assert event["data"]["target_message_id"] == target["id"]
    assert event["data"]["emoji"] == "🎉"
    assert event["data"]["message"]["type"] == "reaction"
    assert event["data"]["message"]["status"] == "sent"
    # Every status change was a message.status event shaped as documented.
    statuses = await events_of(client, account, EventType.message_status, reaction["id"])
    assert [e["data"]["message"]["status"] for e in statuses][:2] == ["sending", "sent"]
    assert statuses[0]["data"]["previous_status"] == "queued"

    not_revocable = await revoke(client, account, reaction["id"])
    assert not_revocable.status_code == 422
    assert error_of(not_revocable)["code"] == "message_not_revocable"


# -- chat controls -------------------------------------------------------------------------


async def test_mark_read_and_typing_on_a_working_session(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    read = await chat_control(client, account, session_id, "read")
    assert read.status_code == 200, read.text
    assert read.json()["object"] == "chat_read"
    assert read.json()["chat_id"] == "12025550123@c.us"
    assert read.json()["read_at"]

    for state in ("start", "stop"):
        typing = await chat_control(
            client, account, session_id, "typing", chat_id="12025550123@c.us", state=state
        )
        assert typing.status_code == 200, typing.text
        assert typing.json() == {
            "object": "chat_typing",
            "session_id": session_id,
            "chat_id": "12025550123@c.us",
            "state": state,
        }

    bad_chat = await chat_control(client, account, session_id, "read", chat_id="not-a-chat")
    assert bad_chat.status_code == 422
    assert error_of(bad_chat)["param"] == "chat_id"
    bad_state = await chat_control(client, account, session_id, "typing", state="paused")
    assert bad_state.status_code == 422
    assert error_of(bad_state)["param"] == "state"


async def test_chat_controls_need_a_working_session(
    client: httpx.AsyncClient, account: TestAccount, stopped_session_id: str
) -> None:
    read = await chat_control(client, account, stopped_session_id, "read")
    typing = await chat_control(client, account, stopped_session_id, "typing", state="start")
    for response in (read, typing):
        assert response.status_code == 409
        assert error_of(response)["code"] == "session_not_ready"


async def test_engines_without_the_capability_answer_501(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    session = await create_session(
        client, account, name="limited", auto_link=True,
        sandbox={**FAST_ACKS, "unsupported": ["edit", "revoke", "mark_read", "typing"]},
    )  # fmt: skip
    sid = session["id"]
    await session_in_status(client, account, sid, "WORKING")
    sent = await sent_text(client, account, sid)
    responses = {
        "edit": await edit(client, account, sent["id"], "changed"),
        "revoke": await revoke(client, account, sent["id"]),
        "mark_read": await chat_control(client, account, sid, "read"),
        "typing": await chat_control(client, account, sid, "typing", state="start"),
    }
    for operation, response in responses.items():
        assert response.status_code == 501, (operation, response.text)
        assert error_of(response)["code"] == "engine_unsupported"
        assert operation in error_of(response)["message"]

    # Before sending, an edit or a revoke only changes the gateway's row.
    await client.post(f"/v1/sessions/{sid}/stop", headers=account.headers)
    await session_in_status(client, account, sid, "STOPPED")
    queued = (await send(client, account, sid, type="text", chat_id=CHAT, text="x")).json()
    assert (await edit(client, account, queued["id"], "y")).status_code == 200
    assert (await revoke(client, account, queued["id"])).json()["status"] == "cancelled"


# -- the contract --------------------------------------------------------------------------


def test_the_openapi_document_lists_the_message_events_and_controls() -> None:
    document = json.loads(render_openapi())
    assert {"message.status", "message.reaction", "message.edited", "message.revoked"} <= set(
        document["webhooks"]
    )
    edited = document["webhooks"]["message.edited"]["post"]
    assert edited["operationId"] == "event_message_edited"
    assert document["paths"]["/v1/messages/{message_id}"]["patch"]["operationId"] == "edit_message"
    assert (
        document["paths"]["/v1/messages/{message_id}"]["delete"]["operationId"] == "revoke_message"
    )
    chats = "/v1/sessions/{session_id}/chats/{chat_id}"
    assert document["paths"][f"{chats}/read"]["post"]["operationId"] == "mark_chat_read"
    assert document["paths"][f"{chats}/typing"]["post"]["operationId"] == "set_chat_typing"
    message = document["components"]["schemas"]["MessageOut"]
    assert {"edited_at", "revoked_at"} <= set(message["properties"])
