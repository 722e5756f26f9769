"""Accepting sends on the one-statement path: what the per-process session cache may and
may not change, concurrent duplicates of one Idempotency-Key, and bodies PostgreSQL could
not store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.config import Settings
from gateway.models import Message
from tests.conftest import running
from tests.factories import TestAccount, create_account, create_session
from tests.waiting import eventually


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


@pytest.fixture
async def other_process(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A second API process: its own caches, the same database and Redis."""
    async with running(create_app(settings)) as client:
        yield client


def text(**fields: Any) -> dict[str, Any]:
    return {"type": "text", "chat_id": "+12025550123", "text": "hi", **fields}


async def send(
    client: httpx.AsyncClient,
    account: TestAccount,
    session_id: str,
    body: dict[str, Any],
    key: str | None = None,
) -> httpx.Response:
    headers = dict(account.headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.post(f"/v1/sessions/{session_id}/messages", headers=headers, json=body)


async def count_messages(sessionmaker: async_sessionmaker[AsyncSession], session_id: str) -> int:
    async with sessionmaker() as db:
        stmt = select(func.count()).select_from(Message).where(Message.session_id == session_id)
        return int(await db.scalar(stmt) or 0)


async def test_a_session_deleted_by_another_process_takes_no_more_messages(
    client: httpx.AsyncClient,
    other_process: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    session_id = (await create_session(client, account))["id"]
    assert (await send(client, account, session_id, text())).status_code == 202  # cached now

    deleted = await other_process.delete(f"/v1/sessions/{session_id}", headers=account.headers)
    assert deleted.status_code == 200
    # However late the invalidation reaches this process, the insert checks the session.
    response = await send(client, account, session_id, text(), key="after-delete")
    assert response.status_code == 404, response.text
    assert response.json()["error"]["param"] == "id"
    assert await count_messages(sessionmaker, session_id) == 1
    # The key keeps its answer, as for any client error.
    again = await send(client, account, session_id, text(), key="after-delete")
    assert again.status_code == 404
    assert again.headers["idempotent-replayed"] == "true"


async def test_a_config_change_in_another_process_reaches_the_cache(
    client: httpx.AsyncClient, other_process: httpx.AsyncClient, account: TestAccount
) -> None:
    session_id = (await create_session(client, account))["id"]
    assert (await send(client, account, session_id, text())).status_code == 202  # cached now

    changed = await other_process.patch(
        f"/v1/sessions/{session_id}",
        headers=account.headers,
        json={"config": {"sandbox": {"unsupported": ["send_text"]}}},
    )
    assert changed.status_code == 200, changed.text

    async def status() -> int:
        return (await send(client, account, session_id, text())).status_code

    assert await eventually(status, lambda code: code == 501, within=5) == 501


async def test_another_accounts_cached_session_stays_missing(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    session_id = (await create_session(client, account))["id"]
    assert (await send(client, account, session_id, text())).status_code == 202  # cached now
    stranger = await create_account(sessionmaker, name="Other")
    response = await send(client, stranger, session_id, text())
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "resource_missing"
    assert await count_messages(sessionmaker, session_id) == 1


async def test_concurrent_duplicates_store_one_message(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    session_id = (await create_session(client, account))["id"]
    assert (await send(client, account, session_id, text())).status_code == 202  # cached now

    responses = await asyncio.gather(
        *(send(client, account, session_id, text(text="once"), key="burst") for _ in range(12))
    )
    accepted = [r for r in responses if r.status_code == 202]
    assert {r.status_code for r in responses} <= {202, 409}, [r.text for r in responses]
    assert len({r.json()["id"] for r in accepted}) == 1
    assert sum("idempotent-replayed" not in r.headers for r in accepted) == 1
    assert await count_messages(sessionmaker, session_id) == 2


async def test_a_key_reused_for_another_message_is_refused(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    session_id = (await create_session(client, account))["id"]
    assert (await send(client, account, session_id, text(), key="k")).status_code == 202
    other = await send(client, account, session_id, text(text="different"), key="k")
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert other.json()["error"]["param"] == "Idempotency-Key"


@pytest.mark.parametrize(
    ("body", "param"),
    [
        (text(text="a\x00b"), "text"),
        ({"type": "location", "chat_id": "+12025550123", "latitude": 1, "longitude": 2,
          "name": "\x00"}, "name"),
        ({"type": "poll", "chat_id": "+12025550123", "question": "q", "options": ["a", "b\x00"]},
         "options[1]"),
        (text(mentions=["+12025550124\x00"]), "mentions[0]"),
    ],
)  # fmt: skip
async def test_nul_characters_are_refused_by_name(
    client: httpx.AsyncClient, account: TestAccount, body: dict[str, Any], param: str
) -> None:
    session_id = (await create_session(client, account))["id"]
    response = await send(client, account, session_id, body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["param"] == param
