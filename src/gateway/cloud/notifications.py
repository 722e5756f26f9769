"""Processing Meta's stored notifications into the gateway's rows and events.

A batch of rows goes in three steps: read them (and which files they bring), download
the files from Graph with no transaction open, then one transaction locks the rows that
are still waiting (``FOR UPDATE SKIP LOCKED``: a concurrent job processes the others),
applies them and marks them processed. Everything applied is idempotent (statuses only
move forward, received messages are unique by their wamid), so a batch cut short by a
crash is simply done again by the sweep.

- ``messages`` changes: ``statuses[]`` move our sent messages (``messages/statuses.py``);
  ``messages[]`` become received messages (``received.py``) and open the 24-hour
  customer-service window.
- ``message_template_status_update``: the templates feature updates the template.
- other fields are kept and marked processed.

A row that cannot be applied yet waits (``next_attempt_at``) and is tried again with
backoff: a status about a message whose send is not recorded yet (for up to 24 hours),
a file Graph could not serve right now (for up to an hour, then the message is recorded
without it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.cloud import notifications_repository as repository
from gateway.cloud.inbound import PROCESS_JOB
from gateway.cloud.numbers import graph_of
from gateway.cloud.received import Fetched, Files, graph_media_id, record_messages, timestamp_of
from gateway.cloud.templates.status import apply_template_status
from gateway.config import Settings
from gateway.engines.cloud import errors
from gateway.engines.cloud.graph import GraphError, GraphUnavailable
from gateway.kit.aftercommit import enqueue_after_commit
from gateway.kit.time import utcnow
from gateway.messages import repository as messages_repository
from gateway.messages.statuses import StatusReport, apply_status_reports
from gateway.models import CloudNotification, CloudNumber, Session

log = structlog.get_logger(__name__)

BATCH = 100
MAX_DOWNLOADS_IN_FLIGHT = 8
# How long a row waits for what it needs before it is closed anyway.
SEND_RECORD_HORIZON = timedelta(hours=24)  # our send of the message is recorded
UNKNOWN_MESSAGE_HORIZON = timedelta(minutes=10)  # a message found by its wamid only
MEDIA_HORIZON = timedelta(hours=1)  # Graph serves the file
MAX_RETRY_SECONDS = 60.0
QUICK_RETRY_SECONDS = 2.0
QUICK_PHASE = timedelta(minutes=1)
_STATUSES = ("delivered", "read", "played", "failed", "sent")


@dataclass
class Wait:
    """Why a row is not done yet, and until when that may last."""

    reason: str
    horizon: timedelta


@dataclass
class Batch:
    processed: int = 0
    waiting: int = 0
    closed: list[str] = field(default_factory=list)  # gave up


@dataclass(frozen=True)
class Download:
    session: Session
    number: CloudNumber
    wamid: str
    media_id: str


async def downloads_for(db: AsyncSession, ids: Sequence[str]) -> list[Download]:
    """The files the due rows among ``ids`` bring that are not stored yet."""
    rows = await repository.due(db, ids)
    wanted: dict[str, dict[str, str]] = {}
    for row in rows:
        for message in _messages_of(row):
            media_id = graph_media_id(message)
            if media_id and message.get("id"):
                wanted.setdefault(row.session_id, {})[str(message["id"])] = media_id
    sessions = await repository.sessions_and_numbers(db, list(wanted))
    downloads = []
    for session_id, files in wanted.items():
        session, number = sessions.get(session_id, (None, None))
        if session is None or number is None:
            continue
        stored = await messages_repository.ids_by_engine_ids(db, session_id, list(files))
        downloads += [
            Download(session, number, wamid, media_id)
            for wamid, media_id in files.items()
            if wamid not in stored
        ]
    return downloads


async def download(
    settings: Settings, http: httpx.AsyncClient, wanted: Sequence[Download]
) -> Files:
    """Fetch the files from Graph, a few at a time (no transaction is open)."""
    slots = asyncio.Semaphore(MAX_DOWNLOADS_IN_FLIGHT)

    async def one(item: Download) -> Fetched:
        async with slots:
            graph = graph_of(settings, http, item.session.config, item.number)
            try:
                content, mime_type = await graph.download_media(item.media_id)
            except GraphUnavailable as exc:
                return Fetched(error=str(exc), transient=True)
            except GraphError as exc:
                return Fetched(error=str(exc), transient=exc.status >= 500)
            return Fetched(content, mime_type)

    fetched = await asyncio.gather(*(one(item) for item in wanted))
    return {(item.session.id, item.wamid): f for item, f in zip(wanted, fetched, strict=True)}


async def apply_batch(
    db: AsyncSession, settings: Settings, ids: Sequence[str], files: Files
) -> Batch:
    """Apply the rows among ``ids`` still waiting, each as far as it goes now; mark the
    done ones processed and schedule the others."""
    rows = await repository.lock_due(db, ids)
    sessions = await repository.sessions_and_numbers(db, sorted({r.session_id for r in rows}))
    batch, done = Batch(), []
    now = utcnow()
    for row in rows:
        session, _ = sessions.get(row.session_id, (None, None))
        wait = await _apply(db, settings, row, session, files, now)
        if wait is None:
            done.append(row.id)
        elif now - row.received_at > wait.horizon:
            log.warning("cloud.notification.gave_up", notification_id=row.id,
                        session_id=row.session_id, reason=wait.reason)  # fmt: skip
            await repository.mark_processed(db, [row.id], outcome="gave_up", error=wait.reason)
            batch.closed.append(row.id)
        else:
            await schedule_retry(db, row, wait.reason, now)
            batch.waiting += 1
    await repository.mark_processed(db, done, outcome="processed")
    batch.processed = len(done)
    return batch


async def schedule_retry(
    db: AsyncSession, row: CloudNotification, reason: str, now: datetime
) -> None:
    # What a young row waits for (its send being recorded) is usually a moment away: it
    # looks again every few seconds at most, and backs off further only once it is old.
    cap = QUICK_RETRY_SECONDS if now - row.received_at < QUICK_PHASE else MAX_RETRY_SECONDS
    delay = min(cap, 0.5 * 2.0**row.attempts)
    until = now + timedelta(seconds=delay)
    attempts = await repository.defer(db, row.id, until, reason)
    enqueue_after_commit(
        db, PROCESS_JOB, [row.id], job_id=f"cloud-notifications:{row.id}:{attempts}",
        defer_until=until,
    )  # fmt: skip


async def _apply(
    db: AsyncSession,
    settings: Settings,
    row: CloudNotification,
    session: Session | None,
    files: Files,
    now: datetime,
) -> Wait | None:
    if session is None or session.deleted_at is not None:
        return None  # the session is gone; nothing of it is published any more
    value = row.payload.get("value") or {}
    if row.field == "messages":
        wait = await _statuses(db, session, value)
        keep_waiting = now - row.received_at <= MEDIA_HORIZON
        if await record_messages(db, settings, session, value, files, keep_waiting=keep_waiting):
            wait = wait or Wait("a received file could not be downloaded yet", MEDIA_HORIZON * 2)
        return wait
    if row.field == "message_template_status_update":
        await apply_template_status(db, session, value)
        return None
    log.debug("cloud.notification.ignored", field=row.field, notification_id=row.id)
    return None


def _messages_of(row: CloudNotification) -> list[dict[str, Any]]:
    if row.field != "messages":
        return []
    messages = (row.payload.get("value") or {}).get("messages")
    return [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []


async def _statuses(db: AsyncSession, session: Session, value: dict[str, Any]) -> Wait | None:
    statuses = value.get("statuses")
    if not isinstance(statuses, list):
        return None
    reports, by_wamid_only = [], set()
    for status in statuses:
        report = _report(session.id, status)
        if report is not None:
            reports.append(report)
            if report.message_id is None:
                by_wamid_only.add(report.engine_message_id)
    outcome = await apply_status_reports(db, reports)
    if outcome.waiting:
        return Wait("the message's send is not recorded yet", SEND_RECORD_HORIZON)
    # A status without our id for a message not known: sent from elsewhere (Meta's
    # console), or its send not recorded yet (the engine names ours in every send).
    if any(r.engine_message_id in by_wamid_only for r in outcome.unknown):
        return Wait("no message with this wamid yet", UNKNOWN_MESSAGE_HORIZON)
    return None


def _report(session_id: str, status: Any) -> StatusReport | None:
    if not isinstance(status, dict) or status.get("status") not in _STATUSES:
        return None
    wamid = str(status.get("id") or "")
    if not wamid:
        return None
    callback = status.get("biz_opaque_callback_data")
    message_id = callback if isinstance(callback, str) and callback.startswith("msg_") else None
    kind = str(status["status"])
    code = message = details = None
    if kind == "failed":
        found = status.get("errors")
        error = found[0] if isinstance(found, list) and found and isinstance(found[0], dict) else {}
        code = _int(error.get("code"))
        data = error.get("error_data")
        details = data.get("details") if isinstance(data, dict) else None
        message = str(error.get("message") or error.get("title") or "Meta reported a failure")
    mapped = errors.mapped(code) if kind == "failed" else None
    return StatusReport(
        session_id=session_id,
        engine_message_id=wamid,
        message_id=message_id,
        status=kind,
        at=timestamp_of(status.get("timestamp")),
        error_code=mapped.code if mapped else None,
        error_message=errors.failure_message(code, message or "", details) if mapped else None,
        error_engine_code=str(code) if mapped and code is not None else None,
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
