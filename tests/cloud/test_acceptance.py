"""A cloud session end to end against the fake Graph API, with Meta's webhooks flowing
back into the gateway: every supported type sent reaches sent → delivered → read from
the fake's signed status notifications; a customer's messages of each kind become
``message.received``; a template is created, approved by Meta's review, and sent with
parameters. And nothing of the number's secrets shows in any answer, event or log line."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.config import Settings
from gateway.worker import create_worker
from tests.cloud.sessions import create_cloud_session
from tests.factories import TestAccount, create_account
from tests.fakes.graph import GraphHandle, serving_graph
from tests.waiting import eventually

pytestmark = pytest.mark.usefixtures("engine_host")

CUSTOMER = "12025550123"
DONE = ("read",)


@contextlib.asynccontextmanager
async def shared_worker(settings: Settings) -> AsyncIterator[None]:
    """The shared queue's jobs (Meta's notifications among them), run as a worker runs them."""
    worker = create_worker(settings, cron_jobs=[], handle_signals=False)
    task = asyncio.create_task(worker.async_run())
    try:
        yield
    finally:
        # close() ends the worker's loop itself (as in tests/conftest.py running_host):
        # cancelling the task too could cut a Redis pipeline's cleanup short.
        with contextlib.suppress(asyncio.CancelledError):
            await worker.close()
        await asyncio.gather(task, return_exceptions=True)


@pytest.fixture
async def graph(app: FastAPI) -> AsyncIterator[GraphHandle]:
    # Meta's notifications go to the gateway under test, over its ASGI interface.
    gateway = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")
    async with serving_graph(
        status_delays=(0.02, 0.05, 0.05), template_review_seconds=0.2, notify_client=gateway
    ) as handle:
        yield handle
    await gateway.aclose()


async def _events(
    client: httpx.AsyncClient, account: TestAccount, type_: str, seen: list[str]
) -> list[dict[str, Any]]:
    response = await client.get(
        "/v1/events", headers=account.headers, params={"type": type_, "limit": 100}
    )
    seen.append(response.text)
    data: list[dict[str, Any]] = response.json()["data"]
    return data


@pytest.mark.timeout(120)
async def test_a_cloud_session_works_like_any_other(
    client: httpx.AsyncClient,
    graph: GraphHandle,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    answers: list[str] = []  # every answer the gateway gave, to search for secrets
    account = await create_account(
        sessionmaker, mode=KeyMode.live, default_rate_limit="100000/second"
    )
    number = graph.fake.add_number(webhook_url="http://gw/v1/cloud/webhook")
    async with shared_worker(settings):
        session = await create_cloud_session(client, account, graph.base_url, number)
        sid = session["id"]
        answers.append(str(session))
        handshake = await graph.fake.verify_webhook(number)
        assert handshake["success"] is True, handshake

        # The customer writes first: that opens the 24-hour window.
        first = await graph.fake.receive(
            number, CUSTOMER, "Ada", {"type": "text", "text": {"body": "hello"}}
        )
        received = await eventually(
            lambda: _events(client, account, "message.received", answers),
            lambda events: len(events) == 1, within=15,
        )  # fmt: skip
        assert received[0]["data"]["message"]["text"] == "hello"
        assert received[0]["data"]["message"]["engine_message_id"] == first

        async def send(**body: Any) -> str:
            response = await client.post(
                f"/v1/sessions/{sid}/messages", headers=account.headers,
                json={"chat_id": f"+{CUSTOMER}", **body},
            )  # fmt: skip
            answers.append(response.text)
            assert response.status_code == 202, response.text
            return str(response.json()["id"])

        image = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 32).decode()
        sent_ids = [
            await send(type="text", text="hi https://example.com"),
            await send(type="image", media={"base64": image, "mime_type": "image/png"}),
            await send(type="document", filename="a.pdf",
                       media={"base64": base64.b64encode(b"%PDF-1.4").decode(),
                              "mime_type": "application/pdf"}),
            await send(type="audio", voice=True,
                       media={"base64": base64.b64encode(b"OggS" + b"\0" * 16).decode(),
                              "mime_type": "audio/ogg"}),
            await send(type="location", latitude=1.5, longitude=2.5),
            await send(type="contact", vcard="BEGIN:VCARD\nFN:Bo\nTEL:+15550100\nEND:VCARD"),
            await send(type="interactive", interactive={
                "type": "button", "body": "ok?", "buttons": [{"id": "y", "title": "Yes"}]}),
            await send(type="template", template={"name": "hello_world", "language": "en_US"}),
        ]  # fmt: skip
        sent_ids.append(await send(type="reaction", message_id=sent_ids[0], emoji="❤️"))

        async def statuses() -> dict[str, str]:
            result = {}
            for message_id in sent_ids:
                response = await client.get(f"/v1/messages/{message_id}", headers=account.headers)
                answers.append(response.text)
                result[message_id] = response.json()["status"]
            return result

        try:
            final = await eventually(
                statuses, lambda s: all(v in DONE for v in s.values()), within=30, every=0.3
            )
        except AssertionError as stuck:
            raise AssertionError(f"{stuck}\n{await _diagnosis(client, account, graph)}") from None
        assert set(final.values()) == {"read"}
        moves = await _events(client, account, "message.status", answers)
        for message_id in sent_ids:
            seen = [e["data"]["message"]["status"] for e in moves
                    if e["data"]["message"]["id"] == message_id]  # fmt: skip
            # A delivered that Meta reports before the send's answer is recorded may be
            # overtaken by the read (forward only): read implies delivered.
            assert {"sent", "read"} <= set(seen), (message_id, seen)
            message = await client.get(f"/v1/messages/{message_id}", headers=account.headers)
            assert message.json()["delivered_at"] is not None

        # What customers send, of every kind.
        png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"1" * 32).decode()
        for message in (
            {"type": "image", "media": {"mime_type": "image/png", "data_base64": png,
                                        "caption": "look"}},
            {"type": "location", "location": {"latitude": 3.5, "longitude": 4.5}},
            {"type": "interactive", "interactive": {
                "type": "button_reply", "button_reply": {"id": "y", "title": "Yes"}}},
        ):  # fmt: skip
            await graph.fake.receive(number, CUSTOMER, "Ada", message)
        reaction = await graph.fake.receive(
            number, CUSTOMER, "Ada",
            {"type": "reaction", "reaction": {"message_id": first, "emoji": "👍"}},
        )  # fmt: skip
        assert reaction
        received = await eventually(
            lambda: _events(client, account, "message.received", answers),
            lambda events: len(events) >= 4, within=15,
        )  # fmt: skip
        kinds = {e["data"]["message"]["type"] for e in received}
        assert {"text", "image", "location"} <= kinds
        stored_image = next(e for e in received if e["data"]["message"]["type"] == "image")
        media_id = stored_image["data"]["message"]["media"]["id"]
        download = await client.get(f"/v1/media/{media_id}/content", headers=account.headers)
        assert download.content == base64.b64decode(png)
        reactions = await _events(client, account, "message.reaction", answers)
        assert reactions, "the customer's reaction is an event"

        # A template: created, approved by Meta's review, sent with its parameter.
        created = await client.post(
            f"/v1/sessions/{sid}/templates", headers=account.headers,
            json={"name": "order_update", "language": "en_US", "category": "UTILITY",
                  "components": [{"type": "BODY", "text": "Hi {{1}}, order shipped.",
                                  "example": {"body_text": [["Ada"]]}}]},
        )  # fmt: skip
        answers.append(created.text)
        assert created.status_code == 201, created.text
        assert created.json()["status"] == "PENDING"
        approved = await eventually(
            lambda: _events(client, account, "template.status", answers),
            lambda events: any(
                e["data"]["template"]["status"] == "APPROVED" for e in events
            ), within=15,
        )  # fmt: skip
        assert approved
        parameters = [{"type": "text", "text": "Ada"}]
        templated = await send(type="template", template={
            "name": "order_update", "language": "en_US",
            "components": [{"type": "body", "parameters": parameters}]})  # fmt: skip
        await eventually(
            lambda: client.get(f"/v1/messages/{templated}", headers=account.headers),
            lambda r: r.json()["status"] == "read", within=15,
        )  # fmt: skip

        # Notifications not signed by the app's secret are refused and change nothing.
        graph.fake.sign_with = "not-the-app-secret"
        before = len(await _events(client, account, "message.received", answers))
        await graph.fake.receive(number, CUSTOMER, "Ada", {"type": "text", "text": {"body": "x"}})
        await eventually(
            lambda: _noop(graph.fake.notifications[-1].status),
            lambda status: status == 401, within=10,
        )  # fmt: skip
        assert len(await _events(client, account, "message.received", answers)) == before

    # Meta's side puts the verify token in its handshake's URL (the fake's client logs
    # that request); every other line is the gateway's.
    logged = [
        r.getMessage() for r in caplog.records
        if not r.getMessage().startswith("HTTP Request: GET http://gw/v1/cloud/webhook?")
    ]  # fmt: skip
    everything = "\n".join([*answers, *logged])
    for secret in (number.access_token, number.app_secret, number.verify_token):
        assert secret not in everything


async def _diagnosis(client: httpx.AsyncClient, account: TestAccount, graph: GraphHandle) -> str:
    """What the fake posted about each status and what the gateway made of it, for a
    message that did not get there."""
    posted = [
        (status["id"], status["status"], n.attempts)
        for n in graph.fake.notifications
        for entry in n.payload.get("entry", [])
        for change in entry.get("changes", [])
        for status in change.get("value", {}).get("statuses", [])
    ]
    moves = await _events(client, account, "message.status", [])
    seen = [(e["data"]["message"]["id"], e["data"]["message"]["status"]) for e in moves]
    return f"posted: {posted}\nmoves: {seen}"


async def _noop(value: Any) -> Any:
    return value
