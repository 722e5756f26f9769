"""The fake neonize client's lasting state, in PostgreSQL like whatsmeow's: its devices
(so a session resumes on another worker) and what reached "WhatsApp" (so a test counts
what arrived across crashes and takeovers); and the JID helpers of the fake's modules."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message as Proto
from neonize.proto import Neonize_pb2 as pb

DEVICE_TABLE = "fake_whatsmeow_device"
_GET = f"SELECT jid, push_name, lid FROM {DEVICE_TABLE} WHERE jid = $1"  # noqa: S608 - a constant
_ALL = f"SELECT jid FROM {DEVICE_TABLE}"  # noqa: S608 - a constant
_PUT = (
    f"INSERT INTO {DEVICE_TABLE} (jid, push_name, lid) VALUES ($1, $2, $3)"  # noqa: S608
    " ON CONFLICT (jid) DO UPDATE SET push_name = $2, lid = $3"
)
_DELETE = f"DELETE FROM {DEVICE_TABLE} WHERE jid = $1"  # noqa: S608 - a constant
SENT_TABLE = "fake_whatsapp_sent"
_SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {DEVICE_TABLE} (jid TEXT PRIMARY KEY, push_name TEXT,"
    " lid TEXT, created_at TIMESTAMPTZ NOT NULL DEFAULT now());"
    f" CREATE TABLE IF NOT EXISTS {SENT_TABLE} (device TEXT NOT NULL, id TEXT NOT NULL,"
    " recipient TEXT NOT NULL, message JSONB NOT NULL, at TIMESTAMPTZ NOT NULL DEFAULT now())"
)
_ARRIVED = (
    f"INSERT INTO {SENT_TABLE} (device, id, recipient, message)"  # noqa: S608 - a constant
    " VALUES ($1, $2, $3, $4)"
)


def jid(user: str, server: str = "s.whatsapp.net", device: int = 0) -> pb.JID:
    return pb.JID(User=user, Server=server, Device=device, RawAgent=0, Integrator=0,
                  IsEmpty=False)  # fmt: skip


def jid_text(value: pb.JID) -> str:
    device = f":{value.Device}" if value.Device else ""
    return f"{value.User}{device}@{value.Server}"


def plain(value: Any) -> Any:
    """A JSON-able copy of a call's argument (JIDs as ``user@server``, protos as dicts)."""
    if isinstance(value, pb.JID):
        return jid_text(value)
    if isinstance(value, Proto):
        return MessageToDict(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if hasattr(value, "value") and hasattr(value, "name"):  # an enum
        return value.name
    return value


class DeviceStore:
    """whatsmeow's device table, as the fake keeps it (one row per linked device), and a
    log of what reached "WhatsApp", which outlives the child (a test counts what arrived
    across crashes and takeovers)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.schema = (parse_qs(parts.query).get("search_path") or ["public"])[0]
        self.dsn = parts._replace(query="").geturl()
        self._pool: asyncpg.Pool | None = None

    async def _connection(self) -> asyncpg.Pool:
        if self._pool is None:
            pool = await asyncpg.create_pool(
                self.dsn, min_size=1, max_size=2, server_settings={"search_path": self.schema}
            )
            async with pool.acquire() as connection:
                await connection.execute(_SCHEMA)
            self._pool = pool
        return self._pool

    async def devices(self) -> list[str]:
        pool = await self._connection()
        return [row["jid"] for row in await pool.fetch(_ALL)]

    async def get(self, device_jid: str) -> asyncpg.Record | None:
        return await (await self._connection()).fetchrow(_GET, device_jid)

    async def put(self, device_jid: str, push_name: str | None, lid: str | None) -> None:
        await (await self._connection()).execute(_PUT, device_jid, push_name, lid)

    async def delete(self, device_jid: str) -> None:
        await (await self._connection()).execute(_DELETE, device_jid)

    async def arrived(self, device_jid: str, whatsapp_id: str, to: str, message: str) -> None:
        await (await self._connection()).execute(_ARRIVED, device_jid, whatsapp_id, to, message)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
