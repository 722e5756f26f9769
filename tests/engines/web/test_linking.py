"""Linking and the life of web sessions through the API, with real workers whose children
run the fake neonize: its ``script`` (``fake_neonize``) acts out what the phone and
WhatsApp do (scan, type a pairing code, unlink, ban, take the device over, crash, go
deaf), and each test asserts what a developer sees: the session, its QR code, its events.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.config import Settings
from gateway.engines import host
from gateway.models import WebDevice
from tests.engines.test_takeover import start_worker, stop
from tests.engines.web.test_takeover import session_children
from tests.factories import TestAccount, create_account
from tests.waiting import eventually

pytestmark = pytest.mark.timeout(60)

PHONE = "+12025550144"
DEVICE = "12025550144:7@s.whatsapp.net"
Session = dict[str, Any]


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker, mode=KeyMode.live)


@pytest.fixture(autouse=True)
async def forget_fake_devices(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[None]:
    """The fake's device table is not the gateway's (no truncation between tests): what a
    test linked is forgotten after it."""
    yield
    async with sessionmaker() as db:
        if await db.scalar(text("SELECT to_regclass('whatsmeow.fake_whatsmeow_device')")):
            await db.execute(text("DELETE FROM whatsmeow.fake_whatsmeow_device"))
            await db.commit()


@asynccontextmanager
async def worker(settings: Settings, **fake: Any) -> AsyncIterator[subprocess.Popen[bytes]]:
    """A real worker whose sessions' children run the fake with these options."""
    process = start_worker(
        settings, GATEWAY_WEB_CLIENT="fake",
        GATEWAY_WEB_FAKE_OPTIONS=json.dumps({"phone_number": PHONE, **fake}),
    )  # fmt: skip
    try:
        yield process
    finally:
        stop(process)


async def create_web_session(client: httpx.AsyncClient, account: TestAccount, **web: Any) -> str:
    config = {"pacing": {"enabled": False}, "web": web}
    response = await client.post(
        "/v1/sessions", headers=account.headers,
        json={"name": "phone", "engine": "web", "config": config},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def session_of(client: httpx.AsyncClient, account: TestAccount, sid: str) -> Session:
    response = await client.get(f"/v1/sessions/{sid}", headers=account.headers)
    assert response.status_code == 200, response.text
    body: Session = response.json()
    return body


async def until(
    client: httpx.AsyncClient, account: TestAccount, sid: str, check: Callable[[Session], bool],
    within: float = 15.0,
) -> Session:  # fmt: skip
    """The session once ``check`` holds, failing with what it went through if it never does."""
    try:
        return await eventually(lambda: session_of(client, account, sid), check, within=within)
    except AssertionError:
        back = await session_of(client, account, sid)
        raise AssertionError(f"session now {history(back)}") from None


def in_status(status: str, reason: str | None = None) -> Callable[[Session], bool]:
    def check(session: Session) -> bool:
        return session["status"] == status and (
            reason is None or session["status_reason"] == reason
        )

    return check


def history(session: Session) -> list[tuple[str, str | None]]:
    return [(h["status"], h["reason"]) for h in session["status_history"]]


async def events_of(client: httpx.AsyncClient, account: TestAccount, sid: str) -> list[Session]:
    """The session's events, oldest first."""
    response = await client.get(
        "/v1/events", headers=account.headers, params={"session_id": sid, "limit": 100}
    )
    assert response.status_code == 200, response.text
    return list(reversed(response.json()["data"]))


def statuses(events: list[Session]) -> list[tuple[str, str | None]]:
    return [
        (e["data"]["status"], e["data"]["reason"]) for e in events if e["type"] == "session.status"
    ]


def qr_codes(events: list[Session]) -> list[str]:
    return [e["data"]["qr"] for e in events if e["type"] == "session.qr"]


def decoded(png: bytes) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


async def stored_devices(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessionmaker() as db:
        rows = await db.execute(text("SELECT jid FROM whatsmeow.fake_whatsmeow_device"))
        return [jid for (jid,) in rows]


async def test_every_qr_code_is_an_event_and_the_scan_links(
    client: httpx.AsyncClient, settings: Settings, account: TestAccount
) -> None:
    script = [{"on": "qr", "after_seconds": 1.5, "op": "fake_link"}]  # scanned, at last
    async with worker(settings, qr_refresh_seconds=0.3, script=script):
        sid = await create_web_session(client, account)
        await until(client, account, sid, in_status("SCAN_QR_CODE"))
        current = await client.get(
            f"/v1/sessions/{sid}/qr", headers={**account.headers, "Accept": "application/json"}
        )
        png = await client.get(f"/v1/sessions/{sid}/qr", headers=account.headers)
        working = await until(client, account, sid, in_status("WORKING"))
    assert current.status_code == 200, current.text
    shown = current.json()
    assert decoded(base64.b64decode(shown["data_uri"].split(",", 1)[1])) == [shown["value"]]
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"

    events = await events_of(client, account, sid)
    codes = qr_codes(events)
    assert len(codes) >= 4  # refreshed every 0.3 s for 1.5 s
    assert len(set(codes)) == len(codes)
    assert all(code.startswith("2@") and code.endswith(f",{sid},fake") for code in codes)
    assert shown["value"] in codes
    assert decoded(png.content)[0] in codes  # the code current when it was asked for
    assert statuses(events) == [("STARTING", None), ("SCAN_QR_CODE", None), ("WORKING", None)]
    assert working["me"]["phone_number"] == PHONE
    assert working["me"]["id"] == f"{PHONE[1:]}@c.us"
    assert history(working) == [("STARTING", None), ("SCAN_QR_CODE", None), ("WORKING", None)]
    scanned = await client.get(f"/v1/sessions/{sid}/qr", headers=account.headers)
    assert scanned.status_code == 409  # linked: no code to show any more


async def test_a_pairing_code_links_the_number_it_was_asked_for(
    client: httpx.AsyncClient, settings: Settings, account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    script = [{"on": "paired", "after_seconds": 0.3, "op": "fake_link"}]  # typed on the phone
    async with worker(settings, script=script):
        sid = await create_web_session(client, account)
        await until(client, account, sid, in_status("SCAN_QR_CODE"))
        response = await client.post(
            f"/v1/sessions/{sid}/pairing-code", headers=account.headers,
            json={"phone_number": "+44 20 7946 0958"},
        )  # fmt: skip
        working = await until(client, account, sid, in_status("WORKING"))
    assert response.status_code == 200, response.text
    paired = response.json()
    assert paired["phone_number"] == "+442079460958"
    assert len(paired["code"]) == 9
    assert paired["code"][4] == "-"
    assert working["me"]["phone_number"] == "+442079460958"
    async with sessionmaker() as db:
        device = await db.get(WebDevice, sid)
    assert device is not None
    assert device.jid == "442079460958:7@s.whatsapp.net"


async def test_logged_out_from_the_phone_fails_forgets_the_device_and_starts_unlinked(
    client: httpx.AsyncClient, settings: Settings, account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    script = [
        {"on": "paired", "op": "fake_link"},
        {"on": "linked", "after_seconds": 0.5, "op": "fake_logged_out"},  # unlinked on the phone
    ]
    async with worker(settings, script=script):
        sid = await create_web_session(client, account)
        await until(client, account, sid, in_status("SCAN_QR_CODE"))
        response = await client.post(
            f"/v1/sessions/{sid}/pairing-code", headers=account.headers,
            json={"phone_number": PHONE},
        )  # fmt: skip
        assert response.status_code == 200, response.text
        failed = await until(client, account, sid, in_status("FAILED"))
        assert failed["status_reason"] == "logged_out"
        assert failed["me"] is None
        assert history(failed)[-2:] == [("WORKING", None), ("FAILED", "logged_out")]
        async with sessionmaker() as db:
            assert await db.get(WebDevice, sid) is None
        assert DEVICE not in await stored_devices(sessionmaker)
        await eventually(lambda: _value(session_children(sid)), lambda pids: not pids, within=10)

        started = await client.post(f"/v1/sessions/{sid}/start", headers=account.headers)
        assert started.status_code == 200, started.text
        again = await until(client, account, sid, in_status("SCAN_QR_CODE"))
        png = await client.get(f"/v1/sessions/{sid}/qr", headers=account.headers)
    assert history(again)[-3:] == [
        ("FAILED", "logged_out"), ("STARTING", None), ("SCAN_QR_CODE", None),
    ]  # fmt: skip
    assert png.status_code == 200
    assert decoded(png.content)[0] in qr_codes(await events_of(client, account, sid))


async def test_a_temporary_ban_fails_the_session_until_when_it_ends(
    client: httpx.AsyncClient, settings: Settings, account: TestAccount
) -> None:
    script = [{"on": "connected", "op": "fake_temporary_ban", "args": {"expire_seconds": 7200}}]
    async with worker(settings, auto_link=True, script=script):
        sid = await create_web_session(client, account)
        failed = await until(client, account, sid, in_status("FAILED"))
        reported_at = datetime.now(UTC)
    reason = failed["status_reason"]
    assert reason.startswith("temporary_ban: until ")
    until_time = datetime.fromisoformat(reason.removeprefix("temporary_ban: until "))
    assert abs(until_time - (reported_at + timedelta(hours=2))) < timedelta(seconds=30)
    assert history(failed)[-2:] == [("WORKING", None), ("FAILED", reason)]
    events = await events_of(client, account, sid)
    assert statuses(events)[-1] == ("FAILED", reason)


async def test_a_stream_replaced_by_another_client_fails_the_session(
    client: httpx.AsyncClient, settings: Settings, account: TestAccount
) -> None:
    script = [{"on": "connected", "after_seconds": 0.3, "op": "fake_stream_replaced"}]
    async with worker(settings, auto_link=True, script=script):
        sid = await create_web_session(client, account)
        failed = await until(client, account, sid, in_status("FAILED"))
        # Failed for good: not started again, the other client keeps the device.
        await eventually(lambda: _value(session_children(sid)), lambda pids: not pids, within=10)
        assert (await session_of(client, account, sid))["status"] == "FAILED"
    assert failed["status_reason"] == "stream_replaced"
    assert history(failed)[-2:] == [("WORKING", None), ("FAILED", "stream_replaced")]


async def test_a_crashed_child_is_restarted_and_resumes_the_link(
    client: httpx.AsyncClient, settings: Settings, account: TestAccount
) -> None:
    # Only the first child, which linked, crashes; the next resumes the device.
    script = [{"on": "linked", "after_seconds": 0.3, "op": "fake_panic"}]
    async with worker(settings, auto_link=True, script=script):
        sid = await create_web_session(client, account)
        working = await until(
            client, account, sid,
            lambda s: s["status"] == "WORKING" and len(s["status_history"]) > 3,
        )  # fmt: skip
    assert history(working) == [
        ("STARTING", None), ("SCAN_QR_CODE", None), ("WORKING", None),
        ("STARTING", "engine_crashed: ChildExited"), ("WORKING", None),
    ]  # fmt: skip
    assert working["me"]["phone_number"] == PHONE


async def test_a_child_crashing_again_and_again_is_restarted_with_backoff_then_fails(
    client: httpx.AsyncClient, settings: Settings, account: TestAccount
) -> None:
    script = [{"on": "qr", "after_seconds": 0.1, "op": "fake_panic"}]  # a Go panic, each time
    async with worker(settings, script=script):
        sid = await create_web_session(client, account)
        failed = await until(client, account, sid, in_status("FAILED"), within=40)
        await eventually(lambda: _value(session_children(sid)), lambda pids: not pids, within=10)
        assert (await session_of(client, account, sid))["status"] == "FAILED"  # not retried
    crashed = "engine_crashed: ChildExited"
    assert failed["status_reason"] == crashed
    assert history(failed) == [
        ("STARTING", None), ("SCAN_QR_CODE", None),
        *[("STARTING", crashed), ("SCAN_QR_CODE", None)] * (host.MAX_CONSECUTIVE_CRASHES - 1),
        ("FAILED", crashed),
    ]  # fmt: skip
    # Each restart waits twice as long as the one before (1, 2, 4, 8 s), then the new
    # child takes a moment to show its code.
    at = [datetime.fromisoformat(h["at"]) for h in failed["status_history"]]
    waits = [(at[i + 1] - at[i]).total_seconds() for i in range(2, len(at) - 1, 2)]
    backoff = [2.0**n for n in range(host.MAX_CONSECUTIVE_CRASHES - 1)]
    assert all(
        nominal <= wait < nominal + 3 for wait, nominal in zip(waits, backoff, strict=True)
    ), waits


async def test_a_qr_code_nobody_scans_times_out_and_a_restart_shows_new_ones(
    client: httpx.AsyncClient, settings: Settings, account: TestAccount
) -> None:
    async with worker(settings, qr_refresh_seconds=2):
        sid = await create_web_session(client, account, qr_timeout_seconds=10)
        failed = await until(client, account, sid, in_status("FAILED"), within=20)
        assert failed["status_reason"] == "qr_timeout"
        gone = await client.get(f"/v1/sessions/{sid}/qr", headers=account.headers)
        assert gone.status_code == 409
        shown = len(qr_codes(await events_of(client, account, sid)))

        restarted = await client.post(f"/v1/sessions/{sid}/restart", headers=account.headers)
        assert restarted.status_code == 200, restarted.text
        again = await until(client, account, sid, in_status("SCAN_QR_CODE"))
        png = await client.get(f"/v1/sessions/{sid}/qr", headers=account.headers)
    assert history(again) == [
        ("STARTING", None), ("SCAN_QR_CODE", None), ("FAILED", "qr_timeout"),
        ("STARTING", None), ("SCAN_QR_CODE", None),
    ]  # fmt: skip
    codes = qr_codes(await events_of(client, account, sid))
    assert len(codes) > shown
    assert decoded(png.content)[0] in codes[shown:]  # a new code, not one that timed out


async def test_a_device_missing_from_the_store_links_anew(
    client: httpx.AsyncClient, settings: Settings, account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    async with worker(settings, auto_link=True):
        sid = await create_web_session(client, account)
        await until(client, account, sid, in_status("WORKING"))
        stopped = await client.post(f"/v1/sessions/{sid}/stop", headers=account.headers)
        assert stopped.status_code == 200, stopped.text
        await until(client, account, sid, in_status("STOPPED"))
        async with sessionmaker() as db:  # whatsmeow's store lost the device meanwhile
            deleted = await db.execute(
                text("DELETE FROM whatsmeow.fake_whatsmeow_device WHERE jid = :jid"),
                {"jid": DEVICE},
            )
            assert deleted.rowcount == 1  # type: ignore[attr-defined]
            await db.commit()

        await client.post(f"/v1/sessions/{sid}/start", headers=account.headers)
        working = await until(
            client, account, sid,
            lambda s: s["status"] == "WORKING" and len(s["status_history"]) > 4,
        )  # fmt: skip
    assert history(working)[3:] == [
        ("STOPPED", "stopped"), ("STARTING", None), ("STARTING", "device_state_missing"),
        ("SCAN_QR_CODE", None), ("WORKING", None),
    ]  # fmt: skip
    assert len(qr_codes(await events_of(client, account, sid))) == 2  # one per link
    assert await stored_devices(sessionmaker) == [DEVICE]  # linked anew


async def test_a_deaf_connection_with_a_send_waiting_is_reconnected_without_a_qr_code(
    client: httpx.AsyncClient, settings: Settings, account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    # The first child's connection goes deaf once WhatsApp took a send: no receipt, no
    # event, ever. The one that replaces it resumes the device, and hears.
    script = [{"on": "sent", "op": "fake_go_deaf", "resumed": False}]
    watchdog = {"idle_seconds": 0.5, "ack_seconds": 0.5, "probe_timeout_seconds": 0.5,
                "check_interval_seconds": 0.2}  # fmt: skip
    async with worker(settings, auto_link=True, script=script):
        sid = await create_web_session(client, account, watchdog=watchdog)
        await until(client, account, sid, in_status("WORKING"))
        first = await send(client, account, sid, "into the void")
        reconnected = await until(
            client, account, sid,
            lambda s: s["status"] == "WORKING" and len(s["status_history"]) > 3,
        )  # fmt: skip
        second = await send(client, account, sid, "heard")
        await eventually(lambda: message_status(client, account, sid, second), "read".__eq__)
        assert await message_status(client, account, sid, first) == "sent"  # its receipt lost
    assert history(reconnected) == [
        ("STARTING", None), ("SCAN_QR_CODE", None), ("WORKING", None),
        ("STARTING", "watchdog_reconnect"), ("WORKING", None),
    ]  # fmt: skip
    events = await events_of(client, account, sid)
    assert ("STARTING", "watchdog_reconnect") in statuses(events)
    assert len(qr_codes(events)) == 1
    assert reconnected["me"]["phone_number"] == PHONE


async def send(client: httpx.AsyncClient, account: TestAccount, sid: str, text: str) -> str:
    response = await client.post(
        f"/v1/sessions/{sid}/messages", headers=account.headers,
        json={"type": "text", "chat_id": "+12025550123", "text": text},
    )  # fmt: skip
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


async def message_status(
    client: httpx.AsyncClient, account: TestAccount, sid: str, message_id: str
) -> str:
    response = await client.get(f"/v1/messages/{message_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    return str(response.json()["status"])


async def _value(value: Any) -> Any:
    return value
