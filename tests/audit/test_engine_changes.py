"""Audit entries for the changes made through an engine (contacts, groups, chats, messages,
pairing codes): written once the engine made the change, none when it refused, and none
for what changes nothing stored (typing, number checks, reads)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from tests.factories import (
    TestAccount,
    create_account,
    create_session,
    pseudonym,
    session_in_status,
)
from tests.messages.test_pipeline import FAST_ACKS, message_in_status, send

pytestmark = pytest.mark.usefixtures("engine_host")

ADA, GRACE = "+12025550111", "+12025550112"
ADA_ID, GRACE_ID = "12025550111@c.us", "12025550112@c.us"


@pytest.fixture
def ada(settings: Settings) -> str:
    return pseudonym(settings, ADA_ID)


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


@pytest.fixture
async def sid(client: httpx.AsyncClient, account: TestAccount) -> str:
    session = await create_session(client, account, auto_link=True, sandbox=FAST_ACKS)
    await session_in_status(client, account, session["id"], "WORKING")
    return str(session["id"])


async def entries(
    client: httpx.AsyncClient, account: TestAccount, action: str | None = None
) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"limit": 100}
    if action is not None:
        params["action"] = action
    response = await client.get("/v1/audit-log", headers=account.headers, params=params)
    assert response.status_code == 200, response.text
    return [e for e in reversed(response.json()["data"]) if not e["action"].startswith("session.")]


def summary(found: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(e["action"], e["resource"]["type"], e["resource"]["id"]) for e in found]


async def test_contacts_blocked_and_unblocked(
    client: httpx.AsyncClient, account: TestAccount, sid: str, ada: str
) -> None:
    base = f"/v1/sessions/{sid}/contacts"
    assert (await client.post(f"{base}/{ADA}/block", headers=account.headers)).status_code == 200
    assert (await client.post(f"{base}/{ADA}/unblock", headers=account.headers)).status_code == 200
    checked = await client.post(f"{base}/check", headers=account.headers, json={"numbers": [ADA]})
    assert checked.status_code == 200, checked.text
    found = await entries(client, account)
    assert summary(found) == [
        ("contact.blocked", "contact", ada),
        ("contact.unblocked", "contact", ada),
    ]
    # The same person whichever form the number came in, and never the number itself.
    assert ada.startswith("anon_")
    assert "12025550111" not in str(found)
    first = found[0]
    assert first["changes"] == {"session_id": sid}
    assert (first["actor"]["type"], first["actor"]["id"]) == ("api_key", account.key_id)
    assert first["request_id"]


async def test_a_group_from_creation_to_leaving(
    client: httpx.AsyncClient, account: TestAccount, sid: str, settings: Settings
) -> None:
    base = f"/v1/sessions/{sid}/groups"
    created = await client.post(
        base, headers=account.headers, json={"subject": "Crew", "participants": [ADA]}
    )
    assert created.status_code in (200, 201), created.text
    gid = created.json()["id"]
    updated = await client.patch(
        f"{base}/{gid}", headers=account.headers, json={"subject": "Crew 2"}
    )
    assert updated.status_code == 200, updated.text
    added = await client.post(
        f"{base}/{gid}/participants/add",
        headers=account.headers,
        json={"participants": [GRACE, "not a number"]},
    )
    assert added.status_code == 200, added.text
    invite = await client.get(f"{base}/{gid}/invite", headers=account.headers)
    assert invite.status_code == 200, invite.text
    revoked = await client.post(f"{base}/{gid}/invite/revoke", headers=account.headers)
    assert revoked.status_code == 200, revoked.text
    left = await client.post(f"{base}/{gid}/leave", headers=account.headers)
    assert left.status_code in (200, 204), left.text

    found = await entries(client, account, "group.*")
    assert summary(found) == [
        ("group.created", "group", gid),
        ("group.updated", "group", gid),
        ("group.participants_updated", "group", gid),
        ("group.invite_revoked", "group", gid),
        ("group.left", "group", gid),
    ]
    by_action = {e["action"]: e["changes"] for e in found}
    assert by_action["group.created"]["subject"] == "Crew"
    assert by_action["group.updated"] == {"session_id": sid, "subject": {"to": "Crew 2"}}
    assert by_action["group.participants_updated"] == {
        "session_id": sid,
        "action": "add",
        "participants": [pseudonym(settings, GRACE_ID)],
        "failed": [pseudonym(settings, "not a number")],
    }
    # The invite code lets anyone in: it is in no entry.
    assert invite.json()["code"] not in str(found)
    assert revoked.json()["code"] not in str(found)
    assert "12025550112" not in str(found)
    assert "12025550111" not in str(found)


async def test_a_refused_engine_call_leaves_no_entry(
    client: httpx.AsyncClient, account: TestAccount, sid: str
) -> None:
    refused = await client.post(
        f"/v1/sessions/{sid}/groups",
        headers=account.headers,
        json={"subject": "Team", "participants": [ADA, "+1 202 555 0131"]},
    )
    assert refused.status_code >= 400, refused.text
    left = await client.post(
        f"/v1/sessions/{sid}/groups/120363999999999999@g.us/leave", headers=account.headers
    )
    assert left.status_code >= 400, left.text
    assert await entries(client, account) == []


async def test_chat_controls(
    client: httpx.AsyncClient, account: TestAccount, sid: str, ada: str
) -> None:
    accepted = await send(client, account, sid, type="text", chat_id=ADA, text="Hello")
    await message_in_status(client, account, accepted.json()["id"], "read")
    base = f"/v1/sessions/{sid}/chats/{ADA_ID}"
    for path in ("archive", "unarchive", "unread", "read"):
        response = await client.post(f"{base}/{path}", headers=account.headers)
        assert response.status_code == 200, (path, response.text)
    typing = await client.post(f"{base}/typing", headers=account.headers, json={"state": "start"})
    assert typing.status_code == 200, typing.text
    deleted = await client.delete(base, headers=account.headers)
    assert deleted.status_code == 200, deleted.text
    assert summary(await entries(client, account, "chat.*")) == [
        ("chat.archived", "chat", ada),
        ("chat.unarchived", "chat", ada),
        ("chat.marked_unread", "chat", ada),
        ("chat.read", "chat", ada),
        ("chat.deleted", "chat", ada),
    ]


async def test_messages_edited_revoked_and_cancelled(
    client: httpx.AsyncClient, account: TestAccount, sid: str, ada: str
) -> None:
    accepted = await send(client, account, sid, type="text", chat_id=ADA, text="Helo")
    mid = accepted.json()["id"]
    await message_in_status(client, account, mid, "read")
    edited = await client.patch(
        f"/v1/messages/{mid}", headers=account.headers, json={"text": "Hello"}
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["edited_at"] is not None
    revoked = await client.delete(f"/v1/messages/{mid}", headers=account.headers)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"] is not None
    scheduled = await send(
        client, account, sid, type="text", chat_id=ADA, text="Later",
        send_at="2099-01-01T00:00:00Z",
    )  # fmt: skip
    assert scheduled.status_code == 202, scheduled.text
    later = scheduled.json()["id"]
    cancelled = await client.post(f"/v1/messages/{later}/cancel", headers=account.headers)
    assert cancelled.status_code == 200, cancelled.text

    found = await entries(client, account, "message.*")
    assert summary(found) == [
        ("message.edited", "message", mid),
        ("message.revoked", "message", mid),
        ("message.cancelled", "message", later),
    ]
    assert found[0]["changes"] == {"session_id": sid, "chat_id": ada}
    assert "Hello" not in str(found)  # what was written is the chat's, not the log's


async def test_a_pairing_code_request(
    client: httpx.AsyncClient, account: TestAccount, settings: Settings
) -> None:
    sid = (await create_session(client, account))["id"]
    await session_in_status(client, account, sid, "SCAN_QR_CODE")
    response = await client.post(
        f"/v1/sessions/{sid}/pairing-code",
        headers=account.headers,
        json={"phone_number": "+44 20 7946 0958"},
    )
    assert response.status_code == 200, response.text
    listed = await client.get(
        "/v1/audit-log",
        headers=account.headers,
        params={"action": "session.pairing_code_requested"},
    )
    [entry] = listed.json()["data"]
    assert (entry["resource"]["id"], entry["changes"]) == (
        sid,
        {"phone_number": pseudonym(settings, "+442079460958")},
    )
    assert response.json()["code"] not in str(entry)
