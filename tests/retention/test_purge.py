"""The retention purge: what is past its age goes, in bounded batches; what is younger,
unfinished or still referenced stays, as a user sees through the API."""

from __future__ import annotations

import os
import secrets
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from ulid import ULID

from gateway.config import Settings
from gateway.kit.time import utcnow
from gateway.metrics.process import REGISTRY
from gateway.models import (
    Event,
    IdempotencyKey,
    Message,
    SandboxInbound,
    SandboxSend,
    Session,
    WebhookAttempt,
    WebhookDelivery,
)
from gateway.retention.tasks import purge_idempotency_keys, purge_retention
from tests.factories import TestAccount, create_account, create_session


def made_at(prefix: str, at: datetime) -> str:
    """An id as the gateway would have made it at ``at``."""
    ms = int(at.timestamp() * 1000)
    return f"{prefix}_{ULID.from_bytes(ms.to_bytes(6, 'big') + secrets.token_bytes(10))}"


def ago(days: float) -> datetime:
    return utcnow() - timedelta(days=days)


def job_context(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
    **overrides: Any,
) -> dict[str, Any]:
    return {
        "settings": settings.model_copy(update=overrides),
        "sessionmaker": sessionmaker,
        "redis": arq_redis,
    }


async def insert_messages(
    sessionmaker: async_sessionmaker[AsyncSession],
    account_id: str,
    session_id: str,
    count: int,
    *,
    age_days: float,
    status: str = "delivered",
) -> list[str]:
    at = ago(age_days)
    rows = [
        {
            "id": made_at("msg", at),
            "account_id": account_id,
            "session_id": session_id,
            "direction": "outbound",
            "chat_id": "12025550123@c.us",
            "type": "text",
            "content": {"text": f"old {i}"},
            "status": status,
            "created_at": at,
            "updated_at": at,
        }
        for i in range(count)
    ]
    async with sessionmaker() as db:
        await db.execute(insert(Message), rows)
        await db.commit()
    return [r["id"] for r in rows]


async def insert_events(
    sessionmaker: async_sessionmaker[AsyncSession],
    account_id: str,
    count: int,
    *,
    age_days: float,
) -> list[str]:
    at = ago(age_days)
    rows = [
        {
            "id": made_at("evt", at),
            "account_id": account_id,
            "type": "webhook.test",
            "livemode": False,
            "data": {"n": i},
            "created_at": at,
        }
        for i in range(count)
    ]
    async with sessionmaker() as db:
        await db.execute(insert(Event), rows)
        await db.commit()
    return [r["id"] for r in rows]


async def insert_delivery(
    sessionmaker: async_sessionmaker[AsyncSession],
    account_id: str,
    endpoint_id: str,
    event_id: str,
    *,
    age_days: float,
    status: str,
) -> str:
    at = ago(age_days)
    delivery_id = made_at("dlv", at)
    async with sessionmaker() as db:
        await db.execute(
            insert(WebhookDelivery).values(
                id=delivery_id, account_id=account_id, endpoint_id=endpoint_id,
                event_id=event_id, event_type="webhook.test", status=status, attempts=1,
                created_at=at, updated_at=at,
                next_attempt_at=utcnow() + timedelta(hours=1) if status == "pending" else None,
            )
        )  # fmt: skip
        await db.execute(
            insert(WebhookAttempt).values(
                delivery_id=delivery_id, attempted_at=at, status_code=200, latency_ms=5
            )
        )
        await db.commit()
    return delivery_id


async def listed(client: httpx.AsyncClient, account: TestAccount, path: str) -> list[str]:
    """Every id the list at ``path`` shows, over all its pages."""
    ids: list[str] = []
    after: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 100}
        if after:
            params["starting_after"] = after
        response = await client.get(path, headers=account.headers, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        ids += [item["id"] for item in body["data"]]
        if not body["has_more"]:
            return ids
        after = ids[-1]


def purged_rows_counted(kind: str) -> float:
    """The worker's ``gateway_retention_purged_rows_total`` for ``kind``, as scraped."""
    value = REGISTRY.get_sample_value("gateway_retention_purged_rows_total", {"kind": kind})
    return value or 0.0


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


async def test_finished_messages_past_their_age_go_and_the_rest_stays(
    client: httpx.AsyncClient,
    account: TestAccount,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    session_id = (await create_session(client, account, start=False))["id"]
    old = await insert_messages(sessionmaker, account.id, session_id, 7, age_days=100)
    old_failed = await insert_messages(
        sessionmaker, account.id, session_id, 2, age_days=100, status="failed"
    )
    unfinished = [
        *await insert_messages(sessionmaker, account.id, session_id, 2, age_days=100,
                               status="queued"),
        *await insert_messages(sessionmaker, account.id, session_id, 1, age_days=100,
                               status="scheduled"),
        *await insert_messages(sessionmaker, account.id, session_id, 1, age_days=100,
                               status="sending"),
    ]  # fmt: skip
    young = await insert_messages(sessionmaker, account.id, session_id, 3, age_days=80)
    path = f"/v1/sessions/{session_id}/messages"
    assert len(await listed(client, account, path)) == 16

    counted = purged_rows_counted("messages")

    # Batches of two: the nine old ones take five batches, all in one run.
    ctx = job_context(settings, sessionmaker, arq_redis, retention_batch_size=2)
    purged = await purge_retention(ctx)

    assert purged["messages"] == len(old) + len(old_failed)
    assert purged_rows_counted("messages") == counted + purged["messages"]
    assert sorted(await listed(client, account, path)) == sorted(unfinished + young)
    gone = await client.get(f"/v1/messages/{old[0]}", headers=account.headers)
    assert gone.status_code == 404
    # Nothing left past its age: the next run purges nothing.
    assert (await purge_retention(ctx)).get("messages", 0) == 0


async def test_a_run_is_bounded_and_the_next_goes_on(
    client: httpx.AsyncClient,
    account: TestAccount,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    session_id = (await create_session(client, account, start=False))["id"]
    await insert_messages(sessionmaker, account.id, session_id, 10, age_days=100)
    path = f"/v1/sessions/{session_id}/messages"
    ctx = job_context(
        settings, sessionmaker, arq_redis, retention_batch_size=3, retention_batches_per_run=2
    )

    assert (await purge_retention(ctx))["messages"] == 6
    assert len(await listed(client, account, path)) == 4
    assert (await purge_retention(ctx))["messages"] == 4
    assert await listed(client, account, path) == []


async def test_each_account_keeps_its_own_days(
    client: httpx.AsyncClient,
    account: TestAccount,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    brief = await create_account(sessionmaker, name="Brief")
    keeper = await create_account(sessionmaker, name="Keeper")
    async with sessionmaker() as db:
        await db.execute(
            text(
                "UPDATE accounts SET retention_messages_days = 5, "
                "retention_events_days = 5 WHERE id = :id"
            ),
            {"id": brief.id},
        )
        await db.execute(
            text(
                "UPDATE accounts SET retention_messages_days = 200, "
                "retention_events_days = 200 WHERE id = :id"
            ),
            {"id": keeper.id},
        )
        await db.commit()  # fmt: skip
    sessions = {
        a.id: (await create_session(client, a, start=False))["id"] for a in (account, brief, keeper)
    }
    for a in (account, brief, keeper):
        await insert_messages(sessionmaker, a.id, sessions[a.id], 2, age_days=10)
        await insert_messages(sessionmaker, a.id, sessions[a.id], 2, age_days=150)
        await insert_events(sessionmaker, a.id, 2, age_days=10)
        await insert_events(sessionmaker, a.id, 2, age_days=150)

    purged = await purge_retention(job_context(settings, sessionmaker, arq_redis))

    assert purged["messages"] == 2 + 4  # the default (90 days) and the brief account's 5
    kept = {
        a.id: len(await listed(client, a, f"/v1/sessions/{sessions[a.id]}/messages"))
        for a in (account, brief, keeper)
    }
    assert kept == {account.id: 2, brief.id: 0, keeper.id: 4}
    events = {a.id: len(await listed(client, a, "/v1/events")) for a in (account, brief, keeper)}
    assert events == {account.id: 2, brief.id: 0, keeper.id: 4}


async def test_events_and_deliveries_go_but_not_while_a_delivery_is_pending(
    client: httpx.AsyncClient,
    account: TestAccount,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    created = await client.post(
        "/v1/webhooks", headers=account.headers, json={"url": "http://127.0.0.1:9/hook"}
    )
    assert created.status_code == 201, created.text
    endpoint_id = created.json()["id"]
    old_events = await insert_events(sessionmaker, account.id, 4, age_days=40)
    young_events = await insert_events(sessionmaker, account.id, 2, age_days=20)
    delivered = await insert_delivery(
        sessionmaker, account.id, endpoint_id, old_events[0], age_days=40, status="succeeded"
    )
    pending = await insert_delivery(
        sessionmaker, account.id, endpoint_id, old_events[1], age_days=40, status="pending"
    )
    young_delivery = await insert_delivery(
        sessionmaker, account.id, endpoint_id, young_events[0], age_days=20, status="failed"
    )
    # A delivery kept longer than its event would be: it goes with the event.
    await insert_delivery(
        sessionmaker, account.id, endpoint_id, old_events[2], age_days=10, status="succeeded"
    )

    purged = await purge_retention(job_context(settings, sessionmaker, arq_redis))

    assert purged["webhook_deliveries"] == 1
    assert purged["events"] == 3  # not the one still being delivered
    assert sorted(await listed(client, account, "/v1/events")) == sorted(
        [old_events[1], *young_events]
    )
    deliveries = await listed(client, account, f"/v1/webhooks/{endpoint_id}/deliveries")
    assert sorted(deliveries) == sorted([pending, young_delivery])
    gone = await client.get(
        f"/v1/webhooks/{endpoint_id}/deliveries/{delivered}", headers=account.headers
    )
    assert gone.status_code == 404
    async with sessionmaker() as db:
        attempts = await db.scalar(select(func.count()).select_from(WebhookAttempt))
    assert attempts == 2  # the kept deliveries'


async def test_keep_forever_and_the_operator_maximum(
    client: httpx.AsyncClient,
    account: TestAccount,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    session_id = (await create_session(client, account, start=False))["id"]
    await insert_messages(sessionmaker, account.id, session_id, 2, age_days=1000)
    path = f"/v1/sessions/{session_id}/messages"

    forever = job_context(settings, sessionmaker, arq_redis, retention_messages_days=0)
    assert (await purge_retention(forever)).get("messages", 0) == 0
    assert len(await listed(client, account, path)) == 2

    # An account's longer choice made before the operator lowered the maximum: capped.
    async with sessionmaker() as db:
        await db.execute(
            text("UPDATE accounts SET retention_messages_days = 3000 WHERE id = :id"),
            {"id": account.id},
        )
        await db.commit()
    capped = job_context(settings, sessionmaker, arq_redis, retention_max_days=365)
    assert (await purge_retention(capped))["messages"] == 2
    assert await listed(client, account, path) == []


async def test_expired_idempotency_records_go(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
    account: TestAccount,
) -> None:
    rows = [
        {
            "scope": account.id, "key": f"k{i}", "fingerprint": "f" * 64, "method": "POST",
            "path": "/v1/x", "status_code": 200, "response_headers": {}, "response_body": b"",
            "expires_at": utcnow() + timedelta(hours=-1 if i < 5 else 1),
        }
        for i in range(8)
    ]  # fmt: skip
    async with sessionmaker() as db:
        await db.execute(insert(IdempotencyKey), rows)
        await db.commit()

    ctx = job_context(settings, sessionmaker, arq_redis, retention_batch_size=2)
    assert await purge_idempotency_keys(ctx) == 5
    async with sessionmaker() as db:
        left = (await db.scalars(select(IdempotencyKey.key).order_by(IdempotencyKey.key))).all()
    assert left == ["k5", "k6", "k7"]


async def test_session_tombstones_go_with_what_is_left_of_them(
    client: httpx.AsyncClient,
    account: TestAccount,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    old = (await create_session(client, account, name="old", start=False))["id"]
    recent = (await create_session(client, account, name="recent", start=False))["id"]
    for session_id in (old, recent):
        await insert_messages(sessionmaker, account.id, session_id, 3, age_days=1)
        deleted = await client.delete(f"/v1/sessions/{session_id}", headers=account.headers)
        assert deleted.status_code == 200
    async with sessionmaker() as db:
        await db.execute(update(Session).where(Session.id == old).values(deleted_at=ago(31)))
        await db.commit()

    ctx = job_context(settings, sessionmaker, arq_redis, retention_batch_size=2)
    purged = await purge_retention(ctx)

    assert purged["session_tombstones"] == 1
    assert purged["messages"] == 3
    # The recent tombstone still answers a repeated delete; the purged one is unknown now.
    again = await client.delete(f"/v1/sessions/{recent}", headers=account.headers)
    assert again.status_code == 200
    assert (await client.delete(f"/v1/sessions/{old}", headers=account.headers)).status_code == 404
    async with sessionmaker() as db:
        left = (await db.scalars(select(Message.session_id).distinct())).all()
    assert left == [recent]


async def test_spent_sandbox_rows_go(
    client: httpx.AsyncClient,
    account: TestAccount,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    session_id = (await create_session(client, account, start=False))["id"]
    at = ago(10)
    inbound = {
        "received_old": (made_at("sbx", at), at),
        "waiting_old": (made_at("sbx", at), None),
        "received_young": (made_at("sbx", ago(1)), ago(1)),
    }
    sends = {
        "acked_old": (made_at("msg", at), None),
        "owing_old": (made_at("msg", at), utcnow()),
        "acked_young": (made_at("msg", ago(1)), None),
    }
    async with sessionmaker() as db:
        await db.execute(insert(SandboxInbound), [
            {"id": i, "session_id": session_id, "payload": {}, "created_at": at, "received_at": r}
            for i, r in inbound.values()
        ])  # fmt: skip
        await db.execute(insert(SandboxSend), [
            {"message_id": m, "session_id": session_id, "engine_message_id": m,
             "recipient": "12025550123@c.us", "next_ack_at": n}
            for m, n in sends.values()
        ])  # fmt: skip
        await db.commit()

    purged = await purge_retention(job_context(settings, sessionmaker, arq_redis))

    assert purged["sandbox_inbound"] == 1
    assert purged["sandbox_sends"] == 1
    async with sessionmaker() as db:
        left_inbound = set((await db.scalars(select(SandboxInbound.id))).all())
        left_sends = set((await db.scalars(select(SandboxSend.message_id))).all())
    assert left_inbound == {inbound["waiting_old"][0], inbound["received_young"][0]}
    assert left_sends == {sends["owing_old"][0], sends["acked_young"][0]}


async def test_orphaned_media_files_go_and_referenced_ones_stay(
    client: httpx.AsyncClient,
    account: TestAccount,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    uploaded = await client.post(
        "/v1/media",
        headers=account.headers,
        files={"file": ("note.txt", b"kept bytes", "text/plain")},
    )
    assert uploaded.status_code == 201, uploaded.text
    media_id = uploaded.json()["id"]
    folder: Path = settings.media_dir / account.id
    two_hours_ago = time.time() - 7200
    # What a rolled-back upload leaves: bytes under a media id no row has.
    orphan = folder / made_at("med", ago(0.1))
    orphan.write_bytes(b"orphan")
    half_written = folder / ".upload-crashed"
    half_written.write_bytes(b"half")
    recent_orphan = folder / made_at("med", utcnow())
    recent_orphan.write_bytes(b"maybe committing right now")
    for path in (folder / media_id, orphan, half_written):
        os.utime(path, (two_hours_ago, two_hours_ago))

    purged = await purge_retention(job_context(settings, sessionmaker, arq_redis))

    assert purged["media_files"] == 2
    assert not orphan.exists()
    assert not half_written.exists()
    assert recent_orphan.exists()  # within the grace period
    content = await client.get(f"/v1/media/{media_id}/content", headers=account.headers)
    assert content.status_code == 200
    assert content.content == b"kept bytes"
