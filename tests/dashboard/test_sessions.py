"""A session through the dashboard's forms, with a real engine host running it."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.dashboard.conftest import form_token, signed_in
from tests.factories import TestAccount, session_in_status
from tests.waiting import eventually

pytestmark = pytest.mark.usefixtures("engine_host")

NOT_ON_WHATSAPP = "+12025550101"


async def _create(web: httpx.AsyncClient, name: str, config: str = "{}") -> str:
    token = await form_token(web)
    response = await web.post(
        "/dashboard/sessions",
        data={
            "csrf_token": token,
            "name": name,
            "engine": "sandbox",
            "config": config,
            "start": "on",
        },
    )
    assert response.status_code == 303, response.text
    found = re.fullmatch(
        r"/dashboard/sessions/(ses_\w+)\?done=created", response.headers["location"]
    )
    assert found is not None
    return found[1]


async def test_create_scan_pair_and_act_on_a_session(
    web: httpx.AsyncClient, client: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    sid = await _create(web, "desk")
    page = await web.get(f"/dashboard/sessions/{sid}?done=created")
    assert "Session created." in page.text
    await session_in_status(client, account, sid, "SCAN_QR_CODE")

    page = await web.get(f"/dashboard/sessions/{sid}")
    assert f'src="/dashboard/sessions/{sid}/qr.png"' in page.text
    png = await web.get(f"/dashboard/sessions/{sid}/qr.png")
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    state = (await web.get(f"/dashboard/sessions/{sid}/state")).json()
    assert state == {"id": sid, "status": "SCAN_QR_CODE", "me": None, "messages": {}}

    token = await form_token(web, f"/dashboard/sessions/{sid}")
    paired = await web.post(
        f"/dashboard/sessions/{sid}/pairing-code",
        data={"csrf_token": token, "phone_number": "+44 20 7946 0958"},
    )
    assert paired.status_code == 200
    code = re.search(r"data-pairing-code>([A-Z0-9]{4}-[A-Z0-9]{4})<", paired.text)
    assert code is not None
    assert "+442079460958" in paired.text
    bad = await web.post(
        f"/dashboard/sessions/{sid}/pairing-code", data={"csrf_token": token, "phone_number": "x"}
    )
    assert bad.status_code == 422
    assert 'id="pairing-error"' in bad.text

    stopped = await web.post(f"/dashboard/sessions/{sid}/stop", data={"csrf_token": token})
    assert stopped.headers["location"] == f"/dashboard/sessions/{sid}?done=stop"
    assert (await session_in_status(client, account, sid, "STOPPED"))["desired_state"] == "stopped"
    qr = await web.get(f"/dashboard/sessions/{sid}/qr.png")
    assert qr.status_code == 409
    assert "No QR code" in qr.text
    started = await web.post(f"/dashboard/sessions/{sid}/start", data={"csrf_token": token})
    assert started.status_code == 303
    await session_in_status(client, account, sid, "SCAN_QR_CODE")

    deleted = await web.post(f"/dashboard/sessions/{sid}/delete", data={"csrf_token": token})
    assert deleted.headers["location"] == "/dashboard/sessions?done=deleted"
    listing = await web.get(deleted.headers["location"])
    assert "Session deleted." in listing.text
    assert sid not in listing.text
    assert (await client.get(f"/v1/sessions/{sid}", headers=account.headers)).status_code == 404
    assert (await web.get(f"/dashboard/sessions/{sid}")).status_code == 404


async def test_test_messages_show_their_statuses_and_errors(
    web: httpx.AsyncClient, client: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    sid = await _create(web, "linked", '{"sandbox": {"auto_link": true}}')
    linked = await session_in_status(client, account, sid, "WORKING")
    page = await web.get(f"/dashboard/sessions/{sid}")
    assert linked["me"]["phone_number"] in page.text
    token = await form_token(web, f"/dashboard/sessions/{sid}")

    empty = await web.post(
        f"/dashboard/sessions/{sid}/messages", data={"csrf_token": token, "chat_id": "", "text": ""}
    )
    assert empty.status_code == 422
    assert 'id="send-error"' in empty.text
    sent = await web.post(
        f"/dashboard/sessions/{sid}/messages",
        data={"csrf_token": token, "chat_id": NOT_ON_WHATSAPP, "text": "anyone there?"},
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/dashboard/sessions/{sid}?done=sent#messages"
    listed = await client.get(f"/v1/sessions/{sid}/messages", headers=account.headers)
    [message] = listed.json()["data"]
    assert message["content"]["text"] == "anyone there?"

    async def shown() -> str:
        return (await web.get(f"/dashboard/sessions/{sid}")).text

    failed = await eventually(
        shown, lambda html: f'data-message-status="{message["id"]}">failed<' in html
    )
    assert "recipient_not_on_whatsapp" in failed
    assert "anyone there?" in failed

    # The chats list, read from the engine, has the chat of a message that went out.
    read = await client.post(
        f"/v1/sessions/{sid}/messages",
        headers=account.headers,
        json={"type": "text", "chat_id": "+12025550123", "text": "hello"},
    )
    assert read.status_code == 202
    chats = await eventually(shown, lambda html: "<li><code>12025550123@c.us</code>" in html)
    assert "The chats could not be read" not in chats
