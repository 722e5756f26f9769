"""A session's life as a developer sees it, on the sandbox engine with a real host."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.engines.host import EngineHost
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.waiting import eventually

pytestmark = pytest.mark.usefixtures("engine_host")


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


async def events_of(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> list[dict[str, Any]]:
    """The session's events, oldest first."""
    response = await client.get(
        "/v1/events", headers=account.headers, params={"session_id": session_id, "limit": 100}
    )
    assert response.status_code == 200, response.text
    return list(reversed(response.json()["data"]))


def statuses(events: list[dict[str, Any]]) -> list[str]:
    return [e["data"]["status"] for e in events if e["type"] == "session.status"]


async def test_create_scan_link_working_with_events_in_order(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    session = await create_session(client, account, name="support")
    assert session["status"] == "STOPPED"  # the host has not picked it up yet
    assert session["desired_state"] == "running"
    sid = session["id"]

    await session_in_status(client, account, sid, "SCAN_QR_CODE")
    png = await client.get(f"/v1/sessions/{sid}/qr", headers=account.headers)
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    raw = await client.get(f"/v1/sessions/{sid}/qr?format=raw", headers=account.headers)
    assert [code.text for code in decoded] == [raw.text]
    assert raw.text.startswith("2@")
    as_json = await client.get(
        f"/v1/sessions/{sid}/qr", headers={**account.headers, "Accept": "application/json"}
    )
    assert as_json.json()["value"] == raw.text
    assert as_json.json()["data_uri"].startswith("data:image/png;base64,")

    linked = await client.post(f"/v1/sandbox/sessions/{sid}/link", headers=account.headers)
    assert linked.status_code == 200
    working = await session_in_status(client, account, sid, "WORKING")
    assert working["me"]["phone_number"] == linked.json()["phone_number"]
    assert [h["status"] for h in working["status_history"]] == [
        "STARTING",
        "SCAN_QR_CODE",
        "WORKING",
    ]
    me = await client.get(f"/v1/sessions/{sid}/me", headers=account.headers)
    assert me.json()["id"] == working["me"]["id"]

    events = await events_of(client, account, sid)
    assert [e["type"] for e in events] == [
        "session.status",
        "session.status",
        "session.qr",
        "session.status",
    ]
    assert statuses(events) == ["STARTING", "SCAN_QR_CODE", "WORKING"]
    assert events[2]["data"]["qr"] == raw.text
    assert events[-1]["data"]["previous_status"] == "SCAN_QR_CODE"
    assert events[-1]["data"]["me"]["phone_number"] == working["me"]["phone_number"]
    assert events[-1]["session"] == {"id": sid, "name": "support", "metadata": {}}


async def test_metadata_is_echoed_in_events(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    response = await client.post(
        "/v1/sessions",
        headers=account.headers,
        json={
            "name": "crm",
            "metadata": {"tenant": "t-42"},
            "config": {"sandbox": {"auto_link": True}},
        },
    )
    sid = response.json()["id"]
    await session_in_status(client, account, sid, "WORKING")
    events = await events_of(client, account, sid)
    assert {e["session"]["metadata"]["tenant"] for e in events} == {"t-42"}


async def test_link_with_a_pairing_code(client: httpx.AsyncClient, account: TestAccount) -> None:
    sid = (await create_session(client, account))["id"]
    await session_in_status(client, account, sid, "SCAN_QR_CODE")
    response = await client.post(
        f"/v1/sessions/{sid}/pairing-code",
        headers=account.headers,
        json={"phone_number": "+44 20 7946 0958"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["phone_number"] == "+442079460958"
    code = response.json()["code"]
    assert len(code) == 9
    assert code[4] == "-"
    await client.post(f"/v1/sandbox/sessions/{sid}/link", headers=account.headers)
    working = await session_in_status(client, account, sid, "WORKING")
    assert working["me"]["phone_number"] == "+442079460958"


async def test_stop_start_restart(client: httpx.AsyncClient, account: TestAccount) -> None:
    sid = (await create_session(client, account, auto_link=True))["id"]
    await session_in_status(client, account, sid, "WORKING")

    stopped = await client.post(f"/v1/sessions/{sid}/stop", headers=account.headers)
    assert stopped.json()["desired_state"] == "stopped"
    await session_in_status(client, account, sid, "STOPPED")
    again = await client.post(f"/v1/sessions/{sid}/stop", headers=account.headers)
    assert again.status_code == 200
    assert again.json()["status"] == "STOPPED"

    # The link survives a stop: starting goes straight back to WORKING.
    await client.post(f"/v1/sessions/{sid}/start", headers=account.headers)
    working = await session_in_status(client, account, sid, "WORKING")
    assert [h["status"] for h in working["status_history"]][-3:] == [
        "STOPPED",
        "STARTING",
        "WORKING",
    ]

    await client.post(f"/v1/sessions/{sid}/restart", headers=account.headers)

    async def history() -> list[str]:
        body = (await client.get(f"/v1/sessions/{sid}", headers=account.headers)).json()
        return [h["status"] for h in body["status_history"]]

    await eventually(
        history, lambda h: h[-2:] == ["STARTING", "WORKING"] and h.count("STARTING") == 3
    )


async def test_logout_shows_a_new_qr_code(client: httpx.AsyncClient, account: TestAccount) -> None:
    sid = (await create_session(client, account))["id"]
    await session_in_status(client, account, sid, "SCAN_QR_CODE")
    await client.post(f"/v1/sandbox/sessions/{sid}/link", headers=account.headers)
    await session_in_status(client, account, sid, "WORKING")

    response = await client.post(f"/v1/sessions/{sid}/logout", headers=account.headers)
    assert response.status_code == 200
    unlinked = await session_in_status(client, account, sid, "SCAN_QR_CODE")
    assert unlinked["me"] is None
    me = await client.get(f"/v1/sessions/{sid}/me", headers=account.headers)
    assert me.status_code == 409


async def test_logout_of_a_stopped_session_keeps_it_stopped(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    sid = (await create_session(client, account, auto_link=True))["id"]
    await session_in_status(client, account, sid, "WORKING")
    await client.post(f"/v1/sessions/{sid}/stop", headers=account.headers)
    await session_in_status(client, account, sid, "STOPPED")
    await client.post(f"/v1/sessions/{sid}/logout", headers=account.headers)
    # Started again, it must be linked anew.
    await client.post(f"/v1/sessions/{sid}/start", headers=account.headers)
    await session_in_status(client, account, sid, "SCAN_QR_CODE")


async def test_delete_running_and_stopped_sessions(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    running = (await create_session(client, account, name="a", auto_link=True))["id"]
    stopped = (await create_session(client, account, name="b", start=False))["id"]
    await session_in_status(client, account, running, "WORKING")
    for sid in (running, stopped):
        for _ in range(2):  # deleting twice succeeds twice
            response = await client.delete(f"/v1/sessions/{sid}", headers=account.headers)
            assert response.status_code == 200
            assert response.json() == {"id": sid, "object": "session", "deleted": True}
        assert (await client.get(f"/v1/sessions/{sid}", headers=account.headers)).status_code == 404

    async def final_statuses() -> list[str]:
        return statuses(await events_of(client, account, running))

    # The running one was stopped (and logged out) on its way out.
    await eventually(final_statuses, lambda s: s[-1:] == ["STOPPED"])
    listed = await client.get("/v1/sessions", headers=account.headers)
    assert listed.json()["data"] == []
    # Its name is free again.
    assert (await create_session(client, account, name="a"))["name"] == "a"


async def test_qr_codes_expire_and_renew_then_fail(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    sid = (
        await create_session(client, account, sandbox={"qr_ttl_seconds": 0.3, "qr_max_renewals": 2})
    )["id"]
    failed = await session_in_status(client, account, sid, "FAILED")
    assert failed["status_reason"] == "qr_timeout"
    events = await events_of(client, account, sid)
    qr_values = [e["data"]["qr"] for e in events if e["type"] == "session.qr"]
    assert len(qr_values) == 3  # the first code and two renewals
    assert len(set(qr_values)) == 3
    # FAILED stays FAILED until asked to start again.
    await client.post(f"/v1/sessions/{sid}/start", headers=account.headers)
    await session_in_status(client, account, sid, "SCAN_QR_CODE")


async def test_phone_logging_the_session_out_fails_it(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    sid = (await create_session(client, account, auto_link=True))["id"]
    await session_in_status(client, account, sid, "WORKING")
    response = await client.post(f"/v1/sandbox/sessions/{sid}/disconnect", headers=account.headers)
    assert response.json()["linked"] is False
    failed = await session_in_status(client, account, sid, "FAILED")
    assert failed["status_reason"] == "logged_out"
    await client.post(f"/v1/sessions/{sid}/restart", headers=account.headers)
    await session_in_status(client, account, sid, "SCAN_QR_CODE")


async def test_new_config_restarts_a_running_session(
    client: httpx.AsyncClient, account: TestAccount, engine_host: EngineHost
) -> None:
    sid = (await create_session(client, account, auto_link=True))["id"]
    await session_in_status(client, account, sid, "WORKING")
    first_engine = engine_host.runners[sid].engine
    response = await client.patch(
        f"/v1/sessions/{sid}",
        headers=account.headers,
        json={"config": {"sandbox": {"auto_link": True, "qr_ttl_seconds": 30}}},
    )
    assert response.json()["config"]["sandbox"]["qr_ttl_seconds"] == 30

    async def engine() -> object:
        runner = engine_host.runners.get(sid)
        return runner.engine if runner else None

    restarted = await eventually(engine, lambda e: e is not None and e is not first_engine)
    assert restarted.options.qr_ttl_seconds == 30  # type: ignore[attr-defined]
    await session_in_status(client, account, sid, "WORKING")
    # Renaming or new metadata alone restarts nothing.
    renamed = await client.patch(
        f"/v1/sessions/{sid}", headers=account.headers, json={"name": "renamed"}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "renamed"
    assert engine_host.runners[sid].engine is restarted


async def test_inbound_messages_arrive_as_events(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    sid = (await create_session(client, account, auto_link=True))["id"]
    await session_in_status(client, account, sid, "WORKING")
    sent = await client.post(
        f"/v1/sandbox/sessions/{sid}/inbound",
        headers=account.headers,
        json={"from": "+1 202 555 0199", "from_name": "Ada", "text": "Hello!"},
    )
    assert sent.status_code == 202
    created = await client.post(
        f"/v1/sessions/{sid}/groups",
        headers=account.headers,
        json={"subject": "Team", "participants": ["+12025550142"]},
    )
    assert created.status_code == 201, created.text
    group_id = created.json()["id"]
    group = await client.post(
        f"/v1/sandbox/sessions/{sid}/inbound",
        headers=account.headers,
        json={
            "from": "+12025550142",
            "group_id": group_id,
            "media": {"mime_type": "image/png", "data_base64": "iVBORw0KGgo=", "caption": "look"},
        },
    )
    assert group.status_code == 202

    async def received() -> list[dict[str, Any]]:
        return [e for e in await events_of(client, account, sid) if e["type"] == "message.received"]

    messages = [e["data"]["message"] for e in await eventually(received, lambda r: len(r) == 2)]
    assert messages[0]["text"] == "Hello!"
    assert messages[0]["from_phone_number"] == "+12025550199"
    assert messages[0]["chat_id"] == "12025550199@c.us"
    assert messages[0]["from_name"] == "Ada"
    assert messages[1]["type"] == "image"
    assert messages[1]["group_id"] == group_id
    assert messages[1]["chat_id"] == group_id
    assert messages[1]["from_id"] == "12025550142@c.us"
    assert messages[1]["media"]["caption"] == "look"
