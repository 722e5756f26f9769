from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response, status

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.config import Settings
from gateway.exports import service
from gateway.exports.schemas import ExportOut
from gateway.kit.errors import ERROR_RESPONSES, ErrorEnvelope
from gateway.kit.pagination import ListResponse, PageParams, page_of
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.kit.state import app_state
from gateway.kit.time import utcnow
from gateway.models import Export

router = APIRouter(
    prefix="/exports",
    tags=["Data export"],
    route_class=TransactionalRoute,
    responses=ERROR_RESPONSES,
)

Reader = Annotated[Principal, scoped("account", Access.read)]
# An archive holds everything, beyond what any one resource's scope reaches.
Writer = Annotated[Principal, scoped("account", Access.write)]
ExportId = Annotated[str, Path(description="The export's id (`exp_…`).", max_length=64)]


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorEnvelope, "description": description}


def present(export: Export, settings: Settings) -> ExportOut:
    ready = export.status == "succeeded" and not service.expired(export, utcnow())
    return ExportOut(
        id=export.id,
        status="expired" if service.expired(export, utcnow()) else export.status,  # type: ignore[arg-type]
        progress=export.progress,
        counts={k: int(v) for k, v in export.counts.items()},
        size=export.size,
        download_url=f"{settings.base_url}/v1/exports/{export.id}/download" if ready else None,
        error=export.error,
        created_at=export.created_at,
        completed_at=export.completed_at,
        expires_at=export.expires_at,
    )


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ExportOut,
    responses={
        409: _error("The account has an export still being built (`export_in_progress`)."),
    },
)
async def create_export(caller: Writer, db: DbSession, request: Request) -> ExportOut:
    """Start an archive of everything the account stores (sessions, messages, media,
    contacts, chats, events, webhooks and their deliveries, the audit log), one JSON
    Lines file per kind in a zip. It is built in the background: follow `status` and
    `progress`, then download it. Needs a live key that is not restricted to a session."""
    return present(await service.create_export(db, caller), app_state(request).settings)


@router.get("", response_model=ListResponse[ExportOut])
async def list_exports(
    caller: Reader, db: DbSession, page: PageParams, request: Request
) -> ListResponse[ExportOut]:
    """The account's exports, newest first."""
    settings = app_state(request).settings
    items, has_more = page_of(await service.list_exports(db, caller, page), page)
    return ListResponse(data=[present(e, settings) for e in items], has_more=has_more)


@router.get("/{export_id}", response_model=ExportOut)
async def retrieve_export(
    export_id: ExportId, caller: Reader, db: DbSession, request: Request
) -> ExportOut:
    return present(await service.get_export(db, caller, export_id), app_state(request).settings)


@router.get(
    "/{export_id}/download",
    response_class=Response,
    responses={
        200: {
            "description": "The archive (a zip).",
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        },
        409: _error("The export is not ready yet, or failed (`export_not_ready`)."),
        410: _error("The export has expired and its archive was deleted (`export_expired`)."),
    },
)
async def download_export(
    export_id: ExportId, caller: Writer, db: DbSession, request: Request
) -> Response:
    """Download the archive of a ready export."""
    content = await service.read_archive(db, app_state(request).settings, caller, export_id)
    return Response(
        content,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{export_id}.zip"',
            "Cache-Control": "private, no-store",
        },
    )
