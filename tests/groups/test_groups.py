"""Groups in the sandbox: every step visible in the API and as events."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.events.schemas import EVENT_PAYLOADS
from gateway.events.types import EventType
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.waiting import eventually

pytestmark = pytest.mark.usefixtures("engine_host")

ADA, GRACE, ALAN = "+12025550111", "+12025550112", "+12025550113"
ADA_ID, GRACE_ID, ALAN_ID = "12025550111@c.us", "12025550112@c.us", "12025550113@c.us"


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


async def working_session(
    client: httpx.AsyncClient, account: TestAccount, name: str = "main", phone: str | None = None
) -> tuple[str, str]:
    """A WORKING sandbox session and its own phone-number id."""
    session = await create_session(client, account, name=name, start=True)
    sid = str(session["id"])
    await session_in_status(client, account, sid, "SCAN_QR_CODE")
    linked = await client.post(
        f"/v1/sandbox/sessions/{sid}/link",
        headers=account.headers,
        json={"phone_number": phone} if phone else {},
    )
    assert linked.status_code == 200, linked.text
    await session_in_status(client, account, sid, "WORKING")
    return sid, f"{linked.json()['phone_number'].lstrip('+')}@c.us"


async def group_events(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> list[dict[str, Any]]:
    """The session's group events, oldest first, each checked against its published
    payload model."""
    response = await client.get(
        "/v1/events", headers=account.headers, params={"session_id": session_id, "limit": 100}
    )
    assert response.status_code == 200, response.text
    events = [e for e in reversed(response.json()["data"]) if e["type"].startswith("group.")]
    for event in events:
        EVENT_PAYLOADS[EventType(event["type"])].model_validate(event["data"])
    return events


async def group_events_when(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, count: int
) -> list[dict[str, Any]]:
    """The session's group events once there are ``count``: engines report changes
    shortly after making them, as WhatsApp notifies them."""

    async def fetch() -> list[dict[str, Any]]:
        return await group_events(client, account, session_id)

    events = await eventually(fetch, lambda events: len(events) >= count)
    assert len(events) == count, [e["type"] for e in events]
    return events


def roles(group: dict[str, Any]) -> dict[str, str]:
    return {p["id"]: p["role"] for p in group["participants"]}


async def test_a_group_from_creation_to_leaving(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    sid, me = await working_session(client, account)
    base = f"/v1/sessions/{sid}/groups"
    headers = account.headers

    created = await client.post(
        base, headers=headers, json={"subject": "Launch", "participants": [ADA, GRACE, ALAN]}
    )
    assert created.status_code == 201, created.text
    group = created.json()
    gid = group["id"]
    assert gid.endswith("@g.us")
    assert group["owner"] == me
    assert roles(group) == {me: "superadmin", ADA_ID: "member", GRACE_ID: "member",
                            ALAN_ID: "member"}  # fmt: skip
    listed = (await client.get(base, headers=headers)).json()["data"]
    assert [g["id"] for g in listed] == [gid]

    promoted = await client.post(
        f"{base}/{gid}/participants/promote", headers=headers, json={"participants": [ADA]}
    )
    assert promoted.status_code == 200, promoted.text
    assert promoted.json()["results"] == [
        {"participant": ADA, "id": ADA_ID, "status": "promoted", "error": None}
    ]
    assert roles(promoted.json()["group"])[ADA_ID] == "admin"

    renamed = await client.patch(f"{base}/{gid}", headers=headers, json={"subject": "Launch day"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["subject"] == "Launch day"

    inbound = await client.post(
        f"/v1/sandbox/sessions/{sid}/inbound",
        headers=headers,
        json={"from": GRACE, "group_id": gid, "text": "Ready when you are"},
    )
    assert inbound.status_code == 202, inbound.text

    async def received() -> list[dict[str, Any]]:
        response = await client.get(
            "/v1/events", headers=headers, params={"type": "message.received"}
        )
        return list(response.json()["data"])

    [event] = await eventually(received, lambda events: len(events) == 1)
    message = event["data"]["message"]
    assert message["group_id"] == gid
    assert message["chat_id"] == gid
    assert message["from_id"] == GRACE_ID
    assert message["from_phone_number"] == GRACE
    assert message["from_name"] == "Grace"
    assert message["text"] == "Ready when you are"

    removed = await client.post(
        f"{base}/{gid}/participants/remove", headers=headers, json={"participants": [ALAN]}
    )
    assert removed.status_code == 200, removed.text
    assert removed.json()["results"][0]["status"] == "removed"
    assert ALAN_ID not in roles(removed.json()["group"])

    left = await client.post(f"{base}/{gid}/leave", headers=headers)
    assert left.status_code == 200, left.text
    assert left.json()["group_id"] == gid
    assert (await client.get(base, headers=headers)).json()["data"] == []
    gone = await client.get(f"{base}/{gid}", headers=headers)
    assert gone.status_code == 404
    assert gone.json()["error"]["param"] == "group_id"

    events = await group_events_when(client, account, sid, 5)
    assert [e["type"] for e in events] == [
        "group.joined",
        "group.participants",
        "group.updated",
        "group.participants",
        "group.left",
    ]
    joined, promote, update, remove, leave = (e["data"] for e in events)
    assert joined["via"] == "created"
    assert joined["group"]["id"] == gid
    assert promote["action"] == "promote"
    assert [p["id"] for p in promote["participants"]] == [ADA_ID]
    assert update["changes"] == ["subject"]
    assert update["group"]["subject"] == "Launch day"
    assert remove["action"] == "remove"
    assert [p["id"] for p in remove["participants"]] == [ALAN_ID]
    assert leave == {"by": me, "reason": "left", "group_id": gid, "subject": "Launch day"}


async def test_participant_changes_report_each_participant(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    sid, me = await working_session(client, account)
    base = f"/v1/sessions/{sid}/groups"
    gid = (
        await client.post(base, headers=account.headers,
                          json={"subject": "Team", "participants": [ADA]})
    ).json()["id"]  # fmt: skip

    added = await client.post(
        f"{base}/{gid}/participants/add",
        headers=account.headers,
        json={"participants": [GRACE, "+12025550131", "12345", ADA, GRACE]},
    )
    assert added.status_code == 200, added.text
    results = added.json()["results"]
    assert [(r["participant"], r["status"]) for r in results] == [
        (GRACE, "added"),
        ("+12025550131", "failed"),
        ("12345", "failed"),
        (ADA, "failed"),
        (GRACE, "failed"),
    ]
    assert [r["error"]["code"] for r in results[1:]] == [
        "not_on_whatsapp", "invalid_phone_number", "already_participant", "already_participant",
    ]  # fmt: skip
    assert roles(added.json()["group"]) == {me: "superadmin", ADA_ID: "member",
                                            GRACE_ID: "member"}  # fmt: skip

    demote_owner = await client.post(
        f"{base}/{gid}/participants/demote", headers=account.headers, json={"participants": [me]}
    )
    assert demote_owner.json()["results"][0]["error"]["code"] == "cannot_change_self"
    not_there = await client.post(
        f"{base}/{gid}/participants/remove", headers=account.headers, json={"participants": [ALAN]}
    )
    assert not_there.json()["results"][0]["error"]["code"] == "not_participant"

    # The creation, then the one change that was made.
    events = await group_events_when(client, account, sid, 2)
    changes = [e["data"] for e in events if e["type"] == "group.participants"]
    # Only what changed is reported: failed participants make no event.
    assert [(c["action"], [p["id"] for p in c["participants"]]) for c in changes] == [
        ("add", [GRACE_ID])
    ]


async def test_update_description_picture_and_settings(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    sid, _ = await working_session(client, account)
    base = f"/v1/sessions/{sid}/groups"
    gid = (
        await client.post(base, headers=account.headers,
                          json={"subject": "Team", "participants": [ADA]})
    ).json()["id"]  # fmt: skip
    upload = await client.post(
        "/v1/media",
        headers=account.headers,
        files={"file": ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")},
    )
    assert upload.status_code == 201, upload.text

    updated = await client.patch(
        f"{base}/{gid}",
        headers=account.headers,
        json={
            "description": "Launch coordination",
            "picture": {"media_id": upload.json()["id"]},
            "settings": {"only_admins_send": True},
        },
    )
    assert updated.status_code == 200, updated.text
    group = updated.json()
    assert group["description"] == "Launch coordination"
    assert group["picture_url"] is not None
    assert group["settings"] == {"only_admins_send": True, "only_admins_edit_info": False}

    cleared = await client.patch(
        f"{base}/{gid}", headers=account.headers, json={"description": "", "picture": None}
    )
    assert cleared.json()["description"] is None
    assert cleared.json()["picture_url"] is None
    unchanged = await client.patch(f"{base}/{gid}", headers=account.headers, json={})
    assert unchanged.status_code == 200

    events = await group_events_when(client, account, sid, 3)
    assert [e["data"]["changes"] for e in events if e["type"] == "group.updated"] == [
        ["description", "picture", "settings"],
        ["description", "picture"],
    ]

    not_an_image = await client.post(
        "/v1/media",
        headers=account.headers,
        files={"file": ("notes.txt", b"hello", "text/plain")},
    )
    refused = await client.patch(
        f"{base}/{gid}",
        headers=account.headers,
        json={"picture": {"media_id": not_an_image.json()["id"]}},
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["param"] == "picture.media_id"


async def test_invite_codes_join_and_admin_rights(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    owner, owner_id = await working_session(client, account, "owner", "+14155550100")
    guest, guest_id = await working_session(client, account, "guest", "+14155550101")
    gid = (
        await client.post(f"/v1/sessions/{owner}/groups", headers=account.headers,
                          json={"subject": "Club", "participants": [ADA]})
    ).json()["id"]  # fmt: skip

    invite = await client.get(f"/v1/sessions/{owner}/groups/{gid}/invite", headers=account.headers)
    assert invite.status_code == 200, invite.text
    code = invite.json()["code"]
    assert invite.json()["url"] == f"https://chat.whatsapp.com/{code}"

    preview = await client.get(
        f"/v1/sessions/{guest}/groups/join-info",
        headers=account.headers,
        params={"code": invite.json()["url"]},
    )
    assert preview.status_code == 200, preview.text
    assert (preview.json()["id"], preview.json()["subject"], preview.json()["size"]) == (
        gid, "Club", 2,
    )  # fmt: skip

    joined = await client.post(
        f"/v1/sessions/{guest}/groups/join", headers=account.headers, json={"code": code}
    )
    assert joined.status_code == 200, joined.text
    assert roles(joined.json())[guest_id] == "member"
    [event] = await group_events_when(client, account, guest, 1)
    assert (event["type"], event["data"]["via"]) == ("group.joined", "invite")
    owner_events = await group_events_when(client, account, owner, 2)
    assert owner_events[1]["data"]["action"] == "join"
    assert [p["id"] for p in owner_events[1]["data"]["participants"]] == [guest_id]

    # A member who is not an admin may not manage the group.
    for method, path, body in [
        ("POST", f"/groups/{gid}/participants/add", {"participants": [GRACE]}),
        ("GET", f"/groups/{gid}/invite", None),
        ("PATCH", f"/groups/{gid}", {"settings": {"only_admins_edit_info": True}}),
    ]:
        response = await client.request(
            method, f"/v1/sessions/{guest}{path}", headers=account.headers, json=body
        )
        assert response.status_code == 403, (path, response.text)
        assert response.json()["error"]["code"] == "group_admin_required"

    revoked = await client.post(
        f"/v1/sessions/{owner}/groups/{gid}/invite/revoke", headers=account.headers
    )
    assert revoked.json()["code"] != code
    stale = await client.get(
        f"/v1/sessions/{guest}/groups/join-info", headers=account.headers, params={"code": code}
    )
    assert stale.status_code == 404
    assert stale.json()["error"]["param"] == "code"
    assert owner_id != guest_id


async def test_announcement_groups_refuse_members_messages(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    owner, _ = await working_session(client, account, "owner", "+14155550100")
    member, member_id = await working_session(client, account, "member", "+14155550101")
    gid = (
        await client.post(f"/v1/sessions/{owner}/groups", headers=account.headers,
                          json={"subject": "News", "participants": [member_id]})
    ).json()["id"]  # fmt: skip
    await client.patch(
        f"/v1/sessions/{owner}/groups/{gid}",
        headers=account.headers,
        json={"settings": {"only_admins_send": True}},
    )
    sent = await client.post(
        f"/v1/sessions/{member}/messages",
        headers=account.headers,
        json={"type": "text", "chat_id": gid, "text": "Can I post?"},
    )
    assert sent.status_code == 202

    async def message() -> dict[str, Any]:
        response = await client.get(f"/v1/messages/{sent.json()['id']}", headers=account.headers)
        body: dict[str, Any] = response.json()
        return body

    failed = await eventually(message, lambda m: m["status"] == "failed")
    assert failed["error"]["code"] == "group_admins_only"


async def test_a_stopped_session_hears_of_group_changes_when_it_starts(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    """Changes reach other sessions in the group through the network's queue, written
    with the change: a session that is not running gets them when it runs again."""
    owner, owner_id = await working_session(client, account, "owner", "+14155550100")
    guest, guest_id = await working_session(client, account, "guest", "+14155550101")
    stopped = await client.post(f"/v1/sessions/{guest}/stop", headers=account.headers)
    assert stopped.status_code == 200, stopped.text
    await session_in_status(client, account, guest, "STOPPED")

    gid = (
        await client.post(f"/v1/sessions/{owner}/groups", headers=account.headers,
                          json={"subject": "Crew", "participants": [guest_id, ADA]})
    ).json()["id"]  # fmt: skip
    await client.patch(
        f"/v1/sessions/{owner}/groups/{gid}", headers=account.headers, json={"subject": "Crew 2"}
    )
    assert await group_events(client, account, guest) == []

    started = await client.post(f"/v1/sessions/{guest}/start", headers=account.headers)
    assert started.status_code == 200, started.text

    async def guest_events() -> list[dict[str, Any]]:
        return await group_events(client, account, guest)

    joined, updated = await eventually(guest_events, lambda events: len(events) == 2)
    assert (joined["type"], joined["data"]["via"], joined["data"]["by"]) == (
        "group.joined", "added", owner_id,
    )  # fmt: skip
    assert joined["data"]["group"]["id"] == gid
    assert (updated["type"], updated["data"]["group"]["subject"]) == ("group.updated", "Crew 2")
    groups = await client.get(f"/v1/sessions/{guest}/groups", headers=account.headers)
    assert [g["subject"] for g in groups.json()["data"]] == ["Crew 2"]

    await client.post(
        f"/v1/sessions/{owner}/groups/{gid}/participants/remove",
        headers=account.headers,
        json={"participants": [guest_id]},
    )
    left = (await eventually(guest_events, lambda events: len(events) == 3))[-1]
    assert (left["type"], left["data"]["reason"], left["data"]["group_id"]) == (
        "group.left", "removed", gid,
    )  # fmt: skip
    owner_events = await group_events_when(client, account, owner, 3)
    owner_types = [e["type"] for e in owner_events]
    assert owner_types == ["group.joined", "group.updated", "group.participants"]


async def test_a_participant_not_on_whatsapp_is_named_as_given(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    sid, _ = await working_session(client, account)
    refused = await client.post(
        f"/v1/sessions/{sid}/groups",
        headers=account.headers,
        json={"subject": "Team", "participants": [ADA, "+1 202 555 0131"]},
    )
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert (error["code"], error["param"]) == ("participant_not_on_whatsapp", "participants.1")
    assert error["message"] == "+1 202 555 0131 is not on WhatsApp."
    assert (await client.get(f"/v1/sessions/{sid}/groups", headers=account.headers)).json()[
        "data"
    ] == []
