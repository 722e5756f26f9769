"""API keys across a rotation of the secret key: found under any key of the keyring in one
query, re-hashed under the current key on first use (one more statement, once), and
still zero queries on a cache hit."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.cache import KeyCache
from gateway.auth.service import authenticate
from gateway.config import Settings
from gateway.db import create_engine, create_sessionmaker
from gateway.kit import crypto
from gateway.kit.errors import AuthenticationFailed
from gateway.models import ApiKey
from tests.conftest import SECRET_KEY
from tests.factories import create_account, create_api_key
from tests.roundtrips import PostgresCounter, postgres_proxy

A = SECRET_KEY.encode()
B = b"the-new-secret-key-" + b"b" * 40


@pytest.fixture
async def counted(
    settings: Settings,
) -> AsyncIterator[tuple[async_sessionmaker[AsyncSession], PostgresCounter]]:
    """Autocommit sessions (as the API authenticates with) through the counting proxy."""
    assert settings.database_url
    async with postgres_proxy(settings.database_url) as (url, counter):
        engine = create_engine(url, pool_size=1)
        try:
            yield (
                create_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT")),
                counter,
            )
        finally:
            await engine.dispose()


async def login(
    key: str, reads: async_sessionmaker[AsyncSession], ring: tuple[bytes, ...], cache: KeyCache
) -> str:
    principal = await authenticate(
        key, reads=reads, cache=cache, secret=ring, default_rate_limit="10/second"
    )
    return principal.key_id


async def stored(sessionmaker: async_sessionmaker[AsyncSession], key_id: str) -> ApiKey:
    async with sessionmaker() as db:
        return (await db.scalars(select(ApiKey).where(ApiKey.id == key_id))).one()


async def test_a_key_made_under_the_old_key_is_rehashed_on_first_use(
    counted: tuple[async_sessionmaker[AsyncSession], PostgresCounter],
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    reads, postgres = counted
    account = await create_account(sessionmaker)  # hashed under A
    warm = await create_api_key(sessionmaker, account.id)
    key = await create_api_key(sessionmaker, account.id)
    assert (await stored(sessionmaker, key.key_id)).secret_key_id == crypto.key_id_hex(A)
    # Statements prepared once (asyncpg prepares on first use): what follows counts the
    # round trips of an authentication itself.
    await login(account.key, reads, (A,), KeyCache(max_age=60))
    await login(warm.key, reads, (B, A), KeyCache(max_age=60))

    # Under [A] alone, as before rotation: one query.
    postgres.reset()
    assert await login(key.key, reads, (A,), KeyCache(max_age=60)) == key.key_id
    assert postgres.round_trips == 1, postgres.messages

    # Under [B, A]: found by its hash under A in the same single query, re-hashed under B.
    cache = KeyCache(max_age=60)
    postgres.reset()
    assert await login(key.key, reads, (B, A), cache) == key.key_id
    assert postgres.round_trips == 2, postgres.messages  # the lookup, and the re-hash once
    row = await stored(sessionmaker, key.key_id)
    assert row.secret_key_id == crypto.key_id_hex(B)

    # A cache hit: no query. A miss: one query, nothing left to re-hash.
    postgres.reset()
    assert await login(key.key, reads, (B, A), cache) == key.key_id
    assert postgres.round_trips == 0
    assert await login(key.key, reads, (B, A), KeyCache(max_age=60)) == key.key_id
    assert postgres.round_trips == 1, postgres.messages

    # The old key dropped: still found. A process that never knew B cannot find it,
    # which is why B is added to every process before it becomes current.
    assert await login(key.key, reads, (B,), KeyCache(max_age=60)) == key.key_id
    with pytest.raises(AuthenticationFailed):
        await login(key.key, reads, (A,), KeyCache(max_age=60))
    # A key never used under [B, A] is not found under B alone.
    with pytest.raises(AuthenticationFailed):
        await login(account.key, reads, (B,), KeyCache(max_age=60))
    # Under [A, B] (B known, A current) a B-hashed key is found, too.
    assert await login(key.key, reads, (A, B), KeyCache(max_age=60)) == key.key_id


async def test_a_hash_from_before_key_ids_is_stamped_on_use(
    counted: tuple[async_sessionmaker[AsyncSession], PostgresCounter],
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    reads, _postgres = counted
    account = await create_account(sessionmaker)
    async with sessionmaker() as db:
        row = (await db.scalars(select(ApiKey).where(ApiKey.id == account.key_id))).one()
        row.secret_key_id = None  # as every key made before migration 0021
        await db.commit()
    assert await login(account.key, reads, (A,), KeyCache(max_age=60)) == account.key_id
    assert (await stored(sessionmaker, account.key_id)).secret_key_id == crypto.key_id_hex(A)
