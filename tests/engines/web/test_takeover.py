"""Web sessions through the API and real workers, on the fake neonize: a worker killed
(kill -9) mid-burst loses nothing, its sessions' processes die with it, and another worker
resumes the session from its device state in PostgreSQL, with no QR code to scan."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.config import Settings
from gateway.engines.outbox import BATCH_SIZE
from gateway.models import Message, WebDevice
from tests.engines.test_takeover import start_worker, stop
from tests.engines.web.test_child import process_gone
from tests.factories import TestAccount, create_account
from tests.waiting import eventually

MESSAGES = 40
# Each test links a number of its own: the device store is shared by the run's tests.
PHONE, DELETED_PHONE = "+15550009999", "+15550009998"
DEVICE = "15550009999:7@s.whatsapp.net"


def device_of(phone: str) -> str:
    return f"{phone.lstrip('+')}:7@s.whatsapp.net"


def fake_worker(settings: Settings, phone: str = PHONE) -> Any:
    fake = {"auto_link": True, "receipt_delay_seconds": 0.05, "phone_number": phone}
    return start_worker(
        settings, GATEWAY_WEB_CLIENT="fake", GATEWAY_WEB_FAKE_OPTIONS=json.dumps(fake)
    )


def session_children(session_id: str) -> list[int]:
    """The pids of the session's child processes, wherever they run."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        ours = b"gateway.engines.web.child" in command and session_id.encode() in command
        if ours and state not in ("Z", "X"):
            pids.append(int(proc.name))
    return pids


async def create_web_session(client: httpx.AsyncClient, account: TestAccount) -> dict[str, Any]:
    response = await client.post(
        "/v1/sessions", headers=account.headers,
        json={"name": "phone", "engine": "web", "config": {"pacing": {"enabled": False}}},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def session_of(client: httpx.AsyncClient, account: TestAccount, sid: str) -> dict[str, Any]:
    body: dict[str, Any] = (await client.get(f"/v1/sessions/{sid}", headers=account.headers)).json()
    return body


async def arrived(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str]:
    """The texts that reached (fake) WhatsApp from the device, across every child."""
    async with sessionmaker() as db:
        rows = await db.execute(
            text("SELECT message->>'conversation' FROM whatsmeow.fake_whatsapp_sent"
                 " WHERE device = :device"), {"device": DEVICE},
        )  # fmt: skip
        return [value for (value,) in rows]


@pytest.mark.timeout(180)
async def test_a_killed_worker_loses_no_web_send_and_the_link_survives(
    client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    account = await create_account(sessionmaker, mode=KeyMode.live)
    workers = [fake_worker(settings)]
    try:
        session = await create_web_session(client, account)
        sid = session["id"]
        working = await eventually(
            lambda: session_of(client, account, sid), lambda s: s["status"] == "WORKING",
            within=30,
        )  # fmt: skip
        assert working["me"]["phone_number"] == PHONE
        assert [h["status"] for h in working["status_history"]] == [
            "STARTING", "SCAN_QR_CODE", "WORKING",
        ]  # fmt: skip

        async def send(n: int) -> None:
            response = await client.post(
                f"/v1/sessions/{sid}/messages", headers=account.headers,
                json={"type": "text", "chat_id": "+12025550123", "text": f"m{n}"},
            )  # fmt: skip
            assert response.status_code == 202, response.text

        await asyncio.gather(*(send(n) for n in range(MESSAGES // 2)))
        await eventually(lambda: arrived(sessionmaker), lambda texts: len(texts) >= 5, within=30)
        (child,) = session_children(sid)
        workers[0].send_signal(signal.SIGKILL)  # mid-burst, sends in flight
        workers[0].wait()
        # The session's process dies with its worker: it never drives WhatsApp unfenced.
        # (An orphan is init's to reap: a zombie is gone enough.)
        await eventually(
            lambda: _value(process_gone(child, zombie_ok=True)), bool, within=5
        )  # fmt: skip

        await asyncio.gather(*(send(n) for n in range(MESSAGES // 2, MESSAGES)))
        workers.append(fake_worker(settings))

        async def statuses() -> dict[str, int]:
            async with sessionmaker() as db:
                rows = await db.execute(
                    select(Message.status, func.count()).where(Message.session_id == sid)
                    .group_by(Message.status)
                )  # fmt: skip
                return {status: count for status, count in rows.all()}

        def done(counts: dict[str, int]) -> bool:
            # Every message sent; those sent after the kill read too. A receipt that
            # reached the killed worker's child and no further is gone, as whatsmeow
            # acknowledges receipts to WhatsApp as they arrive: its message stays sent.
            at_least_sent = sum(counts.get(s, 0) for s in ("sent", "delivered", "read"))
            return at_least_sent == MESSAGES and counts.get("read", 0) >= MESSAGES // 2

        try:
            await eventually(statuses, done, within=90, every=0.5)
        except AssertionError:
            back = await session_of(client, account, sid)
            raise AssertionError(
                f"messages by status: {await statuses()}; session {back['status']} "
                f"({back['status_reason']}), history {back['status_history']}"
            ) from None
        texts = await arrived(sessionmaker)
        assert set(texts) == {f"m{n}" for n in range(MESSAGES)}  # every message arrived
        twice = len(texts) - MESSAGES
        with capsys.disabled():  # the figure is the point: shown even when output is captured
            print(f"\n{twice} of {MESSAGES} web sends reached WhatsApp twice (in flight)")  # noqa: T201
        # Only what the killed worker had sent and not yet recorded: one batch at most
        # (neonize cannot send under an id of ours, so WhatsApp cannot drop the repeat).
        assert twice <= BATCH_SIZE
        back = await session_of(client, account, sid)
        history = [h["status"] for h in back["status_history"]]
        # Resumed from the device state: linked again without a QR code.
        assert history[-2:] == ["STARTING", "WORKING"]
        assert history.count("SCAN_QR_CODE") == 1
        assert back["me"]["phone_number"] == PHONE
    finally:
        for worker in workers:
            stop(worker)


@pytest.mark.timeout(90)
async def test_deleting_a_web_session_deletes_its_device_state(
    client: httpx.AsyncClient, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker, mode=KeyMode.live)
    worker = fake_worker(settings, DELETED_PHONE)
    try:
        sid = (await create_web_session(client, account))["id"]
        await eventually(
            lambda: session_of(client, account, sid), lambda s: s["status"] == "WORKING",
            within=30,
        )  # fmt: skip
        async with sessionmaker() as db:
            device = await db.get(WebDevice, sid)
            assert device is not None
            assert device.jid == device_of(DELETED_PHONE)
        assert device_of(DELETED_PHONE) in await devices_stored(sessionmaker)

        response = await client.delete(f"/v1/sessions/{sid}", headers=account.headers)
        assert response.status_code == 200, response.text

        async def gone() -> bool:
            async with sessionmaker() as db:
                return await db.get(WebDevice, sid) is None

        await eventually(gone, bool, within=15)
        assert device_of(DELETED_PHONE) not in await devices_stored(sessionmaker)
        await eventually(lambda: _value(session_children(sid)), lambda pids: not pids, within=10)
    finally:
        stop(worker)


async def devices_stored(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessionmaker() as db:
        rows = await db.execute(text("SELECT jid FROM whatsmeow.fake_whatsmeow_device"))
        return [jid for (jid,) in rows]


async def _value(value: Any) -> Any:
    return value
