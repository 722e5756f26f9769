"""Where a web session's device state lives: whatsmeow's tables on the gateway's own
PostgreSQL, so that any worker resumes a session without a new QR code.

whatsmeow keeps a linked device's keys in its SQL store; the child reaches it with a
``postgres://`` URL whose ``search_path`` is the ``whatsmeow`` schema (made by the
migrations; whatsmeow creates and upgrades its tables there itself). One schema is shared
by every session: whatsmeow's store holds many devices, told apart by JID, and ``web_devices``
says which one is each session's. Logging out or deleting a session deletes the device:
the store's row (its other tables follow by whatsmeow's own cascades) and ours.
"""

from __future__ import annotations

from sqlalchemy import delete, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.engines.base import EngineResources, EngineSession
from gateway.models import WebDevice

SCHEMA = "whatsmeow"
# Each client's device table in the store (the fake library keeps one of its own).
DEVICE_TABLES = {"neonize": "whatsmeow_device", "fake": "fake_whatsmeow_device"}
# SQLAlchemy/asyncpg spellings that a Go driver would not understand.
_DRIVER_ONLY = {"ssl", "prepared_statement_cache_size", "command_timeout"}


def store_url(resources: EngineResources) -> str:
    """The ``postgres://`` URL of the device store: the gateway's database, whatsmeow's
    schema."""
    bind = resources.sessionmaker.kw["bind"]
    return store_url_for(str(bind.url.render_as_string(hide_password=False)))


def store_url_for(database_url: str) -> str:
    """The device store's URL for the gateway's ``database_url`` (SQLAlchemy's form). TLS
    as that URL asks (``sslmode``), else none (a local server)."""
    url = make_url(database_url)
    query = {key: value for key, value in url.query.items() if key not in _DRIVER_ONLY}
    if "ssl" in url.query and "sslmode" not in query:
        query["sslmode"] = url.query["ssl"]
    query.setdefault("sslmode", "disable")
    query["search_path"] = SCHEMA
    go_url = url.set(drivername="postgres", query=query)
    return go_url.render_as_string(hide_password=False)


async def stored_jid(resources: EngineResources, session_id: str) -> str | None:
    async with resources.sessionmaker() as db:
        row = await db.get(WebDevice, session_id)
        return row.jid if row is not None else None


async def remember(
    resources: EngineResources, session: EngineSession, jid: str, client: str
) -> None:
    """The session is linked as device ``jid``: resume it from now on."""
    values = {"session_id": session.id, "account_id": session.account_id, "jid": jid,
              "client": client}  # fmt: skip
    statement = insert(WebDevice).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=[WebDevice.session_id],
        set_={"jid": jid, "client": client, "updated_at": text("now()")},
    )
    async with resources.sessionmaker() as db:
        await db.execute(statement)
        await db.commit()


async def forget(resources: EngineResources, session_id: str) -> None:
    """Delete the session's device state, whoever's store holds it."""
    forgotten = delete(WebDevice).where(WebDevice.session_id == session_id)
    async with resources.sessionmaker() as db:
        row = (await db.execute(forgotten.returning(WebDevice.jid, WebDevice.client))).first()
        if row is None:
            return  # never linked, or forgotten already (a logout races a phone's)
        table = DEVICE_TABLES.get(row.client)
        if table is not None and await _table_exists(db, table):
            await db.execute(
                text(f'DELETE FROM {SCHEMA}."{table}" WHERE jid = :jid'),  # noqa: S608 - ours
                {"jid": row.jid},
            )
        await db.commit()


async def _table_exists(db: AsyncSession, table: str) -> bool:
    found = await db.scalar(text("SELECT to_regclass(:name)"), {"name": f'{SCHEMA}."{table}"'})
    return found is not None
