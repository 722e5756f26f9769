"""Sending through the sandbox: accepted, sent, delivered, read, each one visible."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.models import SandboxSend
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.waiting import eventually

pytestmark = pytest.mark.usefixtures("engine_host")

FAST_ACKS = {"ack_delivered_ms": 50, "ack_read_ms": 50}


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


@pytest.fixture
async def session_id(client: httpx.AsyncClient, account: TestAccount) -> str:
    session = await create_session(client, account, auto_link=True, sandbox=FAST_ACKS)
    await session_in_status(client, account, session["id"], "WORKING")
    return str(session["id"])


async def send(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, **body: Any
) -> httpx.Response:
    return await client.post(
        f"/v1/sessions/{session_id}/messages", headers=account.headers, json=body
    )


async def message_in_status(
    client: httpx.AsyncClient, account: TestAccount, message_id: str, status: str, within: float = 8
) -> dict[str, Any]:
    async def fetch() -> dict[str, Any]:
        body: dict[str, Any] = (
            await client.get(f"/v1/messages/{message_id}", headers=account.headers)
        ).json()
        return body

    return await eventually(fetch, lambda m: m["status"] == status, within=within)


SENT_OR_BEYOND = ("sent", "delivered", "read", "played")


async def message_sent(
    client: httpx.AsyncClient, account: TestAccount, message_id: str, within: float = 8
) -> dict[str, Any]:
    """The message once it has been sent (acks may already have moved it on)."""

    async def fetch() -> dict[str, Any]:
        body: dict[str, Any] = (
            await client.get(f"/v1/messages/{message_id}", headers=account.headers)
        ).json()
        return body

    return await eventually(fetch, lambda m: m["status"] in SENT_OR_BEYOND, within=within)


async def status_events(
    client: httpx.AsyncClient, account: TestAccount, message_id: str
) -> list[str]:
    response = await client.get(
        "/v1/events",
        headers=account.headers,
        params={"type": "message.status", "limit": 100},
    )
    return [
        e["data"]["message"]["status"]
        for e in reversed(response.json()["data"])
        if e["data"]["message"]["id"] == message_id
    ]


BODIES: dict[str, dict[str, Any]] = {
    "text": {"text": "Hello there", "mentions": ["+12025550142"]},
    "location": {"latitude": 52.52, "longitude": 13.405, "name": "Berlin"},
    "contact": {"vcard": "BEGIN:VCARD\nVERSION:3.0\nFN:Ada\nTEL:+12025550142\nEND:VCARD"},
    "poll": {"question": "Lunch?", "options": ["Pizza", "Sushi"], "multiple_answers": True},
}


@pytest.mark.parametrize("kind", list(BODIES))
async def test_each_type_goes_queued_sent_delivered_read(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, kind: str
) -> None:
    response = await send(
        client, account, session_id, type=kind, chat_id="+1 202 555 0123", **BODIES[kind]
    )
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["status"] == "queued"
    assert accepted["chat_id"] == "12025550123@c.us"
    assert accepted["type"] == kind
    read = await message_in_status(client, account, accepted["id"], "read")
    assert read["engine_message_id"]
    assert read["sent_at"]
    assert read["delivered_at"]
    assert read["read_at"]
    assert await status_events(client, account, accepted["id"]) == [
        "sending",
        "sent",
        "delivered",
        "read",
    ]


async def test_reactions_and_replies_name_a_message_of_the_session(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    first = (
        await send(client, account, session_id, type="text", chat_id="+12025550123", text="hi")
    ).json()
    reply = await send(
        client,
        account,
        session_id,
        type="text",
        chat_id="+12025550123",
        text="re",
        reply_to=first["id"],
    )
    assert reply.status_code == 202
    reaction = await send(
        client, account, session_id, type="reaction", chat_id="+12025550123",
        message_id=first["id"], emoji="👍",
    )  # fmt: skip
    assert reaction.status_code == 202
    await message_in_status(client, account, reaction.json()["id"], "read")
    unknown = await send(
        client, account, session_id, type="reaction", chat_id="+12025550123",
        message_id="msg_01JA2B3C4D5E6F7G8H9J0KMNPQ", emoji="👍",
    )  # fmt: skip
    assert unknown.status_code == 422
    assert unknown.json()["error"]["param"] == "message_id"


async def test_magic_numbers(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    def text_to(number: str) -> dict[str, Any]:
        return {"type": "text", "chat_id": number, "text": f"to {number}"}

    not_on = (await send(client, account, session_id, **text_to("+12025550101"))).json()
    never_read = (await send(client, account, session_id, **text_to("+12025550102"))).json()
    flaky = (await send(client, account, session_id, **text_to("+12025550103"))).json()
    echo = (await send(client, account, session_id, **text_to("+12025550105"))).json()

    failed = await message_in_status(client, account, not_on["id"], "failed")
    assert failed["error"]["code"] == "recipient_not_on_whatsapp"
    retried = await message_in_status(client, account, flaky["id"], "read")
    assert retried["attempts"] == 3
    await message_in_status(client, account, echo["id"], "read")
    delivered = await message_in_status(client, account, never_read["id"], "delivered")
    await asyncio.sleep(0.5)
    again = (await client.get(f"/v1/messages/{never_read['id']}", headers=account.headers)).json()
    assert again["status"] == "delivered" == delivered["status"]
    assert again["read_at"] is None

    async def replies() -> list[dict[str, Any]]:
        response = await client.get(
            f"/v1/sessions/{session_id}/messages",
            headers=account.headers,
            params={"direction": "inbound"},
        )
        return list(response.json()["data"])

    inbound = await eventually(replies, lambda r: len(r) == 1)
    assert inbound[0]["content"]["text"] == "echo: to +12025550105"
    assert inbound[0]["chat_id"] == "12025550105@c.us"


async def test_a_session_logged_out_by_a_send_holds_the_messages_behind_it(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    drop = (
        await send(client, account, session_id, type="text", chat_id="+12025550104", text="bye")
    ).json()
    await session_in_status(client, account, session_id, "FAILED")
    await message_sent(client, account, drop["id"])
    behind = (
        await send(client, account, session_id, type="text", chat_id="+12025550123", text="wait")
    ).json()
    await asyncio.sleep(0.5)
    waiting = (await client.get(f"/v1/messages/{behind['id']}", headers=account.headers)).json()
    assert waiting["status"] == "queued"
    # Linked again, the session sends what waited.
    await client.post(f"/v1/sessions/{session_id}/restart", headers=account.headers)
    await session_in_status(client, account, session_id, "SCAN_QR_CODE")
    await client.post(f"/v1/sandbox/sessions/{session_id}/link", headers=account.headers)
    await message_in_status(client, account, behind["id"], "read")


async def test_messages_to_a_stopped_session_wait_for_it(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    sid = (await create_session(client, account, name="later", start=False, auto_link=True))["id"]
    queued = (
        await send(client, account, sid, type="text", chat_id="+12025550123", text="x")
    ).json()
    assert queued["status"] == "queued"
    await client.post(f"/v1/sessions/{sid}/start", headers=account.headers)
    await message_in_status(client, account, queued["id"], "read")


async def test_scheduled_message_waits_for_send_at_and_can_be_cancelled(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    soon = datetime.now(UTC) + timedelta(seconds=1.5)
    scheduled = (
        await send(client, account, session_id, type="text", chat_id="+12025550123",
                   text="later", send_at=soon.isoformat())
    ).json()  # fmt: skip
    assert scheduled["status"] == "scheduled"
    far = (
        await send(client, account, session_id, type="text", chat_id="+12025550123",
                   text="much later", send_at=(soon + timedelta(hours=1)).isoformat())
    ).json()  # fmt: skip
    await asyncio.sleep(0.8)
    early = (await client.get(f"/v1/messages/{scheduled['id']}", headers=account.headers)).json()
    assert early["status"] == "scheduled"
    sent = await message_sent(client, account, scheduled["id"], within=6)
    sent_at = datetime.fromisoformat(sent["sent_at"])
    assert soon <= sent_at < soon + timedelta(seconds=4)

    cancelled = await client.post(f"/v1/messages/{far['id']}/cancel", headers=account.headers)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    too_late = await client.post(f"/v1/messages/{scheduled['id']}/cancel", headers=account.headers)
    assert too_late.status_code == 409
    assert too_late.json()["error"]["code"] == "message_not_cancellable"


async def test_idempotency_key_sends_once(
    client: httpx.AsyncClient,
    account: TestAccount,
    session_id: str,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    headers = {**account.headers, "Idempotency-Key": "order-1234-confirmation"}
    body = {"type": "text", "chat_id": "+12025550123", "text": "Your order shipped"}
    first = await client.post(f"/v1/sessions/{session_id}/messages", headers=headers, json=body)
    second = await client.post(f"/v1/sessions/{session_id}/messages", headers=headers, json=body)
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["idempotent-replayed"] == "true"
    await message_in_status(client, account, first.json()["id"], "read")
    async with sessionmaker() as db:
        sends = await db.scalar(select(func.count()).select_from(SandboxSend))
    assert sends == 1


async def test_a_sessions_messages_go_out_in_order(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    ids = [
        (
            await send(
                client, account, session_id, type="text", chat_id="+12025550123", text=str(i)
            )
        ).json()["id"]
        for i in range(10)
    ]
    sent = [await message_in_status(client, account, i, "read") for i in ids]
    times = [datetime.fromisoformat(m["sent_at"]) for m in sent]
    assert times == sorted(times)


async def test_acks_faster_than_the_send_is_recorded_are_not_lost(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Acks due at once: they reach the host while the outbox is still sending the rest of
    # its batch, before the message is recorded as sent.
    account = await create_account(sessionmaker, default_rate_limit="100000/second")
    sid = (
        await create_session(
            client, account, auto_link=True, sandbox={"ack_delivered_ms": 0, "ack_read_ms": 0}
        )
    )["id"]
    await session_in_status(client, account, sid, "WORKING")
    responses = await asyncio.gather(
        *(
            send(client, account, sid, type="text", chat_id="+12025550123", text=f"n{n}")
            for n in range(20)
        )
    )
    ids = [r.json()["id"] for r in responses]
    for message_id in ids:
        await message_in_status(client, account, message_id, "read")

    async def all_status_events() -> dict[str, list[str]]:
        page = await client.get(
            "/v1/events",
            headers=account.headers,
            params={"type": "message.status", "session_id": sid, "limit": 100},
        )
        by_message: dict[str, list[str]] = {}
        for e in reversed(page.json()["data"]):
            by_message.setdefault(e["data"]["message"]["id"], []).append(
                e["data"]["message"]["status"]
            )
        return by_message

    seen = await all_status_events()
    assert {m: seen[m] for m in ids} == {m: ["sending", "sent", "delivered", "read"] for m in ids}
