"""Managing webhook endpoints: secrets shown once and kept encrypted, URLs checked."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.config import Settings
from gateway.models import WebhookEndpoint
from tests.conftest import running
from tests.factories import TestAccount, create_account, create_api_key

URL = "https://example.com/hooks"


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


async def create(client: httpx.AsyncClient, account: TestAccount, **body: Any) -> httpx.Response:
    return await client.post(
        "/v1/webhooks", headers=account.headers, json={"url": "http://127.0.0.1:9/hook", **body}
    )


async def test_create_shows_the_secret_once_and_keeps_it_encrypted(
    client: httpx.AsyncClient, account: TestAccount, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    response = await create(
        client, account, event_types=["message.received", "session.status"],
        headers={"Authorization": "Bearer receiver-token"}, description="CRM",
    )  # fmt: skip
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("whk_")
    assert body["object"] == "webhook_endpoint"
    assert body["secret"].startswith("whsec_")
    assert body["event_types"] == ["message.received", "session.status"]
    assert body["session_ids"] is None
    assert body["enabled"] is True

    fetched = await client.get(f"/v1/webhooks/{body['id']}", headers=account.headers)
    assert "secret" not in fetched.json()
    listed = await client.get("/v1/webhooks", headers=account.headers)
    assert body["secret"] not in listed.text
    async with sessionmaker() as db:
        row = await db.get(WebhookEndpoint, body["id"])
    assert row is not None
    assert body["secret"].encode() not in row.secret
    assert body["secret"][6:].encode() not in row.secret


async def test_rotation_keeps_the_old_secret_for_a_grace_period(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    created = (await create(client, account)).json()
    rotated = await client.post(
        f"/v1/webhooks/{created['id']}/rotate-secret", headers=account.headers, json={}
    )
    assert rotated.status_code == 200
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != created["secret"]
    assert rotated.json()["previous_secret_expires_at"] is not None
    at_once = await client.post(
        f"/v1/webhooks/{created['id']}/rotate-secret",
        headers=account.headers,
        json={"grace_seconds": 0},
    )
    assert at_once.json()["previous_secret_expires_at"] is None


async def test_update_and_delete(client: httpx.AsyncClient, account: TestAccount) -> None:
    created = (await create(client, account)).json()
    path = f"/v1/webhooks/{created['id']}"
    session_id = "ses_01JA2B3C4D5E6F7G8H9J0KMNPQ"
    updated = await client.patch(
        path,
        headers=account.headers,
        json={"event_types": ["*"], "session_ids": [session_id], "enabled": False},
    )
    assert updated.status_code == 200
    assert updated.json()["session_ids"] == [session_id]
    assert updated.json()["enabled"] is False
    assert updated.json()["disabled_reason"]
    enabled = await client.patch(path, headers=account.headers, json={"enabled": True})
    assert enabled.json()["enabled"] is True
    assert enabled.json()["disabled_reason"] is None
    deleted = await client.delete(path, headers=account.headers)
    assert deleted.json() == {"id": created["id"], "object": "webhook_endpoint", "deleted": True}
    assert (await client.get(path, headers=account.headers)).status_code == 404


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"event_types": ["message.sent_later"]}, "event_types"),
        ({"event_types": []}, "event_types"),
        ({"event_types": ["*", "session.status"]}, "event_types"),
        ({"session_ids": ["nope"]}, "session_ids"),
        ({"headers": {"Content-Type": "text/plain"}}, "headers"),
        ({"headers": {"webhook-id": "x"}}, "headers"),
        ({"headers": {"bad name": "x"}}, "headers"),
        ({"url": "file:///etc/passwd"}, "url"),
        ({"url": "ftp://example.com/x"}, "url"),
        ({"url": "http://user:pw@example.com/"}, "url"),
    ],
)
async def test_invalid_endpoints_name_the_param(
    client: httpx.AsyncClient, account: TestAccount, body: dict[str, Any], param: str
) -> None:
    response = await create(client, account, **body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["param"] == param


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "http://10.1.2.3/hook",
        "http://localhost/hook",
    ],
)
async def test_private_targets_are_refused_in_production(
    settings: Settings, account: TestAccount, url: str
) -> None:
    production = settings.model_copy(update={"allow_private_targets": False})
    async with running(create_app(production)) as client:
        response = await client.post("/v1/webhooks", headers=account.headers, json={"url": url})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["param"] == "url"
    assert response.json()["error"]["code"] == "url_not_allowed"


async def test_other_accounts_and_restricted_keys(
    client: httpx.AsyncClient, account: TestAccount, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    created = (await create(client, account)).json()
    path = f"/v1/webhooks/{created['id']}"
    intruder = await create_account(sessionmaker, name="intruder")
    for response in (
        await client.get(path, headers=intruder.headers),
        await client.patch(path, headers=intruder.headers, json={"url": URL}),
        await client.delete(path, headers=intruder.headers),
        await client.post(f"{path}/rotate-secret", headers=intruder.headers),
    ):
        assert response.status_code == 404, response.text
    assert (await client.get("/v1/webhooks", headers=intruder.headers)).json()["data"] == []
    assert (await client.get(path, headers=account.headers)).json()["url"] == created["url"]

    restricted = await create_api_key(
        sessionmaker, account.id, session_id="ses_01JA2B3C4D5E6F7G8H9J0KMNPQ"
    )
    assert (await client.get("/v1/webhooks", headers=restricted.headers)).status_code == 403
    reader = await create_api_key(sessionmaker, account.id, scopes={"webhooks": "read"})
    assert (await create(client, reader)).status_code == 403
    assert (await client.get(path, headers=reader.headers)).status_code == 200
