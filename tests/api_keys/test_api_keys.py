from __future__ import annotations

import httpx
import pytest
from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.api_keys.tasks import flush_api_key_usage
from gateway.auth.keys import KeyMode
from gateway.config import Settings
from gateway.models import ApiKey
from tests.conftest import SECRET_KEY
from tests.factories import create_account, create_api_key


async def test_create_shows_the_secret_once_and_stores_only_a_hash(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    created = await client.post(
        "/v1/api-keys", headers=account.headers, json={"name": "billing job"}
    )
    assert created.status_code == 201
    body = created.json()
    secret = body["secret"]
    assert body["object"] == "api_key"
    assert body["id"].startswith("key_")
    assert body["redacted"] == f"gw_test_…{secret[-4:]}"
    assert body["last_used_at"] is None

    fetched = await client.get(f"/v1/api-keys/{body['id']}", headers=account.headers)
    assert fetched.status_code == 200
    assert "secret" not in fetched.json()
    assert secret not in fetched.text
    listed = await client.get("/v1/api-keys", headers=account.headers)
    assert secret not in listed.text

    async with sessionmaker() as db:
        row = await db.get(ApiKey, body["id"])
    assert row is not None
    assert secret not in row.secret_hash
    assert len(row.secret_hash) == 64  # HMAC-SHA256 hex


async def test_rename(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    response = await client.patch(
        f"/v1/api-keys/{account.key_id}", headers=account.headers, json={"name": "renamed"}
    )
    assert response.status_code == 200
    assert response.json()["name"] == "renamed"


async def test_other_accounts_keys_look_missing(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mine = await create_account(sessionmaker, name="mine")
    theirs = await create_account(sessionmaker, name="theirs")
    path = f"/v1/api-keys/{theirs.key_id}"

    for response in (
        await client.get(path, headers=mine.headers),
        await client.patch(path, headers=mine.headers, json={"name": "pwned"}),
        await client.post(f"{path}/revoke", headers=mine.headers),
    ):
        assert response.status_code == 404, response.text
        assert response.json()["error"]["code"] == "resource_missing"
        assert response.json()["error"]["param"] == "id"

    listed = (await client.get("/v1/api-keys", headers=mine.headers)).json()["data"]
    assert [k["id"] for k in listed] == [mine.key_id]
    # Their key still works and was not renamed.
    still = await client.get(path, headers=theirs.headers)
    assert still.status_code == 200
    assert still.json()["name"] != "pwned"
    assert still.json()["revoked_at"] is None


async def test_unknown_key_id_is_404(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    response = await client.get("/v1/api-keys/key_nope", headers=account.headers)
    assert response.status_code == 404
    assert "key_nope" in response.json()["error"]["message"]


@pytest.fixture
async def job_context(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], arq_redis: ArqRedis
) -> dict[str, object]:
    return {"settings": settings, "sessionmaker": sessionmaker, "redis": arq_redis}


async def test_last_used_at_is_recorded_without_a_write_per_request(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, object],
) -> None:
    account = await create_account(sessionmaker)
    for _ in range(3):
        await client.get("/v1/account", headers=account.headers)
    # Requests alone leave the row untouched...
    before = await client.get(f"/v1/api-keys/{account.key_id}", headers=account.headers)
    assert before.json()["last_used_at"] is None
    # ...until the cron job moves the stamps over in one statement.
    assert await flush_api_key_usage(job_context) == 1
    after = await client.get(f"/v1/api-keys/{account.key_id}", headers=account.headers)
    assert after.json()["last_used_at"] is not None
    assert await flush_api_key_usage(job_context) == 0


def test_secret_is_the_one_keys_are_hashed_with(settings: Settings) -> None:
    assert settings.secret == SECRET_KEY.encode()


async def test_test_mode_keys_cannot_reach_live_keys(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    live = await create_account(sessionmaker, mode=KeyMode.live)
    test = await create_api_key(sessionmaker, live.id, mode=KeyMode.test)
    path = f"/v1/api-keys/{live.key_id}"
    for response in (
        await client.get(path, headers=test.headers),
        await client.patch(path, headers=test.headers, json={"name": "x"}),
        await client.post(f"{path}/revoke", headers=test.headers),
    ):
        assert response.status_code == 404
    listed = (await client.get("/v1/api-keys", headers=test.headers)).json()["data"]
    assert [k["id"] for k in listed] == [test.key_id]
    # The live key sees both.
    assert len((await client.get("/v1/api-keys", headers=live.headers)).json()["data"]) == 2


async def test_session_restricted_keys_reach_only_their_sessions_keys(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    restricted = await create_api_key(
        sessionmaker, account.id, session_id="ses_01JA2B3C4D5E6F7G8H9J0KMNPQ"
    )
    response = await client.post(
        f"/v1/api-keys/{account.key_id}/revoke", headers=restricted.headers
    )
    assert response.status_code == 404
    assert (await client.get("/v1/account", headers=account.headers)).status_code == 200


async def test_a_key_cannot_allow_more_requests_than_it_has(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker, default_rate_limit="10/second")
    too_fast = await client.post(
        "/v1/api-keys", headers=account.headers, json={"rate_limit": "1000/minute"}
    )
    assert too_fast.status_code == 403
    assert too_fast.json()["error"]["param"] == "rate_limit"
    slower = await client.post(
        "/v1/api-keys", headers=account.headers, json={"rate_limit": "600/minute"}
    )
    assert slower.status_code == 201
    raise_own = await client.patch(
        f"/v1/api-keys/{account.key_id}", headers=account.headers, json={"rate_limit": "11/second"}
    )
    assert raise_own.status_code == 403
