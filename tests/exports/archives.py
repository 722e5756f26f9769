"""An account with something of everything, and reading the archives exported of it."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.config import Settings
from gateway.worker import create_worker
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.local_http import LocalServer
from tests.media import samples
from tests.messages.test_pipeline import FAST_ACKS, message_in_status
from tests.waiting import eventually

Archive = dict[str, list[dict[str, Any]]]


async def run_worker(settings: Settings) -> None:
    """Run every job queued, in a real arq worker in burst mode."""
    worker = create_worker(settings, burst=True, cron_jobs=[], handle_signals=False)
    try:
        await worker.async_run()
    finally:
        await worker.close()


async def live_account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker, mode=KeyMode.live)


@dataclass(frozen=True)
class Populated:
    session_id: str
    webhook_id: str


async def populate(
    client: httpx.AsyncClient, account: TestAccount, receiver: LocalServer, *, peers: list[str]
) -> Populated:
    """A WORKING sandbox session with a webhook endpoint; for each peer, a text and an
    uploaded document out and a text and an image in; every message settled."""
    webhook = await client.post(
        "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
    )
    assert webhook.status_code == 201, webhook.text
    sid = (await create_session(client, account, auto_link=True, sandbox=FAST_ACKS))["id"]
    await session_in_status(client, account, sid, "WORKING")
    for n, peer in enumerate(peers):
        uploaded = await client.post(
            "/v1/media",
            headers=account.headers,
            files={"file": (f"invoice-{n}.pdf", samples.PDF, "application/pdf")},
        )
        assert uploaded.status_code == 201, uploaded.text
        for body in (
            {"type": "text", "chat_id": peer, "text": f"hello {peer}"},
            {
                "type": "document",
                "chat_id": peer,
                "media": {"media_id": uploaded.json()["id"]},
                "filename": f"invoice-{n}.pdf",
            },
        ):
            sent = await client.post(
                f"/v1/sessions/{sid}/messages", headers=account.headers, json=body
            )
            assert sent.status_code == 202, sent.text
            await message_in_status(client, account, sent.json()["id"], "read")
        for inbound in (
            {"from": peer, "text": f"reply from {peer}"},
            {
                "from": peer,
                "media": {
                    "mime_type": "image/png",
                    "data_base64": base64.b64encode(samples.PNG).decode(),
                },
            },
        ):
            injected = await client.post(
                f"/v1/sandbox/sessions/{sid}/inbound", headers=account.headers, json=inbound
            )
            assert injected.status_code == 202, injected.text
    expected = 2 * len(peers)

    async def received() -> int:
        response = await client.get(
            f"/v1/sessions/{sid}/messages",
            headers=account.headers,
            params={"direction": "inbound", "limit": 100},
        )
        return len(response.json()["data"])

    await eventually(received, lambda n: n == expected, within=10)
    return Populated(sid, webhook.json()["id"])


async def listed(client: httpx.AsyncClient, account: TestAccount, path: str) -> list[Any]:
    """Every object of a list endpoint, page after page."""
    objects: list[Any] = []
    params: dict[str, Any] = {"limit": 100}
    while True:
        response = await client.get(path, headers=account.headers, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        objects.extend(body["data"])
        if not body["has_more"]:
            return objects
        params["starting_after"] = body["data"][-1]["id"]


async def export_archive(
    client: httpx.AsyncClient, account: TestAccount, settings: Settings
) -> tuple[dict[str, Any], Archive]:
    """Start an export, build it with a worker, download it: the export and its files."""
    created = await client.post("/v1/exports", headers=account.headers)
    assert created.status_code == 202, created.text
    assert created.json()["status"] == "queued"
    await run_worker(settings)
    export = (
        await client.get(f"/v1/exports/{created.json()['id']}", headers=account.headers)
    ).json()
    assert export["status"] == "succeeded", export
    download = await client.get(f"/v1/exports/{export['id']}/download", headers=account.headers)
    assert download.status_code == 200, download.text
    assert download.headers["content-type"] == "application/zip"
    return export, read_zip(download.content)


def read_zip(content: bytes) -> Archive:
    archive: Archive = {}
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        for name in zipped.namelist():
            text = zipped.read(name).decode()
            if name == "manifest.json":
                archive["manifest"] = [json.loads(text)]
            else:
                assert name.endswith(".jsonl"), name
                archive[name.removesuffix(".jsonl")] = [
                    json.loads(line) for line in text.splitlines()
                ]
    return archive
