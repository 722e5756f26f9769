"""Contacts in the sandbox: the virtual directory, number checks, LIDs, profiles, blocks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.config import Settings
from gateway.engines.sandbox.directory import lid_of
from tests.conftest import running
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.waiting import eventually

pytestmark = pytest.mark.usefixtures("engine_host")

LIN = "+12025550121"  # in the directory as LID-only: the number stays hidden
LIN_LID = lid_of(LIN)


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


@pytest.fixture
async def session_id(client: httpx.AsyncClient, account: TestAccount) -> str:
    session = await create_session(client, account, auto_link=True)
    await session_in_status(client, account, session["id"], "WORKING")
    return str(session["id"])


async def get(
    client: httpx.AsyncClient, account: TestAccount, path: str, **params: Any
) -> httpx.Response:
    return await client.get(path, headers=account.headers, params=params)


async def received(
    client: httpx.AsyncClient, account: TestAccount, count: int
) -> list[dict[str, Any]]:
    """The first ``count`` received messages, oldest first, once they have arrived."""

    async def fetch() -> list[dict[str, Any]]:
        response = await get(client, account, "/v1/events", type="message.received")
        return [e["data"]["message"] for e in reversed(response.json()["data"])]

    return (await eventually(fetch, lambda messages: len(messages) >= count))[:count]


async def inject(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, **body: Any
) -> None:
    response = await client.post(
        f"/v1/sandbox/sessions/{session_id}/inbound", headers=account.headers, json=body
    )
    assert response.status_code == 202, response.text


async def test_check_reports_each_number_in_one_call(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    response = await client.post(
        f"/v1/sessions/{session_id}/contacts/check",
        headers=account.headers,
        json={"numbers": ["+1 202 555 0111", "+12025550131", "12345", "+44 7911 123456", "hi"]},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["object"] == "number_check_list"
    results = body["data"]
    assert [(r["input"], r["on_whatsapp"], r["id"]) for r in results] == [
        ("+1 202 555 0111", True, "12025550111@c.us"),
        ("+12025550131", False, None),
        ("12345", None, None),
        ("+44 7911 123456", True, "447911123456@c.us"),
        ("hi", None, None),
    ]
    assert results[0]["lid"] == lid_of("+12025550111")
    assert results[0]["phone_number"] == "+12025550111"
    assert results[0]["error"] is None
    assert results[2]["error"]["code"] == "invalid_phone_number"
    assert results[4]["error"]["code"] == "invalid_phone_number"
    assert results[1]["error"] is None


async def test_check_has_its_own_stricter_limit(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], data_dir: Path
) -> None:
    strict = create_app(settings.model_copy(update={"number_check_rate_limit": "3 per hour"}))
    account = await create_account(sessionmaker)
    async with running(strict) as client:
        session = await create_session(client, account, auto_link=True)
        await session_in_status(client, account, session["id"], "WORKING")
        path = f"/v1/sessions/{session['id']}/contacts/check"
        # Malformed numbers and repeats cost nothing: one valid number so far.
        first = await client.post(
            path,
            headers=account.headers,
            json={"numbers": ["+12025550111", "+12025550111", "nope"]},
        )
        assert first.status_code == 200, first.text
        second = await client.post(
            path,
            headers=account.headers,
            json={"numbers": ["+12025550112", "+12025550113", "+12025550114"]},
        )
        assert second.status_code == 429
        error = second.json()["error"]
        assert (error["type"], error["code"]) == ("rate_limit_error", "number_check_rate_limited")
        assert int(second.headers["Retry-After"]) > 0
        # Other calls of the same key are not affected.
        listed = await client.get(f"/v1/sessions/{session['id']}/contacts", headers=account.headers)
        assert listed.status_code == 200


async def test_a_check_the_session_cannot_answer_costs_nothing(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    strict = create_app(settings.model_copy(update={"number_check_rate_limit": "3 per hour"}))
    account = await create_account(sessionmaker)
    numbers = {"numbers": ["+12025550111", "+12025550112", "+12025550113"]}
    async with running(strict) as client:
        session = await create_session(client, account, auto_link=True, start=False)
        path = f"/v1/sessions/{session['id']}/contacts/check"
        for _ in range(2):
            refused = await client.post(path, headers=account.headers, json=numbers)
            assert refused.status_code == 409
            assert refused.json()["error"]["code"] == "session_not_ready"
        await client.post(f"/v1/sessions/{session['id']}/start", headers=account.headers)
        await session_in_status(client, account, session["id"], "WORKING")
        checked = await client.post(path, headers=account.headers, json=numbers)
        assert checked.status_code == 200, checked.text


async def test_lid_only_sender_gains_its_number_once_known(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    await inject(client, account, session_id, **{"from": LIN, "text": "hi, it's Lin"})
    [first] = await received(client, account, 1)
    assert (first["from_id"], first["from_lid"], first["from_phone_number"]) == (
        LIN_LID, LIN_LID, None,
    )  # fmt: skip
    assert first["chat_id"] == LIN_LID

    unknown = await get(client, account, f"/v1/sessions/{session_id}/lids/{LIN_LID}")
    assert unknown.status_code == 200, unknown.text
    assert unknown.json() == {"object": "lid", "lid": LIN_LID, "phone_number": None,
                              "phone_id": None}  # fmt: skip

    by_phone = await get(client, account, f"/v1/sessions/{session_id}/lids/by-phone/{LIN}")
    assert by_phone.status_code == 200, by_phone.text
    assert by_phone.json()["lid"] == LIN_LID

    known = await get(client, account, f"/v1/sessions/{session_id}/lids/{LIN_LID}")
    assert known.json()["phone_number"] == LIN
    assert known.json()["phone_id"] == "12025550121@c.us"
    # The bare digits work as well as the full LID.
    digits = await get(client, account, f"/v1/sessions/{session_id}/lids/{LIN_LID[:-4]}")
    assert digits.json()["phone_number"] == LIN

    await inject(client, account, session_id, **{"from": LIN, "text": "me again"})
    second = (await received(client, account, 2))[1]
    assert (second["from_id"], second["from_lid"], second["from_phone_number"]) == (
        LIN_LID, LIN_LID, LIN,
    )  # fmt: skip
    assert second["chat_id"] == LIN_LID


async def test_a_stranger_behind_a_lid_is_revealed_by_checking_the_number(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    stranger, stranger_lid = "+14155550142", "987654321012345@lid"
    await inject(
        client, account, session_id, **{"from": stranger, "from_lid": stranger_lid, "text": "yo"}
    )
    [first] = await received(client, account, 1)
    assert (first["from_id"], first["from_phone_number"]) == (stranger_lid, None)
    contact = await get(client, account, f"/v1/sessions/{session_id}/contacts/{stranger_lid}")
    assert contact.status_code == 200, contact.text
    assert (contact.json()["id"], contact.json()["phone_number"]) == (stranger_lid, None)

    check = await client.post(
        f"/v1/sessions/{session_id}/contacts/check",
        headers=account.headers,
        json={"numbers": [stranger]},
    )
    assert check.json()["data"][0]["lid"] == stranger_lid
    mapping = await get(client, account, f"/v1/sessions/{session_id}/lids/{stranger_lid}")
    assert mapping.json()["phone_number"] == stranger
    contact = await get(client, account, f"/v1/sessions/{session_id}/contacts/{stranger_lid}")
    assert contact.json()["phone_number"] == stranger
    assert contact.json()["lid"] == stranger_lid


async def test_lookups_of_numbers_not_on_whatsapp_and_unknown_lids(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    missing = await get(client, account, f"/v1/sessions/{session_id}/lids/by-phone/+12025550131")
    assert missing.status_code == 404
    assert missing.json()["error"]["param"] == "phone_number"
    bad = await get(client, account, f"/v1/sessions/{session_id}/lids/by-phone/12")
    assert (bad.status_code, bad.json()["error"]["param"]) == (422, "phone_number")
    bad_lid = await get(client, account, f"/v1/sessions/{session_id}/lids/abc@lid")
    assert (bad_lid.status_code, bad_lid.json()["error"]["param"]) == (422, "lid")
    unknown = await get(client, account, f"/v1/sessions/{session_id}/lids/111111111111111@lid")
    assert unknown.json()["phone_number"] is None


async def test_list_search_and_page_the_directory(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    path = f"/v1/sessions/{session_id}/contacts"
    everyone = (await get(client, account, path, limit=100)).json()
    by_id = {c["id"]: c for c in everyone["data"]}
    assert everyone["has_more"] is False
    assert by_id["12025550111@c.us"]["name"] == "Ada Lovelace"
    assert by_id["12025550111@c.us"]["lid"] == lid_of("+12025550111")
    # LID-only contacts are listed by LID, without their number.
    assert by_id[LIN_LID]["phone_number"] is None
    assert by_id[LIN_LID]["push_name"] == "Lin"
    # Address-book entries without WhatsApp are no WhatsApp contacts.
    assert "12025550131@c.us" not in by_id
    assert [c["id"] for c in everyone["data"]] == sorted(by_id)

    grace = (await get(client, account, path, q="GRACE")).json()["data"]
    assert [c["name"] for c in grace] == ["Grace Hopper"]
    alan = (await get(client, account, path, q="555-0113")).json()["data"]
    assert [c["name"] for c in alan] == ["Alan Turing"]

    first = (await get(client, account, path, limit=2)).json()
    assert first["has_more"] is True
    second = await get(client, account, path, limit=2, starting_after=first["data"][-1]["id"])
    assert [c["id"] for c in first["data"] + second.json()["data"]] == sorted(by_id)[:4]
    back = await get(client, account, path, limit=2, ending_before=second.json()["data"][0]["id"])
    assert back.json()["data"] == first["data"]
    stale = await get(client, account, path, starting_after="999@c.us")
    assert (stale.status_code, stale.json()["error"]["param"]) == (422, "starting_after")


async def test_profile_picture_and_about(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    base = f"/v1/sessions/{session_id}/contacts"
    ada_picture = (await get(client, account, f"{base}/+12025550111/picture")).json()
    assert ada_picture["url"].startswith("https://")
    assert ada_picture["contact_id"] == "12025550111@c.us"
    ada_about = (await get(client, account, f"{base}/12025550111@c.us/about")).json()
    assert ada_about["about"] == "Hey there! I am using WhatsApp."
    # Katherine hides both.
    assert (await get(client, account, f"{base}/+12025550114/picture")).json()["url"] is None
    assert (await get(client, account, f"{base}/+12025550114/about")).json()["about"] is None
    nobody = await get(client, account, f"{base}/+12025550131/about")
    assert (nobody.status_code, nobody.json()["error"]["param"]) == (404, "contact_id")


async def test_blocked_contacts_do_not_reach_the_session(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    base = f"/v1/sessions/{session_id}/contacts"
    blocked = await client.post(f"{base}/+12025550111/block", headers=account.headers)
    assert blocked.status_code == 200, blocked.text
    assert blocked.json()["blocked"] is True
    assert (await get(client, account, f"{base}/+12025550111")).json()["blocked"] is True

    await inject(client, account, session_id, **{"from": "+12025550111", "text": "blocked"})
    await inject(client, account, session_id, **{"from": "+12025550112", "text": "not blocked"})
    [message] = await received(client, account, 1)
    assert message["text"] == "not blocked"

    unblocked = await client.post(f"{base}/+12025550111/unblock", headers=account.headers)
    assert unblocked.json()["blocked"] is False
    await inject(client, account, session_id, **{"from": "+12025550111", "text": "welcome back"})
    assert (await received(client, account, 2))[1]["text"] == "welcome back"


async def test_presence_updates_arrive_as_events(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    response = await client.post(
        f"/v1/sandbox/sessions/{session_id}/presence",
        headers=account.headers,
        json={"from": "+12025550111", "presence": "composing"},
    )
    assert response.status_code == 202, response.text

    async def presences() -> list[dict[str, Any]]:
        found = await get(client, account, "/v1/events", type="presence.update")
        return list(found.json()["data"])

    [event] = await eventually(presences, lambda events: len(events) == 1)
    assert event["data"] == {
        "chat_id": "12025550111@c.us",
        "participant_id": "12025550111@c.us",
        "presence": "composing",
        "last_seen_at": None,
    }
    outsider = await client.post(
        f"/v1/sandbox/sessions/{session_id}/presence",
        headers=account.headers,
        json={"from": "+12025550111", "presence": "composing",
              "group_id": "120363000000000001@g.us"},
    )  # fmt: skip
    assert (outsider.status_code, outsider.json()["error"]["param"]) == (422, "group_id")
