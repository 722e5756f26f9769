"""GET /v1/usage and /admin/accounts/{id}/usage: figures counted from the rows, against
the plan, scoped to the caller's account."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.billing.usage_counters import period_of
from tests.billing.test_quota import live_account, put_on_plan, send
from tests.conftest import ADMIN_TOKEN
from tests.factories import create_account, create_api_key, create_session, session_in_status
from tests.fakes.graph import serving_graph
from tests.messages.test_pipeline import message_sent

pytestmark = pytest.mark.usefixtures("engine_host")


@pytest.fixture
async def graph() -> AsyncIterator[Any]:
    async with serving_graph(status_delays=None, template_review_seconds=None) as served:
        yield served


async def test_usage_counts_the_rows_of_the_current_and_previous_periods_against_the_plan(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], graph: Any
) -> None:
    account, session_id = await live_account(
        client, sessionmaker, graph, messages=10, overage=False
    )
    sent = [await send(client, account, session_id) for _ in range(3)]
    assert [r.status_code for r in sent] == [202] * 3
    # The figures count messages by status; let the worker finish so that the account's
    # and the operator's reads below see the same statuses.
    for response in sent:
        await message_sent(client, account, response.json()["id"])
    sandbox = await create_session(client, account, auto_link=True, name="play")
    await session_in_status(client, account, sandbox["id"], "WORKING")
    assert (await send(client, account, sandbox["id"])).status_code == 202
    # One of last period's, moved there in the rows.
    previous = period_of(datetime.now(UTC)).start - timedelta(days=2)
    async with sessionmaker() as db:
        await db.execute(
            text(
                "UPDATE messages SET created_at = :at WHERE id = (SELECT id FROM messages "
                "WHERE session_id = :s ORDER BY id LIMIT 1)"
            ),
            {"at": previous, "s": session_id},
        )
        await db.commit()

    response = await client.get("/v1/usage", headers=account.headers)
    assert response.status_code == 200, response.text
    usage = response.json()
    assert usage["object"] == "usage"
    assert usage["account_id"] == account.id
    assert usage["plan"]["name"].startswith("Tiny")
    current = usage["current_period"]
    assert current["period"] == period_of(datetime.now(UTC)).name
    messages = current["messages"]
    assert (messages["used"], messages["included"], messages["overage"]) == (2, 10, 0)
    assert messages["test_mode"] == 1
    assert messages["by_status"] == {"sent": 2}
    assert [d["messages"] for d in messages["by_day"]] == [2]
    by_session = {s["session_id"]: s for s in messages["by_session"]}
    assert by_session[session_id]["messages"] == 2
    assert by_session[session_id]["livemode"]
    assert by_session[sandbox["id"]]["messages"] == 1
    assert not by_session[sandbox["id"]]["livemode"]
    last = usage["previous_period"]
    assert last["period"] == period_of(previous).name
    assert last["messages"]["used"] == 1
    assert last["messages"]["by_day"] == [{"date": previous.date().isoformat(), "messages": 1}]
    assert usage["sessions"] == {"used": 1, "limit": None}  # the live one
    assert usage["api_keys"]["used"] == 1
    assert usage["webhook_endpoints"]["used"] == 0
    assert usage["media_storage_bytes"]["used"] == 0

    # The operator sees the same figures.
    admin = await client.get(
        f"/admin/accounts/{account.id}/usage", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    assert admin.status_code == 200
    assert admin.json() == usage


async def test_another_accounts_usage_is_invisible_and_the_scope_is_required(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], graph: Any
) -> None:
    account, session_id = await live_account(
        client, sessionmaker, graph, messages=None, overage=False
    )
    assert (await send(client, account, session_id)).status_code == 202
    other = await create_account(sessionmaker, name="Other", mode=KeyMode.live)
    await put_on_plan(sessionmaker, other.id, messages=5, overage=False)

    theirs = (await client.get("/v1/usage", headers=other.headers)).json()
    assert theirs["account_id"] == other.id
    assert theirs["current_period"]["messages"]["used"] == 0
    assert theirs["current_period"]["messages"]["by_session"] == []

    narrow = await create_api_key(sessionmaker, account.id, scopes={"messages": "write"})
    refused = await client.get("/v1/usage", headers=narrow.headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["type"] == "permission_error"

    missing = await client.get(
        "/admin/accounts/acct_missing/usage", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    assert missing.status_code == 404
