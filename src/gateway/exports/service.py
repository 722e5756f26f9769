"""Data exports (GDPR articles 15 and 20): an archive of everything the account stores,
built by a durable job and downloadable until it expires."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit import service as audit
from gateway.auth.principal import Principal
from gateway.config import Settings
from gateway.exports import repository
from gateway.kit.aftercommit import enqueue_after_commit
from gateway.kit.errors import Conflict, GatewayError, NotFound, PermissionDenied
from gateway.kit.ids import new_id
from gateway.kit.pagination import Page
from gateway.kit.time import utcnow
from gateway.media.storage import StorageError, storage_for
from gateway.models import Export


class ExportInProgress(Conflict):
    code = "export_in_progress"


class ExportNotReady(Conflict):
    code = "export_not_ready"


class ExportExpired(GatewayError):
    status_code = 410
    code = "export_expired"


BUILD_EXPORT = "build_export"
# A run interrupted this often (its worker killed, or the job timing out every time) is
# given up rather than retried for ever.
MAX_ATTEMPTS = 5


def build_job_id(export_id: str, attempts: int) -> str:
    """The job of an export's run after ``attempts`` earlier ones: a push racing the
    sweep's re-push for the same run runs it once."""
    return f"{BUILD_EXPORT}:{export_id}:{attempts}"


def file_key(account_id: str, export_id: str) -> str:
    return f"{account_id}/exports/{export_id}.zip"


def require_whole_account(caller: Principal) -> None:
    """Exports and erasures act on everything the account stores, so they need a key that
    reaches all of it: a live key (a test key sees only sandbox data) that is not
    restricted to one session."""
    if caller.is_test:
        raise PermissionDenied(
            "This acts on the whole account, live data included: use a live key (gw_live_…).",
            code="livemode_required",
        )
    if caller.session_id is not None:
        raise PermissionDenied(
            "This acts on the whole account: use a key that is not restricted to one session.",
            code="session_restricted_key",
        )


async def create_export(db: AsyncSession, caller: Principal) -> Export:
    require_whole_account(caller)
    export = await repository.add_unless_active(db, new_id("exp"), caller.account_id)
    if export is None:
        running = await repository.active(db, caller.account_id)
        raise ExportInProgress(
            f"Export {running.id if running else ''} is still being built; "
            "wait for it to finish before starting another."
        )
    audit.record(db, "export.created", "export", export.id)
    # Pushed after the commit, carrying only the id: the job re-reads the row.
    enqueue_after_commit(db, BUILD_EXPORT, export.id, job_id=build_job_id(export.id, 0))
    return export


async def get_export(db: AsyncSession, caller: Principal, export_id: str) -> Export:
    export = await repository.get(db, caller.account_id, export_id)
    if export is None:
        raise NotFound("export", export_id)
    return export


async def list_exports(db: AsyncSession, caller: Principal, page: Page) -> Sequence[Export]:
    return await repository.list_page(db, caller.account_id, page)


def expired(export: Export, now: datetime) -> bool:
    return export.status == "expired" or (
        export.expires_at is not None and export.expires_at <= now
    )


async def read_archive(
    db: AsyncSession, settings: Settings, caller: Principal, export_id: str
) -> bytes:
    """The zip of a ready export."""
    require_whole_account(caller)
    export = await get_export(db, caller, export_id)
    if expired(export, utcnow()):
        raise ExportExpired(f"Export {export.id} has expired and its archive was deleted.")
    if export.status != "succeeded" or export.file_key is None:
        raise ExportNotReady(f"Export {export.id} is {export.status}, not ready to download.")
    try:
        return await storage_for(settings).get(export.file_key)
    except StorageError as exc:
        # Deleted by a purge racing this download.
        raise ExportExpired(f"Export {export.id} has expired and its archive was deleted.") from exc


def expiry(settings: Settings, now: datetime) -> datetime:
    return now + timedelta(seconds=settings.export_ttl_seconds)
