"""The audit log as an account and the operator read it."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.audit.service import record
from gateway.auth.keys import KeyMode
from gateway.kit import actor
from tests.conftest import ADMIN_TOKEN
from tests.factories import TestAccount, create_account, create_api_key

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


async def entries(client: httpx.AsyncClient, account: TestAccount, **params: str) -> list[dict]:
    response = await client.get("/v1/audit-log", headers=account.headers, params=params)
    assert response.status_code == 200, response.text
    data: list[dict] = response.json()["data"]
    return data


async def test_a_change_is_recorded_with_who_made_it(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    created = await client.post(
        "/v1/sessions",
        headers={**account.headers, "X-Forwarded-For": "203.0.113.9"},
        json={"name": "support", "start": False, "metadata": {"team": "a"}},
    )
    assert created.status_code == 201, created.text
    session_id = created.json()["id"]
    renamed = await client.patch(
        f"/v1/sessions/{session_id}", headers=account.headers, json={"name": "sales"}
    )
    assert renamed.status_code == 200

    log = await entries(client, account)
    assert [e["action"] for e in log] == ["session.updated", "session.created"]
    updated, first = log
    assert updated["changes"] == {"name": {"from": "support", "to": "sales"}}
    assert first["changes"]["name"] == "support"
    assert first["changes"]["metadata"] == {"team": "a"}
    assert first["actor"] == {"type": "api_key", "id": account.key_id, "via": None}
    assert first["resource"] == {"type": "session", "id": session_id}
    assert first["request_id"] == created.headers["request-id"]
    # The header came from an untrusted peer: the address is the connection's, not its claim.
    assert first["ip_address"] != "203.0.113.9"
    assert first["account_id"] == account.id

    assert [e["action"] for e in await entries(client, account, action="session.created")] == [
        "session.created"
    ]
    assert len(await entries(client, account, action="session.*")) == 2
    assert await entries(client, account, resource_id="ses_nothing") == []


async def test_a_change_refused_leaves_no_entry(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    body = {"name": "twin", "start": False}
    assert (
        await client.post("/v1/sessions", headers=account.headers, json=body)
    ).status_code == 201
    taken = await client.post("/v1/sessions", headers=account.headers, json=body)
    assert taken.status_code == 409
    assert [e["action"] for e in await entries(client, account)] == ["session.created"]


async def test_accounts_see_only_their_own_and_the_operator_sees_all(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mine = await create_account(sessionmaker, name="Mine")
    theirs = await create_account(sessionmaker, name="Theirs")
    made = await client.post(
        "/v1/sessions", headers=theirs.headers, json={"name": "x", "start": False}
    )
    assert made.status_code == 201
    assert await entries(client, mine) == []
    assert await entries(client, mine, resource_id=made.json()["id"]) == []

    every = await client.get("/admin/audit-log", headers=ADMIN, params={"account_id": theirs.id})
    assert every.status_code == 200
    shown = [e["resource"] for e in every.json()["data"]]
    # The account and its first key, made before by the operator's tools, then the session.
    assert [r["type"] for r in shown] == ["session", "api_key", "account"]
    assert shown[0]["id"] == made.json()["id"]
    assert shown[2]["id"] == theirs.id
    assert (await client.get("/admin/audit-log", headers=mine.headers)).status_code == 401


async def test_bad_filters_name_their_param(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    response = await client.get(
        "/v1/audit-log", headers=account.headers, params={"action": "DROP TABLE"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["param"] == "action"


async def test_entries_cannot_be_rewritten(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    await client.post("/v1/sessions", headers=account.headers, json={"name": "y", "start": False})
    for statement in ("UPDATE audit_entries SET action = 'x'", "DELETE FROM audit_entries"):
        async with sessionmaker() as db:
            with pytest.raises(DBAPIError, match="append-only"):
                await db.execute(text(statement))
    assert [e["action"] for e in await entries(client, account)] == ["session.created"]


async def test_an_entry_commits_with_its_change_or_not_at_all(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    async with sessionmaker() as db:
        actor.bind(db, actor.key_actor(account.key_id, account.id, livemode=False))
        record(db, "session.created", "session", "ses_rolled_back")
        await db.flush()  # written, in a transaction that then fails
        await db.rollback()
    async with sessionmaker() as db:
        actor.bind(db, actor.key_actor(account.key_id, account.id, livemode=False))
        record(db, "session.created", "session", "ses_committed")
        await db.commit()
    assert [e["resource"]["id"] for e in await entries(client, account)] == ["ses_committed"]


async def test_test_keys_see_what_test_keys_did_and_session_keys_see_nothing(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    live = await create_account(sessionmaker, mode=KeyMode.live)
    test = await create_api_key(sessionmaker, live.id, mode=KeyMode.test)
    made = await client.post("/v1/api-keys", headers=live.headers, json={"name": "live one"})
    assert made.status_code == 201
    sandbox = await client.post(
        "/v1/sessions", headers=test.headers, json={"name": "s", "start": False}
    )
    assert sandbox.status_code == 201
    live_view = await entries(client, live)
    assert {e["action"] for e in live_view} >= {"api_key.created", "session.created"}
    test_view = await entries(client, test)
    assert [(e["action"], e["livemode"]) for e in test_view] == [("session.created", False)]

    restricted = await create_api_key(
        sessionmaker, live.id, mode=KeyMode.test, session_id=sandbox.json()["id"]
    )
    refused = await client.get("/v1/audit-log", headers=restricted.headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["type"] == "permission_error"
