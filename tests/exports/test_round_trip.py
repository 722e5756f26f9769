"""An export holds every object the API lists, exactly as the API shows it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from tests.exports.archives import export_archive, listed, live_account, populate, run_worker
from tests.local_http import Reply, serving
from tests.waiting import eventually

PEERS = ["+12025550123", "+12025550124"]


def by_id(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in objects}


@pytest.mark.usefixtures("engine_host")
@pytest.mark.timeout(90)
async def test_every_object_the_api_lists_is_in_the_archive(
    client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    account = await live_account(sessionmaker)
    with serving({"/hook": Reply(200)}) as receiver:
        made = await populate(client, account, receiver, peers=PEERS)
        await run_worker(settings)  # the webhook deliveries
        deliveries_path = f"/v1/webhooks/{made.webhook_id}/deliveries"

        async def deliveries() -> list[Any]:
            return await listed(client, account, deliveries_path)

        await eventually(deliveries, lambda ds: ds and all(d["status"] == "succeeded" for d in ds))
        export, archive = await export_archive(client, account, settings)

    api = {
        "sessions": await listed(client, account, "/v1/sessions"),
        "messages": await listed(client, account, f"/v1/sessions/{made.session_id}/messages"),
        "media": await listed(client, account, "/v1/media"),
        "events": await listed(client, account, "/v1/events"),
        "webhooks": await listed(client, account, "/v1/webhooks"),
        "webhook_deliveries": [
            (await client.get(f"{deliveries_path}/{d['id']}", headers=account.headers)).json()
            for d in await deliveries()
        ],
        # The export's own entry included: it was made before the archive.
        "audit_log": await listed(client, account, "/v1/audit-log"),
    }
    assert len(api["messages"]) == 4 * len(PEERS)
    assert len(api["media"]) == 2 * len(PEERS)  # uploads, and the images received
    assert {m["direction"] for m in api["messages"]} == {"outbound", "inbound"}
    assert api["webhook_deliveries"]
    assert api["events"]
    for kind, objects in api.items():
        archived = by_id(archive[kind])
        for obj in objects:
            assert archived.get(obj["id"]) == obj, (kind, obj["id"])
        assert len(archived) == len(objects), kind

    chats = await listed(client, account, f"/v1/sessions/{made.session_id}/chats")
    assert {c["id"] for c in chats} <= {c["id"] for c in archive["chats"]}
    manifest = archive["manifest"][0]
    assert manifest["account_id"] == account.id
    assert manifest["export_id"] == export["id"]
    assert manifest["format_version"] == 1
    assert manifest["counts"] == {k: len(v) for k, v in archive.items() if k != "manifest"}
    assert export["counts"] == manifest["counts"]
    assert export["progress"] == 1
    assert export["download_url"].endswith(f"/v1/exports/{export['id']}/download")

    created = await listed(client, account, "/v1/audit-log")
    assert [e["resource"]["id"] for e in created if e["action"] == "export.created"] == [
        export["id"]
    ]
