"""The chat list in the sandbox: unread counts, last messages, archive, unread, delete."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.messages.test_pipeline import FAST_ACKS, message_in_status, send
from tests.waiting import eventually

pytestmark = pytest.mark.usefixtures("engine_host")

ADA, GRACE = "12025550111@c.us", "12025550112@c.us"


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


@pytest.fixture
async def session_id(client: httpx.AsyncClient, account: TestAccount) -> str:
    session = await create_session(client, account, auto_link=True, sandbox=FAST_ACKS)
    await session_in_status(client, account, session["id"], "WORKING")
    return str(session["id"])


async def chats(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, **params: Any
) -> list[dict[str, Any]]:
    response = await client.get(
        f"/v1/sessions/{session_id}/chats", headers=account.headers, params=params
    )
    assert response.status_code == 200, response.text
    return list(response.json()["data"])


async def chat(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, chat_id: str
) -> httpx.Response:
    return await client.get(f"/v1/sessions/{session_id}/chats/{chat_id}", headers=account.headers)


async def action(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, chat_id: str, verb: str
) -> dict[str, Any]:
    response = await client.post(
        f"/v1/sessions/{session_id}/chats/{chat_id}/{verb}", headers=account.headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
async def conversation(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> dict[str, str]:
    """A message sent to Ada, then two received from Grace: the gateway's ids."""
    sent = (await send(client, account, session_id, type="text", chat_id="+12025550111",
                       text="Hi Ada")).json()  # fmt: skip
    await message_in_status(client, account, sent["id"], "read")
    for text in ("Hi!", "Are you there?"):
        response = await client.post(
            f"/v1/sandbox/sessions/{session_id}/inbound",
            headers=account.headers,
            json={"from": "+12025550112", "from_name": "Grace", "text": text},
        )
        assert response.status_code == 202

    async def grace_unread() -> int:
        found = [c for c in await chats(client, account, session_id) if c["id"] == GRACE]
        return int(found[0]["unread_count"]) if found else 0

    await eventually(grace_unread, lambda count: count == 2)
    messages = await client.get(
        f"/v1/sessions/{session_id}/messages",
        headers=account.headers,
        params={"chat_id": GRACE, "limit": 1},
    )
    return {"sent": sent["id"], "received": messages.json()["data"][0]["id"]}


async def test_chats_show_unread_counts_and_last_messages(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, conversation: dict[str, str]
) -> None:
    grace, ada = await chats(client, account, session_id)
    assert (grace["id"], grace["name"], grace["is_group"]) == (GRACE, "Grace Hopper", False)
    assert grace["unread_count"] == 2
    assert grace["last_message"]["text"] == "Are you there?"
    assert grace["last_message"]["from_me"] is False
    assert grace["last_message"]["from_id"] == GRACE
    assert grace["last_message"]["id"] == conversation["received"]
    assert (ada["id"], ada["name"], ada["unread_count"]) == (ADA, "Ada Lovelace", 0)
    assert ada["last_message"]["from_me"] is True
    assert ada["last_message"]["id"] == conversation["sent"]
    assert grace["last_activity_at"] > ada["last_activity_at"]

    one = await chat(client, account, session_id, "+12025550112")
    assert one.json() == grace

    read = await client.post(
        f"/v1/sessions/{session_id}/chats/{GRACE}/read", headers=account.headers
    )
    assert read.status_code == 200
    assert (await chat(client, account, session_id, GRACE)).json()["unread_count"] == 0
    marked = await action(client, account, session_id, GRACE, "unread")
    assert marked["marked_unread"] is True
    await client.post(f"/v1/sessions/{session_id}/chats/{GRACE}/read", headers=account.headers)
    assert (await chat(client, account, session_id, GRACE)).json()["marked_unread"] is False


async def test_archive_and_filter(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, conversation: dict[str, str]
) -> None:
    archived = await action(client, account, session_id, ADA, "archive")
    assert archived["archived"] is True
    assert [c["id"] for c in await chats(client, account, session_id, archived="true")] == [ADA]
    assert [c["id"] for c in await chats(client, account, session_id, archived="false")] == [GRACE]
    assert [c["id"] for c in await chats(client, account, session_id)] == [GRACE, ADA]
    restored = await action(client, account, session_id, ADA, "unarchive")
    assert restored["archived"] is False
    page = await client.get(
        f"/v1/sessions/{session_id}/chats",
        headers=account.headers,
        params={"limit": 1, "starting_after": GRACE},
    )
    assert [c["id"] for c in page.json()["data"]] == [ADA]
    assert page.json()["has_more"] is False


async def test_deleting_a_chat_keeps_the_gateways_messages(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, conversation: dict[str, str]
) -> None:
    deleted = await client.delete(f"/v1/sessions/{session_id}/chats/{GRACE}",
                                  headers=account.headers)  # fmt: skip
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"id": GRACE, "object": "chat", "deleted": True}
    assert [c["id"] for c in await chats(client, account, session_id)] == [ADA]
    gone = await chat(client, account, session_id, GRACE)
    assert (gone.status_code, gone.json()["error"]["param"]) == (404, "chat_id")
    again = await client.delete(f"/v1/sessions/{session_id}/chats/{GRACE}",
                                headers=account.headers)  # fmt: skip
    assert again.status_code == 404

    history = await client.get(
        f"/v1/sessions/{session_id}/chats/{GRACE}/messages", headers=account.headers
    )
    assert history.status_code == 200
    assert [m["content"]["text"] for m in history.json()["data"]] == ["Are you there?", "Hi!"]
    same = await client.get(
        f"/v1/sessions/{session_id}/messages",
        headers=account.headers,
        params={"chat_id": GRACE},
    )
    assert history.json() == same.json()


async def test_group_chats_are_named_by_their_subject(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    created = await client.post(
        f"/v1/sessions/{session_id}/groups",
        headers=account.headers,
        json={"subject": "Book club", "participants": ["+12025550111"]},
    )
    gid = created.json()["id"]
    [group_chat] = await chats(client, account, session_id)
    assert (group_chat["id"], group_chat["name"], group_chat["is_group"]) == (
        gid, "Book club", True,
    )  # fmt: skip
    assert group_chat["last_message"] is None
    await client.patch(
        f"/v1/sessions/{session_id}/groups/{gid}",
        headers=account.headers,
        json={"subject": "Book club (2025)"},
    )
    assert (await chat(client, account, session_id, gid)).json()["name"] == "Book club (2025)"
