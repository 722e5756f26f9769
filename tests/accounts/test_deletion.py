"""Deleting an account: confirmed first, then its data is gone and its keys refused,
while the operator still reads what happened in the audit log."""

from __future__ import annotations

import time

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.config import Settings
from gateway.erasure.service import confirmation_token
from gateway.models import Account, Event, Media, Message, Session
from tests.conftest import ADMIN_TOKEN
from tests.contacts.test_erasure import assert_error
from tests.exports.archives import export_archive, live_account, populate, run_worker
from tests.factories import create_api_key
from tests.local_http import Reply, serving

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


async def confirm(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    asked = await client.delete("/v1/account", headers=headers)
    error = assert_error(asked, 409, "confirmation_required", param="confirm")
    token = asked.headers["confirmation-token"]
    assert token in error["message"]
    return token


@pytest.mark.usefixtures("engine_host")
@pytest.mark.timeout(120)
async def test_a_confirmed_deletion_erases_the_account_and_refuses_its_keys(
    client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await live_account(sessionmaker)
    other_key = await create_api_key(sessionmaker, account.id, mode=KeyMode.live)
    with serving({"/hook": Reply(200)}) as receiver:
        made = await populate(client, account, receiver, peers=["+12025550123"])
        await run_worker(settings)
    await export_archive(client, account, settings)
    assert any((settings.media_dir / account.id).rglob("*"))

    token = await confirm(client, account.headers)
    deleted = await client.delete("/v1/account", headers=account.headers, params={"confirm": token})
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["deleted"] is True
    assert deleted.json()["counts"]["sessions"] == 1

    for key in (account, other_key):
        refused = await client.get("/v1/sessions", headers=key.headers)
        assert_error(refused, 401, "api_key_revoked", type="authentication_error")
    async with sessionmaker() as db:
        row = await db.get(Account, account.id)
        assert row is not None
        assert row.deleted_at is not None
        assert (row.name, row.email) == ("Deleted account", None)
        for model in (Message, Media, Event):
            rows = await db.scalars(select(model).where(model.account_id == account.id))
            assert rows.all() == [], model
        session = await db.get(Session, made.session_id)
        assert session is not None
        assert session.desired_state == "deleted"
    assert not [p for p in (settings.media_dir / account.id).rglob("*") if p.is_file()]

    audit = await client.get("/admin/audit-log", headers=ADMIN, params={"account_id": account.id})
    actions = [e["action"] for e in audit.json()["data"]]
    assert actions[0] == "account.deleted"
    assert "export.created" in actions
    assert "session.created" in actions
    admin_view = await client.get(f"/admin/accounts/{account.id}", headers=ADMIN)
    assert admin_view.status_code == 200


async def test_a_wrong_or_stale_confirmation_is_refused(
    client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await live_account(sessionmaker)
    other = await live_account(sessionmaker)

    async def delete(confirm: str) -> httpx.Response:
        return await client.delete(
            "/v1/account", headers=account.headers, params={"confirm": confirm}
        )

    assert_error(await delete("nonsense"), 422, "confirmation_invalid", param="confirm")
    # Another account's token is not this one's.
    assert_error(
        await delete(await confirm(client, other.headers)),
        422,
        "confirmation_invalid",
        param="confirm",
    )
    stale = confirmation_token(settings.secret, account.id, int(time.time()) - 1)
    assert_error(await delete(stale), 422, "confirmation_expired", param="confirm")
    reader = await create_api_key(
        sessionmaker, account.id, scopes={"account": "read"}, mode=KeyMode.live
    )
    denied = await client.delete("/v1/account", headers=reader.headers)
    assert_error(denied, 403, "insufficient_scope", type="permission_error")
    # Nothing happened: the key still works.
    assert (await client.get("/v1/account", headers=account.headers)).status_code == 200
