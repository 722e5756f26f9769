"""Jobs of Meta's webhook: processing the stored notifications, and the sweep that finds
rows whose job was lost."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import httpx
import structlog
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.cloud import notifications, notifications_repository
from gateway.cloud.inbound import PROCESS_JOB
from gateway.cloud.notifications import Batch, Download
from gateway.cloud.received import Files
from gateway.engines.cloud.graph import create_http_client
from gateway.kit.jobs import JobContext, transactional_job
from gateway.kit.time import utcnow

log = structlog.get_logger(__name__)

# A row this long past due had its job lost (fresh rows' jobs are on their way).
SWEEP_GRACE = timedelta(seconds=5)
SWEEP_LIMIT = 1000
# A row that fails to apply this many times (a payload the code cannot read) is closed.
MAX_FAILURES = 8
GRAPH_HTTP = "graph_http"


async def process_cloud_notifications(ctx: JobContext, ids: list[str]) -> str:
    """Process the notification rows ``ids`` (idempotent: rows done already, or not due,
    are left alone), ``BATCH`` at a time: their files downloaded from Graph first, then
    one transaction applies them."""
    total = Batch()
    for start in range(0, len(ids), notifications.BATCH):
        chunk = ids[start : start + notifications.BATCH]
        downloads = await _downloads(ctx, chunk)
        files = await notifications.download(ctx["settings"], graph_http(ctx), downloads)
        try:
            batch = await _apply(ctx, chunk, files)
        except (SQLAlchemyError, OSError):
            raise  # the database is the problem, not a row: arq retries the job
        except Exception:
            # One row the code cannot apply must not hold up the others: each alone.
            log.exception("cloud.notifications.batch_failed", count=len(chunk))
            batch = await _one_by_one(ctx, chunk, files)
        total.processed += batch.processed
        total.waiting += batch.waiting
        total.closed += batch.closed
    return f"processed {total.processed}, waiting {total.waiting}, closed {len(total.closed)}"


def graph_http(ctx: JobContext) -> httpx.AsyncClient:
    """The worker's pooled client for Graph, made at its start-up (here on first use only
    for a context a test made, which closes it with ``close_graph_http``)."""
    client: httpx.AsyncClient | None = ctx.get(GRAPH_HTTP)
    if client is None:
        client = ctx[GRAPH_HTTP] = create_http_client()
    return client


async def close_graph_http(ctx: JobContext) -> None:
    client: httpx.AsyncClient | None = ctx.pop(GRAPH_HTTP, None)
    if client is not None:
        await client.aclose()


@transactional_job
async def _downloads(ctx: JobContext, db: AsyncSession, ids: Sequence[str]) -> list[Download]:
    return await notifications.downloads_for(db, ids)


@transactional_job
async def _apply(ctx: JobContext, db: AsyncSession, ids: Sequence[str], files: Files) -> Batch:
    return await notifications.apply_batch(db, ctx["settings"], ids, files)


async def _one_by_one(ctx: JobContext, ids: Sequence[str], files: Files) -> Batch:
    total = Batch()
    for notification_id in ids:
        try:
            batch = await _apply(ctx, [notification_id], files)
        except (SQLAlchemyError, OSError):
            raise
        except Exception as exc:
            log.exception("cloud.notification.failed", notification_id=notification_id)
            await _record_failure(ctx, notification_id, f"{type(exc).__name__}: {exc}")
            continue
        total.processed += batch.processed
        total.waiting += batch.waiting
        total.closed += batch.closed
    return total


@transactional_job
async def _record_failure(
    ctx: JobContext, db: AsyncSession, notification_id: str, error: str
) -> None:
    rows = await notifications_repository.lock_due(db, [notification_id])
    if not rows:
        return
    row = rows[0]
    if row.attempts + 1 >= MAX_FAILURES:
        log.error("cloud.notification.gave_up", notification_id=row.id, error=error)
        await notifications_repository.mark_processed(db, [row.id], outcome="failed", error=error)
    else:
        await notifications.schedule_retry(db, row, error, utcnow())


# The webhook pushes the job by name: a rename here must not leave its pushes unrun.
if process_cloud_notifications.__name__ != PROCESS_JOB:  # pragma: no cover
    raise RuntimeError(f"the job is {PROCESS_JOB!r}, not {process_cloud_notifications.__name__!r}")


@transactional_job
async def sweep_cloud_notifications(ctx: JobContext, db: AsyncSession) -> int:
    """Push a job for the notification rows that should have been processed by now but
    were not (Redis lost the job, a worker died mid-batch). Returns how many rows."""
    now = utcnow()
    overdue = await notifications_repository.overdue(db, now - SWEEP_GRACE, SWEEP_LIMIT)
    # A new job id every sweep pass: the lost job's id may still be taken in Redis.
    bucket = int(now.timestamp())
    for start in range(0, len(overdue), notifications.BATCH):
        chunk = [row_id for row_id, _ in overdue[start : start + notifications.BATCH]]
        await ctx["redis"].enqueue_job(
            PROCESS_JOB, chunk, _job_id=f"cloud-notifications:{chunk[0]}:sweep:{bucket}"
        )
    return len(overdue)
