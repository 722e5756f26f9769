"""Another account's objects never appear, whatever address is typed."""

from __future__ import annotations

import re

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.dashboard.conftest import form_token, signed_in
from tests.factories import TestAccount, create_account


async def test_two_accounts_see_only_their_own(
    web: httpx.AsyncClient,
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    other = await create_account(sessionmaker, name="Other Co")
    mine = await client.post(
        "/v1/sessions", headers=account.headers, json={"name": "mine", "start": False}
    )
    theirs = await client.post(
        "/v1/sessions", headers=other.headers, json={"name": "theirs", "start": False}
    )
    my_id, their_id = mine.json()["id"], theirs.json()["id"]

    await signed_in(web, account.key)
    listing = await web.get("/dashboard/sessions")
    assert my_id in listing.text
    assert their_id not in listing.text
    assert "theirs" not in listing.text
    state = (await web.get("/dashboard/sessions/state")).json()
    assert [s["id"] for s in state["sessions"]] == [my_id]
    keys = await web.get("/dashboard/api-keys")
    assert account.key_id in keys.text
    assert other.key_id not in keys.text

    for path in (
        f"/dashboard/sessions/{their_id}",
        f"/dashboard/sessions/{their_id}/qr.png",
        f"/dashboard/sessions/{their_id}/state",
    ):
        response = await web.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert "Not found" in response.text
        assert "theirs" not in response.text

    token = await form_token(web)
    for path in (
        f"/dashboard/sessions/{their_id}/start",
        f"/dashboard/sessions/{their_id}/stop",
        f"/dashboard/sessions/{their_id}/logout",
        f"/dashboard/sessions/{their_id}/delete",
        f"/dashboard/sessions/{their_id}/pairing-code",
        f"/dashboard/sessions/{their_id}/messages",
        f"/dashboard/api-keys/{other.key_id}/revoke",
    ):
        response = await web.post(
            path, data={"csrf_token": token, "chat_id": "+12025550123", "text": "hi"}
        )
        assert response.status_code == 404, (path, response.text[:300])
        assert "theirs" not in response.text

    after = await client.get(f"/v1/sessions/{their_id}", headers=other.headers)
    assert after.status_code == 200
    assert after.json()["desired_state"] == "stopped"
    assert (await client.get("/v1/account", headers=other.headers)).status_code == 200
    messages = await client.get(f"/v1/sessions/{their_id}/messages", headers=other.headers)
    assert messages.json()["data"] == []


async def test_messages_are_listed_newest_first_a_page_at_a_time(
    web: httpx.AsyncClient, client: httpx.AsyncClient, account: TestAccount
) -> None:
    # A stopped session keeps what it is sent queued: the list needs no engine.
    created = await client.post(
        "/v1/sessions", headers=account.headers, json={"name": "quiet", "start": False}
    )
    sid = created.json()["id"]
    ids = []
    for n in range(27):
        sent = await client.post(
            f"/v1/sessions/{sid}/messages",
            headers=account.headers,
            json={"type": "text", "chat_id": "+12025550111", "text": f"note {n:02d}"},
        )
        assert sent.status_code == 202, sent.text
        ids.append(sent.json()["id"])
    await signed_in(web, account.key)
    first = await web.get(f"/dashboard/sessions/{sid}")
    shown = re.findall(r'data-message="(msg_\w+)"', first.text)
    assert shown == list(reversed(ids))[:25]
    older = re.search(r'href="(/dashboard/sessions/ses_\w+\?after=msg_\w+)#messages"', first.text)
    assert older is not None
    second = await web.get(older[1])
    assert re.findall(r'data-message="(msg_\w+)"', second.text) == [ids[1], ids[0]]
    assert "Older messages" not in second.text
    assert "queued" in second.text
