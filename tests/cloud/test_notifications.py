"""Stored notifications processed into the gateway's rows and events: statuses move sent
messages, received messages become ``message.received`` (files downloaded from Graph),
and a worker killed mid-batch loses nothing and doubles nothing."""

from __future__ import annotations

import hashlib
import json
import signal
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from redis.asyncio import Redis
from sqlalchemy import event, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.util import await_only

from gateway.cloud.inbound import PROCESS_JOB
from gateway.cloud.tasks import close_graph_http, sweep_cloud_notifications
from gateway.config import Settings
from gateway.models import CloudNotification, ConversationWindow, Media, Message
from gateway.worker import CRON_JOBS, FUNCTIONS
from tests.cloud.factories import (
    CloudSession,
    contacts,
    create_sent_message,
    events_of,
    inbound,
    messages_change,
    post_notification,
    process_due,
    run_worker,
    status,
    store_cloud_session,
    stored_notifications,
)
from tests.engines.test_takeover import start_worker, stop
from tests.factories import create_account
from tests.local_http import Reply, serving
from tests.waiting import eventually

WAMID = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA"


@pytest.fixture
async def job_ctx(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], arq_redis: ArqRedis
) -> AsyncIterator[dict[str, Any]]:
    ctx: dict[str, Any] = {"settings": settings, "sessionmaker": sessionmaker, "redis": arq_redis}
    yield ctx
    await close_graph_http(ctx)


@pytest.fixture
async def cloud(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> CloudSession:
    account = await create_account(sessionmaker)
    return await store_cloud_session(sessionmaker, settings, account.id)


async def _notify(client: httpx.AsyncClient, cloud: CloudSession, **value: Any) -> None:
    response = await post_notification(client, messages_change(cloud, **value), cloud.app_secret)
    assert response.status_code == 200, response.text


async def _message(sessionmaker: async_sessionmaker[AsyncSession], message_id: str) -> Message:
    async with sessionmaker() as db:
        found = await db.get(Message, message_id)
        assert found is not None
        return found


async def _record_send(sessionmaker: async_sessionmaker[AsyncSession], message_id: str) -> None:
    """What the engine does once Graph answered the send: ``sent``, with the wamid."""
    async with sessionmaker() as db:
        await db.execute(
            update(Message)
            .where(Message.id == message_id)
            .values(status="sent", engine_message_id=WAMID, sent_at=func.now())
        )
        await db.commit()


async def _received(
    sessionmaker: async_sessionmaker[AsyncSession], cloud: CloudSession
) -> list[dict[str, Any]]:
    return [e.data["message"] for e in await events_of(sessionmaker, cloud.id, "message.received")]


async def test_statuses_move_a_sent_message_to_delivered_then_read(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    job_ctx: dict[str, Any],
    cloud: CloudSession,
) -> None:
    message_id = await create_sent_message(sessionmaker, cloud, wamid=WAMID)
    await _notify(client, cloud, statuses=[status(WAMID, "sent", message_id=message_id)])
    await _notify(client, cloud, statuses=[status(WAMID, "delivered", message_id=message_id)])
    await process_due(job_ctx)
    delivered = await _message(sessionmaker, message_id)
    assert delivered.status == "delivered"
    assert delivered.delivered_at is not None
    await _notify(client, cloud, statuses=[status(WAMID, "read")])  # found by the wamid alone
    await process_due(job_ctx)
    read = await _message(sessionmaker, message_id)
    assert read.status == "read"
    assert read.read_at is not None
    moves = [
        (e.data["previous_status"], e.data["message"]["status"])
        for e in await events_of(sessionmaker, cloud.id, "message.status")
    ]
    assert moves == [("sent", "delivered"), ("delivered", "read")]  # `sent` was news to no one
    assert all(r.processed_at is not None for r in await stored_notifications(sessionmaker))
    # A late `delivered` after `read` is old news.
    await _notify(client, cloud, statuses=[status(WAMID, "delivered", timestamp="1")])
    await process_due(job_ctx)
    assert (await _message(sessionmaker, message_id)).status == "read"
    assert len(await events_of(sessionmaker, cloud.id, "message.status")) == 2


async def test_a_failed_status_fails_the_message_with_our_code_and_metas(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    job_ctx: dict[str, Any],
    cloud: CloudSession,
) -> None:
    message_id = await create_sent_message(sessionmaker, cloud, wamid=WAMID)
    error = {
        "code": 131047,
        "title": "Re-engagement message",
        "message": "Re-engagement message",
        "error_data": {
            "details": "Message failed to send because more than 24 hours have "
            "passed since the customer last replied to this number."
        },
    }
    await _notify(client, cloud, statuses=[status(WAMID, "failed", errors=[error])])
    await process_due(job_ctx)
    failed = await _message(sessionmaker, message_id)
    assert failed.status == "failed"
    (event,) = await events_of(sessionmaker, cloud.id, "message.status")
    assert event.data["previous_status"] == "sent"
    assert event.data["message"]["error"]["code"] == "outside_customer_service_window"
    assert event.data["message"]["error"]["engine_code"] == "131047"
    assert "24 hours" in event.data["message"]["error"]["message"]


async def test_a_status_before_the_send_is_recorded_applies_once_it_is(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    job_ctx: dict[str, Any],
    cloud: CloudSession,
) -> None:
    # Meta's `delivered` can overtake the engine recording Graph's answer to the send.
    message_id = await create_sent_message(sessionmaker, cloud, wamid=None, status="sending")
    await _notify(client, cloud, statuses=[status(WAMID, "delivered", message_id=message_id)])
    await process_due(job_ctx)
    assert (await _message(sessionmaker, message_id)).status == "sending"
    (row,) = await stored_notifications(sessionmaker)
    assert row.processed_at is None  # waiting, not dropped
    await _record_send(sessionmaker, message_id)

    async def after_retry() -> str:
        await process_due(job_ctx)
        return (await _message(sessionmaker, message_id)).status

    await eventually(after_retry, lambda s: s == "delivered", within=10, every=0.3)
    (event,) = await events_of(sessionmaker, cloud.id, "message.status")
    assert (event.data["previous_status"], event.data["message"]["status"]) == ("sent", "delivered")


async def test_a_send_recorded_while_a_status_is_applied_loses_no_status(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    job_ctx: dict[str, Any],
    cloud: CloudSession,
) -> None:
    # Under load the engine's record of the send can commit just after the statement that
    # applies Meta's `read` looked at the message (still `sending`): the read is applied
    # all the same, not taken for old news about a message that is now `sent`.
    message_id = await create_sent_message(sessionmaker, cloud, wamid=None, status="sending")
    await _notify(client, cloud, statuses=[status(WAMID, "read", message_id=message_id)])

    recorded: list[str] = []

    def after_apply(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if not recorded and statement.lstrip().startswith("WITH target"):
            recorded.append(statement)
            # The job's transaction is still open.
            await_only(_record_send(sessionmaker, message_id))

    engine = (sessionmaker.kw or {})["bind"].sync_engine
    event.listen(engine, "after_cursor_execute", after_apply)
    try:
        await process_due(job_ctx)
    finally:
        event.remove(engine, "after_cursor_execute", after_apply)
    assert recorded, "the statement applying reports was not seen"
    message = await _message(sessionmaker, message_id)
    assert (message.status, message.read_at is not None) == ("read", True)
    moves = [
        (e.data["previous_status"], e.data["message"]["status"])
        for e in await events_of(sessionmaker, cloud.id, "message.status")
    ]
    assert moves == [("sent", "read")]
    (row,) = await stored_notifications(sessionmaker)
    assert (row.processed_at is not None, row.outcome) == (True, "processed")


async def test_a_received_text_is_message_received_and_opens_the_window(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    job_ctx: dict[str, Any],
    cloud: CloudSession,
) -> None:
    text = inbound("text", {"body": "Hi, is my order on its way?"})
    await _notify(client, cloud, contacts=contacts(), messages=[text])
    await _notify(client, cloud, contacts=contacts(), messages=[text])  # Meta's retry, reshaped
    await run_worker(settings)  # the job the webhook pushed
    (message,) = await _received(sessionmaker, cloud)
    assert message["id"].startswith("msg_")
    assert message["engine_message_id"] == text["id"]
    assert message["type"] == "text"
    assert message["text"] == "Hi, is my order on its way?"
    assert message["chat_id"] == message["from_id"] == "16315551181@c.us"
    assert message["from_phone_number"] == "+16315551181"
    assert message["from_name"] == "Sheena Nelson"
    assert message["raw"] == text
    stored = await _message(sessionmaker, message["id"])
    assert (stored.direction, stored.status, stored.chat_id) == (
        "inbound",
        "delivered",
        "16315551181@c.us",
    )
    async with sessionmaker() as db:
        window = await db.get(ConversationWindow, (cloud.id, "16315551181"))
    assert window is not None
    assert int(window.last_inbound_at.timestamp()) == int(text["timestamp"])
    (event,) = await events_of(sessionmaker, cloud.id, "message.received")
    assert event.session == {
        "id": cloud.id,
        "name": event.session["name"],
        "metadata": {"team": "support"},
    }
    assert event.livemode is True


async def test_a_received_image_is_downloaded_from_graph_into_the_media_store(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    job_ctx: dict[str, Any],
) -> None:
    picture = b"\xff\xd8\xff\xe0" + b"jpeg bytes " * 100
    routes: dict[str, Any] = {
        "/media/1013859600285441": Reply(200, picture, {"Content-Type": "image/jpeg"})
    }
    with serving(routes) as graph:
        routes["/v21.0/1013859600285441"] = Reply(
            200,
            json.dumps(
                {
                    "url": graph.url("/media/1013859600285441"),
                    "mime_type": "image/jpeg",
                    "id": "1013859600285441",
                    "file_size": len(picture),
                }
            ).encode(),
            {"Content-Type": "application/json"},
        )
        account = await create_account(sessionmaker)
        cloud = await store_cloud_session(
            sessionmaker, settings, account.id, graph_base_url=graph.url("")
        )
        image = inbound(
            "image",
            {
                "caption": "the parcel",
                "mime_type": "image/jpeg",
                "sha256": "x",
                "id": "1013859600285441",
            },
        )
        await _notify(client, cloud, contacts=contacts(), messages=[image])
        await process_due(job_ctx)
        requests = [(r.path, r.headers.get("authorization")) for r in graph.requests]
    assert requests == [
        ("/v21.0/1013859600285441", "Bearer EAAG-test-access-token"),
        ("/media/1013859600285441", "Bearer EAAG-test-access-token"),
    ]
    (message,) = await _received(sessionmaker, cloud)
    assert message["type"] == "image"
    assert message["media"]["caption"] == "the parcel"
    assert message["media"]["mime_type"] == "image/jpeg"
    assert message["media"]["size"] == len(picture)
    async with sessionmaker() as db:
        media = await db.get(Media, message["media"]["id"])
    assert media is not None
    assert media.sha256 == hashlib.sha256(picture).hexdigest()
    assert media.session_id == cloud.id


async def test_a_file_graph_cannot_serve_yet_waits(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    job_ctx: dict[str, Any],
) -> None:
    with serving(fallback=Reply(503, b"busy")) as graph:
        account = await create_account(sessionmaker)
        cloud = await store_cloud_session(
            sessionmaker, settings, account.id, graph_base_url=graph.url("")
        )
        voice = inbound("audio", {"mime_type": "audio/ogg; codecs=opus", "id": "77", "voice": True})
        await _notify(client, cloud, messages=[voice])
        await process_due(job_ctx)
    assert await _received(sessionmaker, cloud) == []
    (row,) = await stored_notifications(sessionmaker)
    assert row.processed_at is None
    assert row.attempts == 1
    assert row.last_error is not None


async def test_location_reaction_and_replies_are_received(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    job_ctx: dict[str, Any],
    cloud: CloudSession,
) -> None:
    ours = await create_sent_message(sessionmaker, cloud, wamid=WAMID)
    location = inbound(
        "location", {"latitude": 38.9, "longitude": -77.03, "name": "Shop", "address": "1 Main St"}
    )
    reaction = inbound("reaction", {"message_id": WAMID, "emoji": "👍"})
    button = inbound(
        "interactive",
        {"type": "button_reply", "button_reply": {"id": "track", "title": "Track order"}},
    )
    listed = inbound(
        "interactive",
        {
            "type": "list_reply",
            "list_reply": {"id": "size_m", "title": "Medium", "description": "Fits most"},
        },
    )
    quick = inbound("button", {"payload": "STOP_PROMOS", "text": "Stop promotions"})
    card = {
        "name": {"formatted_name": "Ada Lovelace"},
        "phones": [{"phone": "+1 202 555 0111", "wa_id": "12025550111"}],
    }
    shared = inbound("contacts", [card])  # Meta's key for the cards is the type's
    await _notify(
        client,
        cloud,
        contacts=contacts(),
        messages=[location, reaction, button, listed, quick, shared],
    )
    await process_due(job_ctx)
    received = {m["engine_message_id"]: m for m in await _received(sessionmaker, cloud)}
    assert received[location["id"]]["type"] == "location"
    assert received[location["id"]]["location"] == {
        "latitude": 38.9,
        "longitude": -77.03,
        "name": "Shop",
        "address": "1 Main St",
        "url": None,
    }
    assert (received[button["id"]]["type"], received[button["id"]]["text"]) == (
        "interactive",
        "Track order",
    )
    assert received[button["id"]]["interactive"] == {
        "kind": "button_reply",
        "id": "track",
        "title": "Track order",
        "description": None,
    }
    assert received[listed["id"]]["interactive"]["kind"] == "list_reply"
    assert received[listed["id"]]["interactive"]["description"] == "Fits most"
    assert received[quick["id"]]["interactive"] == {
        "kind": "quick_reply",
        "id": "STOP_PROMOS",
        "title": "Stop promotions",
        "description": None,
    }
    assert received[shared["id"]]["type"] == "contact"
    assert received[shared["id"]]["contacts"][0]["name"]["formatted_name"] == "Ada Lovelace"
    assert reaction["id"] not in received  # a reaction to our message is message.reaction
    (event,) = await events_of(sessionmaker, cloud.id, "message.reaction")
    assert event.data["target_message_id"] == ours
    assert event.data["emoji"] == "👍"
    assert event.data["message"]["direction"] == "inbound"
    assert event.data["message"]["type"] == "reaction"
    assert event.data["from_id"] == "16315551181@c.us"


async def test_a_notification_for_one_account_never_reaches_another(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    job_ctx: dict[str, Any],
    cloud: CloudSession,
) -> None:
    other_account = await create_account(sessionmaker, name="Other")
    other = await store_cloud_session(
        sessionmaker,
        settings,
        other_account.id,
        app_secret="another-app-secret-xyz",
        verify_token="another-verify-token",
    )
    await _notify(client, cloud, contacts=contacts(), messages=[inbound("text", {"body": "hi"})])
    await process_due(job_ctx)
    assert len(await _received(sessionmaker, cloud)) == 1
    assert await events_of(sessionmaker, other.id) == []
    async with sessionmaker() as db:
        theirs = await db.scalar(
            select(func.count()).select_from(Message).where(Message.session_id == other.id)
        )
    assert theirs == 0


MESSAGES = 300


@pytest.mark.timeout(180)
async def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    cloud: CloudSession,
) -> None:
    # Stored before the 200, with no worker running: every row waits for one.
    sent = [inbound("text", {"body": f"message {n}"}) for n in range(MESSAGES)]
    for message in sent:
        await _notify(client, cloud, contacts=contacts(), messages=[message])
    assert len(await stored_notifications(sessionmaker)) == MESSAGES

    async def processed() -> int:
        async with sessionmaker() as db:
            return int(
                await db.scalar(
                    select(func.count())
                    .select_from(CloudNotification)
                    .where(CloudNotification.processed_at.is_not(None))
                )
                or 0
            )

    worker = start_worker(settings)
    replacement = None
    try:
        await eventually(processed, lambda n: n >= 30, within=60, every=0.01)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        assert await processed() < MESSAGES  # killed with work left
        replacement = start_worker(settings)
        await eventually(processed, lambda n: n == MESSAGES, within=120, every=0.5)
    finally:
        stop(worker)
        if replacement is not None:
            stop(replacement)
    received = await _received(sessionmaker, cloud)
    assert sorted(m["engine_message_id"] for m in received) == sorted(m["id"] for m in sent)
    async with sessionmaker() as db:
        count = await db.scalar(
            select(func.count()).select_from(Message).where(Message.session_id == cloud.id)
        )
    assert count == MESSAGES


async def test_a_template_review_becomes_template_status(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_ctx: dict[str, Any],
    cloud: CloudSession,
) -> None:
    review = {
        "event": "REJECTED",
        "message_template_id": 594425479261596,
        "message_template_name": "spring_sale",
        "message_template_language": "en_US",
        "reason": "INVALID_FORMAT",
        "message_template_category": "MARKETING",
    }
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": cloud.waba_id,
                "time": 1733100000,
                "changes": [{"field": "message_template_status_update", "value": review}],
            }
        ],
    }
    response = await post_notification(client, payload, cloud.app_secret)
    assert response.json() == {"received": 1}
    await process_due(job_ctx)
    (event,) = await events_of(sessionmaker, cloud.id, "template.status")
    assert event.data["template"]["name"] == "spring_sale"
    assert event.data["template"]["status"] == "REJECTED"
    (row,) = await stored_notifications(sessionmaker)
    assert row.outcome == "processed"


async def test_other_fields_are_kept_and_closed(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_ctx: dict[str, Any],
    cloud: CloudSession,
) -> None:
    value = {"display_phone_number": "15550783881", "event": "FLAGGED", "current_limit": "TIER_1K"}
    change = {"field": "phone_number_quality_update", "value": value}
    entry = {"id": cloud.waba_id, "time": 1733100000, "changes": [change]}
    payload = {"object": "whatsapp_business_account", "entry": [entry]}
    assert (await post_notification(client, payload, cloud.app_secret)).json() == {"received": 1}
    await process_due(job_ctx)
    (row,) = await stored_notifications(sessionmaker)
    assert (row.field, row.outcome) == ("phone_number_quality_update", "processed")
    assert await events_of(sessionmaker, cloud.id) == []


def test_the_processing_job_is_one_the_worker_runs() -> None:
    assert PROCESS_JOB in {function.__name__ for function in FUNCTIONS}
    assert sweep_cloud_notifications in [job.coroutine for job in CRON_JOBS]


async def test_a_row_whose_job_was_lost_is_pushed_again_by_the_sweep(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    job_ctx: dict[str, Any],
    redis: Redis,
    cloud: CloudSession,
) -> None:
    await _notify(client, cloud, contacts=contacts(), messages=[inbound("text", {"body": "hi"})])
    await redis.flushdb()  # Redis lost the job
    assert await sweep_cloud_notifications(job_ctx) == 0  # fresh rows' jobs are on their way
    async with sessionmaker() as db:
        await db.execute(
            update(CloudNotification).values(
                next_attempt_at=func.now() - text("interval '1 minute'")
            )
        )
        await db.commit()
    assert await sweep_cloud_notifications(job_ctx) == 1
    await run_worker(settings)
    assert len(await _received(sessionmaker, cloud)) == 1
    assert await sweep_cloud_notifications(job_ctx) == 0
