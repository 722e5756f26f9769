"""Plain async helpers that create test data through the services, committed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.accounts.service import create_account as create_account_row
from gateway.api_keys.service import create_key
from gateway.audit.service import personal
from gateway.auth.keys import KeyMode
from gateway.auth.scopes import normalise
from gateway.config import Settings
from gateway.kit import actor
from tests.conftest import SECRET_KEY
from tests.waiting import eventually


@dataclass(frozen=True)
class TestAccount:
    __test__ = False  # a fixture's value, not a test class

    id: str
    key_id: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


async def create_account(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    name: str = "Acme",
    default_rate_limit: str | None = None,
    mode: KeyMode = KeyMode.test,
) -> TestAccount:
    async with sessionmaker() as db:
        account, key, plaintext = await create_account_row(
            db,
            secret=SECRET_KEY.encode(),
            name=name,
            default_rate_limit=default_rate_limit,
            key_mode=mode,
        )
        await db.commit()
    return TestAccount(account.id, key.id, plaintext)


async def create_api_key(
    sessionmaker: async_sessionmaker[AsyncSession],
    account_id: str,
    *,
    scopes: dict[str, str] | None = None,
    rate_limit: str | None = None,
    mode: KeyMode = KeyMode.test,
    session_id: str | None = None,
) -> TestAccount:
    async with sessionmaker() as db:
        key, plaintext = await create_key(
            db,
            account_id=account_id,
            secret=SECRET_KEY.encode(),
            mode=mode,
            scopes=normalise(scopes) if scopes is not None else None,
            rate_limit=rate_limit,
            session_id=session_id,
        )
        await db.commit()
    return TestAccount(account_id, key.id, plaintext)


async def create_session(
    client: httpx.AsyncClient,
    account: TestAccount,
    *,
    name: str = "main",
    auto_link: bool = False,
    start: bool = True,
    **config: Any,
) -> dict[str, Any]:
    """Create a sandbox session through the API; returns the session object."""
    sandbox = {"auto_link": auto_link, **config.pop("sandbox", {})}
    response = await client.post(
        "/v1/sessions",
        headers=account.headers,
        json={"name": name, "start": start, "config": {"sandbox": sandbox, **config}},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def session_in_status(
    client: httpx.AsyncClient,
    account: TestAccount,
    session_id: str,
    status: str,
    within: float = 5.0,
) -> dict[str, Any]:
    """The session once it has reached ``status``."""

    async def fetch() -> dict[str, Any]:
        response = await client.get(f"/v1/sessions/{session_id}", headers=account.headers)
        body: dict[str, Any] = response.json()
        return body

    return await eventually(fetch, lambda s: s.get("status") == status, within=within)


async def held_in_transaction(db: AsyncSession) -> int:
    """Connections to this database, other than ``db``'s, inside a transaction."""
    return int(
        await db.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
            )
        )
        or 0
    )


def pseudonym(settings: Settings, identifier: str) -> str:
    """How the log names a person: a pseudonym keyed with the server secret."""
    db = AsyncSession()  # only the binding is read; no connection is made
    actor.bind(db, actor.Actor("api_key", secret=settings.secret))
    return personal(db, identifier)
