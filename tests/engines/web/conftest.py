"""What the web engine's tests share: the device store, and sessions stored for engines
that no host runs (the tests drive ``WebEngine`` themselves)."""

from __future__ import annotations

import io
import itertools
import os

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.engines.web.devices import store_url_for
from gateway.kit.ids import new_id
from gateway.models import Session
from tests.factories import create_account

_counter = itertools.count(1)


def _import_neonize() -> None:
    """Importing neonize runs ``uname -a`` through ``os.popen`` and drops the pipe
    unclosed, a ResourceWarning that would fail whichever test collects it: imported here
    once, with a popen that reads and closes."""
    real_popen = os.popen

    def closing_popen(command: str, mode: str = "r", buffering: int = -1) -> io.StringIO:
        with real_popen(command, mode, buffering) as pipe:
            return io.StringIO(pipe.read())

    os.popen = closing_popen  # type: ignore[assignment]
    try:
        import neonize  # noqa: F401
    finally:
        os.popen = real_popen


_import_neonize()


@pytest.fixture
def device_store(database_url: str) -> str:
    """whatsmeow's store (and the fake's): the test database, schema ``whatsmeow``."""
    return store_url_for(database_url)


async def store_web_session(
    sessionmaker: async_sessionmaker[AsyncSession], account_id: str | None = None
) -> tuple[str, str]:
    """A stored ``web`` session no host runs: ``(session id, account id)``."""
    if account_id is None:
        account_id = (await create_account(sessionmaker)).id
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
