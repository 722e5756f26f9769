from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.config import Settings
from gateway.exports import archive, repository
from gateway.exports.archive import Built
from gateway.exports.service import BUILD_EXPORT, MAX_ATTEMPTS, build_job_id, expiry, file_key
from gateway.kit import actor
from gateway.kit.jobs import JobContext, transactional_job
from gateway.kit.time import utcnow
from gateway.media.storage import StorageError, storage_for

log = structlog.get_logger(__name__)

# A queued export whose job has not started after this long is presumed lost (pushed to a
# Redis that went away) and pushed again.
QUEUED_GRACE = timedelta(seconds=10)
PURGE_BATCH = 100


@dataclass(frozen=True)
class Run:
    export_id: str
    account_id: str
    attempt: int
    created_at: datetime


class TakenOver(Exception):
    """Another run holds the export now: this one stops without writing."""


async def build_export(ctx: JobContext, export_id: str) -> str:
    """Build an export's archive (idempotent: a finished export, or one a live run holds,
    is left alone). A run that was interrupted (its worker killed) starts again from
    scratch once its lease runs out; each run is numbered, and a run that is no longer
    the export's latest writes nothing."""
    settings: Settings = ctx["settings"]
    run = await _claim(ctx, export_id)
    if run is None:
        return "nothing to do"
    log.info("export.started", export_id=export_id, attempt=run.attempt)
    key = file_key(run.account_id, export_id)

    async def progress(share: float) -> None:
        if not await _renew(ctx, run, share):
            raise TakenOver

    try:
        with tempfile.TemporaryDirectory(prefix="gateway-export-") as directory:
            path = Path(directory) / f"{export_id}.zip"
            built = await archive.write_archive(
                ctx["sessionmaker"],
                settings,
                export_id=export_id,
                account_id=run.account_id,
                created_at=run.created_at,
                path=path,
                progress=progress,
            )
            # One read of the finished zip for the upload: storage takes bytes.
            content = await asyncio.to_thread(path.read_bytes)
            await storage_for(settings).put(key, content, content_type="application/zip")
    except TakenOver:
        log.info("export.taken_over", export_id=export_id, attempt=run.attempt)
        return "taken over"
    except (StorageError, OSError) as exc:
        log.exception("export.failed", export_id=export_id, attempt=run.attempt)
        await _fail(ctx, run, f"The archive could not be stored: {exc}")
        return "failed"
    if not await _finish(ctx, run, built, key):
        return "taken over"
    log.info("export.succeeded", export_id=export_id, size=built.size, counts=built.counts)
    return "succeeded"


@transactional_job
async def _claim(ctx: JobContext, db: AsyncSession, export_id: str) -> Run | None:
    settings: Settings = ctx["settings"]
    now = utcnow()
    claimed = await repository.claim(
        db, export_id, now, now + timedelta(seconds=settings.export_lease_seconds)
    )
    if claimed is None:
        return None
    account_id, attempt, created_at = claimed
    return Run(export_id, account_id, attempt, created_at)


@transactional_job
async def _renew(ctx: JobContext, db: AsyncSession, run: Run, share: float) -> bool:
    settings: Settings = ctx["settings"]
    lease_until = utcnow() + timedelta(seconds=settings.export_lease_seconds)
    return await repository.renew(db, run.export_id, run.attempt, share, lease_until)


@transactional_job
async def _finish(ctx: JobContext, db: AsyncSession, run: Run, built: Built, key: str) -> bool:
    now = utcnow()
    return await repository.finish(
        db,
        run.export_id,
        run.attempt,
        counts=built.counts,
        file_key=key,
        size=built.size,
        now=now,
        expires_at=expiry(ctx["settings"], now),
    )


@transactional_job
async def _fail(ctx: JobContext, db: AsyncSession, run: Run, error: str) -> None:
    await repository.fail(db, run.export_id, run.attempt, error, utcnow())


@transactional_job
async def sweep_exports(ctx: JobContext, db: AsyncSession) -> int:
    """Push the job of every export whose job was lost (queued for a while) or whose
    run's lease ran out (its worker died mid-export), give up on exports interrupted
    ``MAX_ATTEMPTS`` times, and delete the archives of expired exports. Returns how
    many exports it acted on."""
    actor.bind(db, actor.system("exports"))
    now = utcnow()
    acted = 0
    for export_id, attempts in await repository.unfinished(db, now - QUEUED_GRACE, now):
        acted += 1
        if attempts >= MAX_ATTEMPTS:
            await repository.fail(
                db, export_id, attempts, f"Interrupted {attempts} times; start a new export.", now
            )
            continue
        await ctx["redis"].enqueue_job(
            BUILD_EXPORT, export_id, _job_id=build_job_id(export_id, attempts) + ":sweep"
        )
    storage = storage_for(ctx["settings"])
    for export in await repository.past_expiry(db, now, PURGE_BATCH):
        acted += 1
        if export.file_key is not None:
            # Deleted before the row says so: a failed deletion leaves the row for the
            # next sweep, never a file no row points at.
            await storage.delete(export.file_key)
        export.status = "expired"
        export.file_key = None
        log.info("export.expired", export_id=export.id)
    return acted
