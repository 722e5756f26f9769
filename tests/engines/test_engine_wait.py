"""Requests that wait on an engine hold no database connection, nor a transaction, while
they wait: the host may take seconds, and a pool of connections held by waiting requests
would starve every other request.

The host here is slow on purpose: a worker of its own queue, as an engine host runs one,
whose engine answers only when the test lets it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from arq.connections import RedisSettings, create_pool
from arq.worker import Worker, func
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.engines.control import error_result, host_queue
from gateway.kit.errors import InvalidRequest
from gateway.kit.routing import WaitAfterWrite, release
from gateway.kit.time import utcnow
from gateway.models import Session, SessionLease
from tests.factories import (
    TestAccount,
    create_account,
    create_session,
    held_in_transaction,
    pseudonym,
)
from tests.waiting import eventually

HOST = "slow-host"
ADA, GRACE = "12025550111@c.us", "12025550112@c.us"
REFUSED = "12025550199@c.us"


def _contact(contact_id: str, blocked: bool = False) -> dict[str, Any]:
    return {"id": contact_id, "phone_number": "+" + contact_id.split("@")[0],
            "phone_id": contact_id, "lid": None, "blocked": blocked}  # fmt: skip


def _group(subject: str, participants: list[str]) -> dict[str, Any]:
    return {
        "id": "120363000000000002@g.us", "subject": subject, "description": None,
        "picture_url": None, "owner": None, "created_at": None, "settings": {},
        "participants": [{"id": p, "phone_number": None, "lid": None, "role": "member"}
                         for p in participants],
    }  # fmt: skip


class SlowHost:
    """The host functions the API calls, answering once ``answer`` is set."""

    def __init__(self) -> None:
        self.waiting = 0
        self.answer = asyncio.Event()

    async def _wait(self) -> None:
        self.waiting += 1
        await self.answer.wait()

    async def engine_operation(
        self, ctx: dict[str, Any], session_id: str, operation: str, kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        await self._wait()
        if operation == "contacts":
            return {"result": [_contact(ADA)]}
        if operation == "block":
            if kwargs["contact_id"] == REFUSED:
                return error_result(InvalidRequest("Not on WhatsApp.", param="contact_id"))
            return {"result": _contact(kwargs["contact_id"], kwargs["blocked"])}
        if operation == "create_group":
            return {"result": _group(kwargs["subject"], kwargs["participants"])}
        raise AssertionError(operation)

    async def engine_mark_read(
        self, ctx: dict[str, Any], session_id: str, chat_id: str
    ) -> dict[str, Any]:
        await self._wait()
        return {}


@pytest.fixture
async def slow_host(redis_url: str) -> AsyncIterator[SlowHost]:
    host = SlowHost()
    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    worker = Worker(
        functions=[
            func(host.engine_operation, name="engine_operation"),
            func(host.engine_mark_read, name="engine_mark_read"),
        ],
        queue_name=host_queue(HOST),
        redis_pool=pool,
        handle_signals=False,
        poll_delay=0.02,
        max_jobs=20,
    )
    task = asyncio.create_task(worker.async_run())
    try:
        yield host
    finally:
        host.answer.set()
        await worker.close()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


async def session_on_slow_host(
    client: httpx.AsyncClient, account: TestAccount, sessionmaker: async_sessionmaker[AsyncSession]
) -> str:
    """A WORKING session whose lease the slow host holds."""
    sid = str((await create_session(client, account, start=False))["id"])
    async with sessionmaker() as db:
        await db.execute(update(Session).where(Session.id == sid).values(status="WORKING"))
        db.add(
            SessionLease(session_id=sid, host_id=HOST, expires_at=utcnow() + timedelta(minutes=5))
        )
        await db.commit()
    return sid


async def test_waiting_requests_hold_no_connection(
    app: FastAPI,
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    db: AsyncSession,
    slow_host: SlowHost,
    settings: Settings,
) -> None:
    sid = await session_on_slow_host(client, account, sessionmaker)
    base = f"/v1/sessions/{sid}"
    headers = account.headers
    requests = [
        client.get(f"{base}/contacts", headers=headers),  # a read: an autocommit session
        client.post(f"{base}/contacts/{ADA}/block", headers=headers),
        client.post(f"{base}/contacts/{REFUSED}/block", headers=headers),
        client.post(f"{base}/groups", headers=headers,
                    json={"subject": "Crew", "participants": [ADA, GRACE]}),
        client.post(f"{base}/chats/{ADA}/read", headers=headers),
    ]  # fmt: skip
    pending = [asyncio.ensure_future(r) for r in requests]
    await eventually(lambda: asyncio.sleep(0, slow_host.waiting), lambda n: n == len(requests))

    # Every request waits on the engine; none holds a connection of the API's pool, nor
    # an open transaction on the server.
    pool = app.state.gateway.engine.pool
    assert pool.checkedout() == 0
    assert await held_in_transaction(db) == 0
    # Other requests are served meanwhile.
    other = await client.get(f"{base}", headers=headers)
    assert other.status_code == 200

    slow_host.answer.set()
    contacts, blocked, refused, group, read = await asyncio.gather(*pending)
    assert contacts.status_code == 200, contacts.text
    assert contacts.json()["data"][0]["id"] == ADA
    assert blocked.status_code == 200, blocked.text
    assert blocked.json()["blocked"] is True
    assert refused.status_code == 422, refused.text
    assert group.status_code in (200, 201), group.text
    assert read.status_code == 200, read.text

    # What they changed is recorded after the engine answered, in their own transaction;
    # the refused one recorded nothing.
    log = await client.get("/v1/audit-log", headers=headers)
    actions = sorted((e["action"], e["resource"]["id"]) for e in log.json()["data"])
    # Ada appears as the pseudonym the log gives her; the group by its id.
    ada = pseudonym(settings, ADA)
    assert [a for a in actions if not a[0].startswith("session.")] == [
        ("chat.read", ada),
        ("contact.blocked", ada),
        ("group.created", "120363000000000002@g.us"),
    ]


async def test_a_request_with_an_idempotency_key_keeps_its_claim_while_it_waits(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    slow_host: SlowHost,
) -> None:
    """The claim is a lock of the request's transaction: it stays, so a retry of the same
    request while the first waits is told so (409) instead of reaching the engine again."""
    sid = await session_on_slow_host(client, account, sessionmaker)
    headers = {**account.headers, "Idempotency-Key": "block-ada"}
    path = f"/v1/sessions/{sid}/contacts/{ADA}/block"
    first = asyncio.ensure_future(client.post(path, headers=headers))
    await eventually(lambda: asyncio.sleep(0, slow_host.waiting), lambda n: n == 1)
    retry = await client.post(path, headers=headers)
    assert retry.status_code == 409, retry.text
    assert retry.json()["error"]["code"] == "idempotency_key_in_use"
    slow_host.answer.set()
    assert (await first).status_code == 200
    assert slow_host.waiting == 1
    replay = await client.post(path, headers=headers)
    assert replay.headers.get("Idempotent-Replayed") == "true"


async def test_release_refuses_a_session_that_wrote(
    sessionmaker: async_sessionmaker[AsyncSession], account: TestAccount
) -> None:
    async with sessionmaker() as db:
        await db.get(Session, "ses_none")
        assert await release(db)  # reads only: let go
        db.add(Session(id="ses_wrote", account_id=account.id, name="w", engine="sandbox",
                       desired_state="stopped"))  # fmt: skip
        with pytest.raises(WaitAfterWrite):
            await release(db)
        await db.flush()
        assert not db.new
        with pytest.raises(WaitAfterWrite):  # flushed, not committed: still a write
            await release(db)
        await db.commit()
        assert await release(db)  # a new transaction, nothing written yet
