"""Cloud sessions against the fake Graph API, created through the API with a live key."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.cloud import repository
from gateway.fakes.graph import FakeNumber
from gateway.kit.time import utcnow
from tests.factories import TestAccount, session_in_status


def cloud_config(base_url: str, number: FakeNumber, **overrides: Any) -> dict[str, Any]:
    return {
        "phone_number_id": number.phone_number_id,
        "waba_id": number.waba_id,
        "access_token": number.access_token,
        "app_secret": number.app_secret,
        "verify_token": number.verify_token,
        "graph_base_url": base_url,
        **overrides,
    }


async def create_cloud_session(
    client: httpx.AsyncClient,
    account: TestAccount,
    base_url: str,
    number: FakeNumber,
    *,
    name: str = "cloud",
    status: str | None = "WORKING",
    **overrides: Any,
) -> dict[str, Any]:
    """A cloud session of ``number``, once it is in ``status`` (None: at once)."""
    response = await client.post(
        "/v1/sessions",
        headers=account.headers,
        json={
            "name": name,
            "engine": "cloud",
            "config": {"cloud": cloud_config(base_url, number, **overrides)},
        },
    )
    assert response.status_code == 201, response.text
    session: dict[str, Any] = response.json()
    if status is not None:
        session = await session_in_status(client, account, session["id"], status)
    return session


async def open_window(
    sessionmaker: async_sessionmaker[AsyncSession],
    session_id: str,
    contact: str,
    *,
    ago: timedelta = timedelta(minutes=5),
) -> None:
    """As if ``contact`` (digits) had written to the session ``ago``."""
    async with sessionmaker() as db:
        await repository.record_inbound(db, session_id, [(contact, utcnow() - ago)])
        await db.commit()
