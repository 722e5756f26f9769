"""Which devices the real whatsmeow store holds, as the adapter asks before it resumes one
(an unknown device would be a Go panic, a missing one means linking anew)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.engines.web.neonize_client import NeonizeLibrary

DEVICES = {"12025550144:7@s.whatsapp.net": "Smith, John", "12025550145:3@s.whatsapp.net": "Acme"}
_INSERT = text(
    "INSERT INTO whatsmeow.whatsmeow_device (jid, registration_id, noise_key, identity_key,"
    " signed_pre_key, signed_pre_key_id, signed_pre_key_sig, adv_key, adv_details,"
    " adv_account_sig, adv_account_sig_key, adv_device_sig, platform, business_name,"
    " push_name, lid_migration_ts, companion_meta_nonce)"
    " VALUES (:jid, 1, :k32, :k32, :k32, 1, :k64, :k32, '', :k64, :k32, :k64, 'web', '',"
    " :push_name, 0, '')"
)


@pytest.fixture
async def stored(
    device_store: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[dict[str, str]]:
    """Two linked devices in whatsmeow's own table (keys made up: only listed here)."""
    await NeonizeLibrary().stored_devices(device_store)  # whatsmeow makes its tables
    async with sessionmaker() as db:
        for jid, push_name in DEVICES.items():
            keys = {"k32": os.urandom(32), "k64": os.urandom(64)}
            await db.execute(_INSERT, {"jid": jid, "push_name": push_name, **keys})
        await db.commit()
    try:
        yield DEVICES
    finally:
        async with sessionmaker() as db:
            await db.execute(
                text("DELETE FROM whatsmeow.whatsmeow_device WHERE jid = ANY(:jids)"),
                {"jids": list(DEVICES)},
            )
            await db.commit()


async def test_every_stored_device_is_listed_whatever_its_push_name(
    device_store: str, stored: dict[str, str]
) -> None:
    # A comma in one account's name must not hide the store's devices from every session.
    assert set(await NeonizeLibrary().stored_devices(device_store)) >= set(stored)
