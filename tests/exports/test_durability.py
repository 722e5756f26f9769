"""An export whose worker is killed mid-archive is finished by another worker, once."""

from __future__ import annotations

import signal
import subprocess

import httpx
import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.kit.ids import new_id
from gateway.models import Event, Export
from tests.engines.test_takeover import start_worker, stop
from tests.exports.archives import live_account, read_zip
from tests.waiting import eventually

EVENTS = 20_000


@pytest.mark.timeout(180)
async def test_an_export_interrupted_by_a_killed_worker_completes_once(
    client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await live_account(sessionmaker)
    async with sessionmaker() as db:
        for start in range(0, EVENTS, 5000):
            await db.execute(
                insert(Event),
                [
                    {
                        "id": new_id("evt"),
                        "account_id": account.id,
                        "type": "webhook.test",
                        "data": {"n": n},
                    }
                    for n in range(start, start + 5000)
                ],
            )
        await db.commit()
    created = await client.post("/v1/exports", headers=account.headers)
    assert created.status_code == 202, created.text
    export_id = created.json()["id"]

    async def export() -> dict[str, object]:
        response = await client.get(f"/v1/exports/{export_id}", headers=account.headers)
        body: dict[str, object] = response.json()
        return body

    env = {
        "GATEWAY_DATA_DIR": str(settings.data_dir),
        # Small batches, so the kill lands mid-archive; a short lease, so the takeover
        # comes within the test.
        "GATEWAY_EXPORT_BATCH_SIZE": "50",
        "GATEWAY_EXPORT_LEASE_SECONDS": "2",
    }
    worker = start_worker(settings, **env)
    replacement: subprocess.Popen[bytes] | None = None
    try:
        await eventually(
            export,
            lambda e: float(e["progress"]) > 0.05,
            within=60,
            every=0.01,  # type: ignore[arg-type]
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        interrupted = await export()
        assert interrupted["status"] == "running"
        assert float(interrupted["progress"]) < 1  # type: ignore[arg-type]
        replacement = start_worker(settings, **env)
        done = await eventually(export, lambda e: e["status"] == "succeeded", within=90, every=0.2)
    finally:
        stop(worker)
        if replacement is not None:
            stop(replacement)

    async with sessionmaker() as db:
        rows = (await db.scalars(select(Export).where(Export.account_id == account.id))).all()
    assert [(r.id, r.attempts) for r in rows] == [(export_id, 2)]  # started again once
    logged = await client.get("/v1/audit-log", headers=account.headers, params={"limit": 100})
    audit_log = len(logged.json()["data"])  # the account, its key, the export
    assert done["counts"] == {  # type: ignore[arg-type]
        **dict.fromkeys(done["counts"], 0),
        "events": EVENTS,
        "audit_log": audit_log,
    }
    files = list((settings.media_dir / account.id / "exports").iterdir())
    assert [f.name for f in files] == [f"{export_id}.zip"]
    download = await client.get(f"/v1/exports/{export_id}/download", headers=account.headers)
    archive = read_zip(download.content)
    assert sorted(e["data"]["n"] for e in archive["events"]) == list(range(EVENTS))
