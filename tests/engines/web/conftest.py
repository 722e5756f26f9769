"""What the web engine's tests share: the device store, and sessions stored for engines
that no host runs (the tests drive ``WebEngine`` themselves)."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.engines.web.devices import store_url_for
from gateway.kit.ids import new_id
from gateway.models import Session
from tests.factories import create_account

_counter = itertools.count(1)


@pytest.fixture
def device_store(database_url: str) -> str:
    """whatsmeow's store (and the fake's): the test database, schema ``whatsmeow``."""
    return store_url_for(database_url)


async def store_web_session(
    sessionmaker: async_sessionmaker[AsyncSession], account_id: str | None = None
) -> tuple[str, str]:
    """A stored ``web`` session no host runs: ``(session id, account id)``."""
    if account_id is None:
        account_id = (await create_account(sessionmaker)).account_id
    session_id = new_id("ses")
    async with sessionmaker() as db:
        db.add(
            Session(
                id=session_id, account_id=account_id, name=f"web-{next(_counter)}",
                engine="web", config={}, desired_state="stopped",
            )
        )  # fmt: skip
        await db.commit()
    return session_id, account_id
