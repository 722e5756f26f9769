"""Erasing a contact: nothing of them is readable afterwards, through any endpoint, in a
new export or in the media store; everyone else's data stays."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.config import Settings
from gateway.engines.sandbox.directory import lid_of
from tests.contacts.test_access import assert_error
from tests.exports.archives import (
    export_archive,
    listed,
    live_account,
    populate,
    run_worker,
)
from tests.factories import create_account, create_api_key, create_session, session_in_status
from tests.local_http import Reply, serving
from tests.waiting import eventually

ERASED = "+12025550123"
KEPT = "+12025550124"
# How the erased contact appears anywhere: its number's digits and its LID's.
TRACES = [ERASED.lstrip("+"), lid_of(ERASED).split("@")[0], "reply from " + ERASED]


def assert_no_trace(text: str, where: str) -> None:
    for trace in TRACES:
        assert trace not in text, (where, trace)


@pytest.mark.usefixtures("engine_host")
@pytest.mark.timeout(120)
async def test_nothing_of_an_erased_contact_remains_readable(
    client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await live_account(sessionmaker)
    with serving({"/hook": Reply(200)}) as receiver:
        made = await populate(client, account, receiver, peers=[ERASED, KEPT])
        await run_worker(settings)
        deliveries_path = f"/v1/webhooks/{made.webhook_id}/deliveries"
        await eventually(
            lambda: listed(client, account, deliveries_path),
            lambda ds: bool(ds) and all(d["status"] == "succeeded" for d in ds),
        )
    sid = made.session_id
    messages = await listed(client, account, f"/v1/sessions/{sid}/messages")
    theirs = [m for m in messages if ERASED.lstrip("+") in json.dumps(m)]
    assert len(theirs) == 4
    their_media = [m["content"]["media"]["id"] for m in theirs if m["content"].get("media")]
    events = await listed(client, account, "/v1/events")
    their_events = [e["id"] for e in events if ERASED.lstrip("+") in json.dumps(e)]
    assert their_events
    deliveries = await listed(client, account, deliveries_path)
    their_deliveries = [d["id"] for d in deliveries if d["event_id"] in their_events]
    assert their_deliveries
    files_before = {p.name for p in (settings.media_dir / account.id).iterdir()}
    assert set(their_media) <= files_before

    erased = await client.post(
        "/v1/contacts/erase", headers=account.headers, json={"phone_number": "+1 202-555-0123"}
    )
    assert erased.status_code == 200, erased.text
    receipt = erased.json()
    assert receipt["object"] == "contact_erasure"
    assert receipt["counts"]["messages"] == 4
    assert receipt["counts"]["media"] == len(their_media) == 2
    assert receipt["counts"]["events"] == len(their_events)

    # Every list and every object, as the API shows them now.
    pages: dict[str, Any] = {
        "messages": await listed(client, account, f"/v1/sessions/{sid}/messages"),
        "events": await listed(client, account, "/v1/events"),
        "media": await listed(client, account, "/v1/media"),
        "deliveries": [
            (await client.get(f"{deliveries_path}/{d['id']}", headers=account.headers)).json()
            for d in await listed(client, account, deliveries_path)
        ],
        "chats": await listed(client, account, f"/v1/sessions/{sid}/chats"),
        "contacts": await listed(client, account, f"/v1/sessions/{sid}/contacts"),
        "audit_log": await listed(client, account, "/v1/audit-log"),
    }
    for where, objects in pages.items():
        assert_no_trace(json.dumps(objects), where)
    for message in theirs:
        gone = await client.get(f"/v1/messages/{message['id']}", headers=account.headers)
        assert gone.status_code == 404
    for event_id in their_events:
        gone = await client.get(f"/v1/events/{event_id}", headers=account.headers)
        assert gone.status_code == 404
    for delivery_id in their_deliveries:
        gone = await client.get(f"{deliveries_path}/{delivery_id}", headers=account.headers)
        assert gone.status_code == 404
    for media_id in their_media:
        gone = await client.get(f"/v1/media/{media_id}", headers=account.headers)
        assert gone.status_code == 404
        content = await client.get(f"/v1/media/{media_id}/content", headers=account.headers)
        assert content.status_code == 404
    files_after = {p.name for p in (settings.media_dir / account.id).iterdir()}
    assert files_after == files_before - set(their_media)

    # The other contact's conversation is whole.
    kept = [m for m in pages["messages"] if KEPT.lstrip("+") in json.dumps(m)]
    assert len(kept) == 4
    assert len(pages["media"]) == 2
    assert any(KEPT.lstrip("+") in json.dumps(e) for e in pages["events"])

    # A new export holds nothing of them either.
    _, archive = await export_archive(client, account, settings)
    assert_no_trace(json.dumps(archive), "export")
    assert len(archive["messages"]) == 4

    # Audited, under a keyed digest: the entry does not name the number.
    entries = [e for e in pages["audit_log"] if e["action"] == "contact.erased"]
    assert len(entries) == 1
    assert entries[0]["resource"]["type"] == "contact"
    assert entries[0]["resource"]["id"].startswith("anon_")
    assert entries[0]["changes"]["counts"] == receipt["counts"]


@pytest.mark.usefixtures("engine_host")
async def test_a_contact_is_erased_by_lid(
    client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await live_account(sessionmaker)
    with serving({"/hook": Reply(200)}) as receiver:
        made = await populate(client, account, receiver, peers=[KEPT])
    lid = lid_of("+12025550121")  # Lin, who writes from a LID only
    injected = await client.post(
        f"/v1/sandbox/sessions/{made.session_id}/inbound",
        headers=account.headers,
        json={"from": "+12025550121", "from_lid": lid, "text": "from behind a LID"},
    )
    assert injected.status_code == 202, injected.text
    path = f"/v1/sessions/{made.session_id}/messages"

    async def texts() -> list[Any]:
        return [m["content"].get("text") for m in await listed(client, account, path)]

    await eventually(texts, lambda t: "from behind a LID" in t)
    erased = await client.post("/v1/contacts/erase", headers=account.headers, json={"lid": lid})
    assert erased.status_code == 200, erased.text
    assert erased.json()["identifier"] == "lid"
    assert erased.json()["counts"]["messages"] == 1
    remaining = await texts()
    assert "from behind a LID" not in remaining
    assert len(remaining) == 4
    assert lid.split("@")[0] not in json.dumps(await listed(client, account, "/v1/events"))


async def test_an_erasure_names_what_is_wrong_with_its_body(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await live_account(sessionmaker)

    async def erase(body: Any) -> httpx.Response:
        return await client.post("/v1/contacts/erase", headers=account.headers, json=body)

    assert_error(await erase({}), 422, "parameter_invalid", param="phone_number")
    assert_error(
        await erase({"phone_number": ERASED, "lid": lid_of(ERASED)}),
        422,
        "parameter_invalid",
        param="lid",
    )
    assert_error(
        await erase({"phone_number": "12"}), 422, "parameter_invalid", param="phone_number"
    )
    assert_error(await erase({"lid": "+12025550123"}), 422, "parameter_invalid", param="lid")
    unknown = await erase({"phone_number": ERASED, "name": "x"})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["param"] == "name"

    reader = await create_api_key(
        sessionmaker, account.id, scopes={"contacts": "read"}, mode=KeyMode.live
    )
    denied = await client.post(
        "/v1/contacts/erase", headers=reader.headers, json={"phone_number": ERASED}
    )
    assert_error(denied, 403, "insufficient_scope", type="permission_error")
    test_mode = await create_account(sessionmaker)
    refused = await client.post(
        "/v1/contacts/erase", headers=test_mode.headers, json={"phone_number": ERASED}
    )
    assert_error(refused, 403, "livemode_required", type="permission_error")


ADA, GRACE = "+12025550111", "+12025550112"


@pytest.mark.usefixtures("engine_host")
async def test_in_a_group_the_messages_the_contact_sent_are_erased(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await live_account(sessionmaker)
    sid = (await create_session(client, account, auto_link=True))["id"]
    await session_in_status(client, account, sid, "WORKING")
    created = await client.post(
        f"/v1/sessions/{sid}/groups",
        headers=account.headers,
        json={"subject": "Launch", "participants": [ADA, GRACE]},
    )
    assert created.status_code == 201, created.text
    gid = created.json()["id"]
    for sender in (ADA, GRACE):
        injected = await client.post(
            f"/v1/sandbox/sessions/{sid}/inbound",
            headers=account.headers,
            json={"from": sender, "group_id": gid, "text": f"hi from {sender}"},
        )
        assert injected.status_code == 202, injected.text
    path = f"/v1/sessions/{sid}/messages"

    async def texts() -> list[Any]:
        return sorted(m["content"].get("text") for m in await listed(client, account, path))

    await eventually(texts, lambda t: len(t) == 2)
    erased = await client.post(
        "/v1/contacts/erase", headers=account.headers, json={"phone_number": GRACE}
    )
    assert erased.status_code == 200, erased.text
    assert erased.json()["counts"]["messages"] == 1
    assert await texts() == [f"hi from {ADA}"]
    group = await client.get(f"/v1/sessions/{sid}/groups/{gid}", headers=account.headers)
    assert GRACE.lstrip("+") not in group.text
    assert ADA.lstrip("+") in group.text
    assert GRACE.lstrip("+") not in json.dumps(await listed(client, account, "/v1/events"))
