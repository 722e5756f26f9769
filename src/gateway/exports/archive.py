"""What an archive holds and how it is written: one ``<kind>.jsonl`` per kind, each line
an object as the API shows it, and a ``manifest.json``.

Each object is rendered by the same function the API's own endpoint uses, so an archive
holds exactly what the API lists (the point of GDPR's right of access and portability),
and a field added to the API appears in the archive without touching this module. Rows
are read in keyset batches in short transactions and streamed into a zip on disk: neither
the rows nor the archive are ever all in memory.
"""

from __future__ import annotations

import asyncio
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from gateway.audit.schemas import present as present_audit_entry
from gateway.config import Settings
from gateway.events.endpoints import present as present_event
from gateway.exports import repository
from gateway.exports.schemas import ExportedChat, ExportedContact, Manifest
from gateway.media.endpoints import present as present_media
from gateway.messages.schemas import message_out
from gateway.models import (
    AuditEntry,
    Event,
    Media,
    Message,
    SandboxChat,
    SandboxContact,
    Session,
    WebChat,
    WebhookDelivery,
    WebhookEndpoint,
)
from gateway.sessions.endpoints import present as present_session
from gateway.webhooks.endpoints import present as present_webhook
from gateway.webhooks.endpoints import present_delivery
from gateway.webhooks.schemas import AttemptOut, DeliveryWithAttempts

Render = Callable[[AsyncSession, Sequence[Any]], Awaitable[list[BaseModel]]]


@dataclass(frozen=True)
class Source:
    """One table's rows of an account, read in key order and rendered for the archive."""

    kind: str  # the file: ``<kind>.jsonl``; several sources may fill one kind
    statement: Callable[[str], Select[Any]]
    keys: tuple[InstrumentedAttribute[Any], ...]
    render: Render


def _each(fn: Callable[[Any], BaseModel]) -> Render:
    async def render(db: AsyncSession, rows: Sequence[Any]) -> list[BaseModel]:
        return [fn(row) for row in rows]

    return render


async def _deliveries(db: AsyncSession, rows: Sequence[Any]) -> list[BaseModel]:
    attempts = await repository.attempts_of(db, [d.id for d in rows])
    return [
        DeliveryWithAttempts(
            **present_delivery(d).model_dump(),
            attempt_log=[
                AttemptOut(
                    attempted_at=a.attempted_at,
                    status_code=a.status_code,
                    latency_ms=a.latency_ms,
                    response_excerpt=a.response_excerpt,
                    error=a.error,
                )
                for a in attempts.get(d.id, [])
            ],
        )
        for d in rows
    ]


def _of_sessions(model: Any, account_id: str) -> Select[Any]:
    # Tables keyed by session, not account: the account's sessions, deleted ones too
    # (their rows are still stored, so they are the account's data).
    return select(model).where(
        model.session_id.in_(select(Session.id).where(Session.account_id == account_id))
    )


def sources(settings: Settings) -> list[Source]:
    return [
        Source(
            "sessions",
            lambda a: select(Session).where(Session.account_id == a),
            (Session.id,),
            _each(present_session),
        ),
        Source(
            "messages",
            lambda a: select(Message).where(Message.account_id == a),
            (Message.id,),
            _each(message_out),
        ),
        Source(
            "media",
            lambda a: select(Media).where(Media.account_id == a),
            (Media.id,),
            _each(lambda m: present_media(m, settings)),
        ),
        Source(
            "contacts",
            lambda a: _of_sessions(SandboxContact, a),
            (SandboxContact.session_id, SandboxContact.phone_number),
            _each(
                lambda c: ExportedContact(
                    session_id=c.session_id,
                    phone_number=c.phone_number,
                    lid=c.lid,
                    push_name=c.push_name,
                    blocked=c.blocked,
                    updated_at=c.updated_at,
                )
            ),
        ),
        Source(
            "chats",
            lambda a: _of_sessions(SandboxChat, a),
            (SandboxChat.session_id, SandboxChat.chat_id),
            _each(
                lambda c: ExportedChat(
                    session_id=c.session_id,
                    id=c.chat_id,
                    name=c.name,
                    archived=c.archived,
                    last_message=c.last_message,
                    last_activity_at=c.last_activity_at,
                )
            ),
        ),
        Source(
            "chats",
            lambda a: select(WebChat).where(WebChat.account_id == a, WebChat.listed.is_(True)),
            (WebChat.session_id, WebChat.chat_id),
            _each(
                lambda c: ExportedChat(
                    session_id=c.session_id,
                    id=c.chat_id,
                    name=c.name,
                    archived=c.archived,
                    last_message=c.synced_last_message,
                    last_activity_at=c.synced_activity_at,
                )
            ),
        ),
        Source(
            "events",
            lambda a: select(Event).where(Event.account_id == a),
            (Event.id,),
            _each(present_event),
        ),
        Source(
            "webhooks",
            lambda a: select(WebhookEndpoint).where(WebhookEndpoint.account_id == a),
            (WebhookEndpoint.id,),
            _each(present_webhook),
        ),
        Source(
            "webhook_deliveries",
            lambda a: select(WebhookDelivery).where(WebhookDelivery.account_id == a),
            (WebhookDelivery.id,),
            _deliveries,
        ),
        Source(
            "audit_log",
            lambda a: select(AuditEntry).where(AuditEntry.account_id == a),
            (AuditEntry.id,),
            _each(present_audit_entry),
        ),
    ]


# The files of an archive, in the order they are written.
KINDS: tuple[str, ...] = (
    "sessions",
    "messages",
    "media",
    "contacts",
    "chats",
    "events",
    "webhooks",
    "webhook_deliveries",
    "audit_log",
)

Progress = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Built:
    counts: dict[str, int]
    size: int


async def write_archive(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    export_id: str,
    account_id: str,
    created_at: datetime,
    path: Path,
    progress: Progress,
) -> Built:
    """Write the account's archive to ``path``, calling ``progress`` after each batch."""
    all_sources = sources(settings)
    async with sessionmaker() as db:
        total = sum([await repository.count(db, s.statement(account_id)) for s in all_sources])
    counts = dict.fromkeys(KINDS, 0)
    done = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in KINDS:
            with archive.open(f"{kind}.jsonl", "w") as file:
                for source in (s for s in all_sources if s.kind == kind):
                    async for lines in _batches(sessionmaker, settings, source, account_id):
                        await asyncio.to_thread(_write, file, lines)
                        counts[kind] += len(lines)
                        done += len(lines)
                        await progress(min(done / total, 1.0) if total else 1.0)
        manifest = Manifest(
            export_id=export_id, account_id=account_id, created_at=created_at, counts=counts
        )
        archive.writestr("manifest.json", manifest.model_dump_json(indent=2))
    size = (await asyncio.to_thread(path.stat)).st_size
    return Built(counts, size)


async def _batches(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    source: Source,
    account_id: str,
) -> AsyncIterator[list[bytes]]:
    after: tuple[Any, ...] | None = None
    while True:
        # A transaction per batch: a long export holds no snapshot and no connection.
        async with sessionmaker() as db:
            rows = await repository.batch_after(
                db, source.statement(account_id), source.keys, after, settings.export_batch_size
            )
            if not rows:
                return
            rendered = await source.render(db, rows)
        yield [m.model_dump_json().encode() + b"\n" for m in rendered]
        last = rows[-1]
        after = tuple(getattr(last, key.key) for key in source.keys)


def _write(file: IO[bytes], lines: list[bytes]) -> None:
    file.write(b"".join(lines))
