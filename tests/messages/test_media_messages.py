"""Media messages through the whole pipeline, and the ways their files can be refused."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.config import Settings
from tests.conftest import running
from tests.factories import (
    TestAccount,
    create_account,
    create_session,
    held_in_transaction,
    session_in_status,
)
from tests.local_http import HeldReceiver, Reply, serving
from tests.media import samples
from tests.messages.test_pipeline import FAST_ACKS, message_in_status
from tests.waiting import eventually

TO = "+12025550123"


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def inline(content: bytes, mime_type: str) -> dict[str, str]:
    return {"base64": b64(content), "mime_type": mime_type}


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


async def send(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(
        f"/v1/sessions/{session_id}/messages", headers=account.headers, json=body
    )


@pytest.mark.usefixtures("engine_host")
async def test_every_media_type_round_trips(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    sid = (await create_session(client, account, auto_link=True, sandbox=FAST_ACKS))["id"]
    await session_in_status(client, account, sid, "WORKING")
    uploaded = await client.post(
        "/v1/media",
        headers=account.headers,
        files={"file": ("invoice.pdf", samples.PDF, "application/pdf")},
    )
    assert uploaded.status_code == 201, uploaded.text
    with serving(
        {"/clip.mp4": Reply(body=samples.MP4, headers={"Content-Type": "video/mp4"})}
    ) as server:
        bodies = {
            "image": {"media": inline(samples.PNG, "image/png"), "caption": "look"},
            "video": {"media": {"url": server.url("/clip.mp4")}},
            "audio": {"media": inline(samples.OGG, "audio/ogg"), "voice": True},
            "document": {"media": {"media_id": uploaded.json()["id"]}, "filename": "invoice.pdf"},
            "sticker": {"media": inline(samples.WEBP, "image/webp")},
        }
        accepted = {}
        for kind, fields in bodies.items():
            response = await send(client, account, sid, {"type": kind, "chat_id": TO, **fields})
            assert response.status_code == 202, (kind, response.text)
            accepted[kind] = response.json()
    for kind, message in accepted.items():
        final = "played" if kind == "audio" else "read"
        done = await message_in_status(client, account, message["id"], final)
        media = done["content"]["media"]
        assert media["id"].startswith("med_")
        content = await client.get(f"/v1/media/{media['id']}/content", headers=account.headers)
        assert content.status_code == 200
        assert len(content.content) == media["size"]
    assert accepted["image"]["content"]["caption"] == "look"
    assert accepted["document"]["content"]["media"]["filename"] == "invoice.pdf"


@pytest.mark.usefixtures("engine_host")
async def test_received_media_is_stored_and_downloadable(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    sid = (await create_session(client, account, auto_link=True))["id"]
    await session_in_status(client, account, sid, "WORKING")
    await client.post(
        f"/v1/sandbox/sessions/{sid}/inbound",
        headers=account.headers,
        json={
            "from": "+12025550199",
            "media": {"mime_type": "image/png", "data_base64": b64(samples.PNG)},
        },
    )

    async def received() -> list[dict[str, Any]]:
        response = await client.get(
            "/v1/events", headers=account.headers, params={"type": "message.received"}
        )
        return list(response.json()["data"])

    event = (await eventually(received, lambda r: len(r) == 1))[0]
    media = event["data"]["message"]["media"]
    assert "data_base64" not in media
    content = await client.get(f"/v1/media/{media['id']}/content", headers=account.headers)
    assert content.content == samples.PNG
    stored = await client.get(
        f"/v1/messages/{event['data']['message']['id']}", headers=account.headers
    )
    assert stored.json()["content"]["media"]["id"] == media["id"]


async def test_refused_files_name_the_param(
    client: httpx.AsyncClient, account: TestAccount, settings: Settings
) -> None:
    sid = (await create_session(client, account, start=False))["id"]

    async def error(media: dict[str, Any], kind: str = "image") -> dict[str, Any]:
        response = await send(client, account, sid, {"type": kind, "chat_id": TO, "media": media})
        assert 400 <= response.status_code < 500, response.text
        body: dict[str, Any] = response.json()["error"]
        return body

    unknown = await error({"media_id": "med_01JA2B3C4D5E6F7G8H9J0KMNPQ"})
    assert (unknown["code"], unknown["param"]) == ("media_not_found", "media.media_id")
    bad = await error({"base64": "!!!not base64!!!", "mime_type": "image/png"})
    assert bad["param"] == "media.base64"
    wrong_kind = await error({"base64": b64(samples.PDF), "mime_type": "application/pdf"})
    assert wrong_kind["code"] == "media_type_unsupported"
    not_http = await error({"url": "file:///etc/passwd"})
    assert not_http["param"].startswith("media")

    # Production refuses private targets; and a small limit refuses big files.
    strict = settings.model_copy(update={"allow_private_targets": False, "media_max_bytes": 2048})
    async with running(create_app(strict)) as strict_client:
        with serving({"/a.png": Reply(body=samples.PNG)}) as server:
            private = await strict_client.post(
                f"/v1/sessions/{sid}/messages",
                headers=account.headers,
                json={"type": "image", "chat_id": TO, "media": {"url": server.url("/a.png")}},
            )
        assert private.status_code == 422
        assert private.json()["error"]["code"] == "url_not_allowed"
        assert private.json()["error"]["param"].startswith("media")
        too_big = await strict_client.post(
            f"/v1/sessions/{sid}/messages",
            headers=account.headers,
            json={"type": "image", "chat_id": TO,
                  "media": {"base64": b64(samples.PNG * 4), "mime_type": "image/png"}},
        )  # fmt: skip
        assert too_big.status_code in (413, 422)
        assert too_big.json()["error"]["code"] == "media_too_large"


async def test_a_file_is_fetched_before_any_transaction_opens(
    client: httpx.AsyncClient, account: TestAccount, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """A slow file server must not keep a database connection busy: while the gateway waits
    for the file, no connection of this database is inside a transaction."""
    sid = (await create_session(client, account))["id"]
    held = HeldReceiver(Reply(body=samples.PNG, headers={"Content-Type": "image/png"}))
    with serving({"/slow.png": held}) as server:
        body = {"type": "image", "chat_id": TO, "media": {"url": server.url("/slow.png")}}
        sending = asyncio.create_task(send(client, account, sid, body))
        await held.wait_for_request()
        async with sessionmaker() as db:
            in_transaction = await held_in_transaction(db)
        held.answer.release()
        response = await sending
    assert response.status_code == 202, response.text
    assert response.json()["content"]["media"]["mime_type"] == "image/png"
    assert in_transaction == 0
