"""The exports API: one at a time, ready before downloadable, expiring, per account."""

from __future__ import annotations

from datetime import timedelta

import httpx
from arq.connections import ArqRedis
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.config import Settings
from gateway.exports.tasks import sweep_exports
from gateway.kit.time import utcnow
from gateway.models import Export
from tests.contacts.test_access import assert_error
from tests.exports.archives import export_archive, live_account, run_worker
from tests.factories import create_account, create_api_key


async def test_one_export_at_a_time_and_none_to_download_before_it_is_ready(
    client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await live_account(sessionmaker)
    first = await client.post("/v1/exports", headers=account.headers)
    assert first.status_code == 202, first.text
    export = first.json()
    assert (export["status"], export["progress"], export["download_url"]) == ("queued", 0, None)
    again = await client.post("/v1/exports", headers=account.headers)
    assert_error(again, 409, "export_in_progress")
    early = await client.get(f"/v1/exports/{export['id']}/download", headers=account.headers)
    assert_error(early, 409, "export_not_ready")

    await run_worker(settings)
    listed = (await client.get("/v1/exports", headers=account.headers)).json()
    assert [(e["id"], e["status"]) for e in listed["data"]] == [(export["id"], "succeeded")]
    # Finished: another may start.
    assert (await client.post("/v1/exports", headers=account.headers)).status_code == 202


async def test_another_accounts_export_is_not_found_and_scopes_are_checked(
    client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await live_account(sessionmaker)
    export, _ = await export_archive(client, account, settings)
    other = await live_account(sessionmaker)
    for path in (f"/v1/exports/{export['id']}", f"/v1/exports/{export['id']}/download"):
        assert_error(
            await client.get(path, headers=other.headers), 404, "resource_missing", param="id"
        )
    assert (await client.get("/v1/exports", headers=other.headers)).json()["data"] == []

    reader = await create_api_key(
        sessionmaker, account.id, scopes={"account": "read"}, mode=KeyMode.live
    )
    assert (
        await client.get(f"/v1/exports/{export['id']}", headers=reader.headers)
    ).status_code == 200
    for response in (
        await client.post("/v1/exports", headers=reader.headers),
        await client.get(f"/v1/exports/{export['id']}/download", headers=reader.headers),
    ):
        assert_error(response, 403, "insufficient_scope", type="permission_error")
    test_mode = await create_account(sessionmaker)
    refused = await client.post("/v1/exports", headers=test_mode.headers)
    assert_error(refused, 403, "livemode_required", type="permission_error")


async def test_an_expired_export_is_gone_and_its_file_purged(
    client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    account = await live_account(sessionmaker)
    export, _ = await export_archive(client, account, settings)
    stored = settings.media_dir / account.id / "exports" / f"{export['id']}.zip"
    assert stored.exists()
    async with sessionmaker() as db:
        await db.execute(
            update(Export)
            .where(Export.id == export["id"])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await db.commit()
    shown = (await client.get(f"/v1/exports/{export['id']}", headers=account.headers)).json()
    assert (shown["status"], shown["download_url"]) == ("expired", None)
    gone = await client.get(f"/v1/exports/{export['id']}/download", headers=account.headers)
    assert_error(gone, 410, "export_expired")

    ctx = {"settings": settings, "sessionmaker": sessionmaker, "redis": arq_redis}
    assert await sweep_exports(ctx) == 1
    assert not stored.exists()
    assert await sweep_exports(ctx) == 0
    gone = await client.get(f"/v1/exports/{export['id']}/download", headers=account.headers)
    assert_error(gone, 410, "export_expired")
