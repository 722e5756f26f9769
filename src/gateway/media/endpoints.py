from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Request, status
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.config import Settings
from gateway.kit.errors import ERROR_RESPONSES, ErrorEnvelope, InvalidRequest
from gateway.kit.pagination import ListResponse, PageParams, page_of
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.kit.state import app_state
from gateway.media import service
from gateway.media.schemas import MediaOut
from gateway.models import Media

router = APIRouter(
    prefix="/media", tags=["Media"], route_class=TransactionalRoute, responses=ERROR_RESPONSES
)

Reader = Annotated[Principal, scoped("media", Access.read)]
Writer = Annotated[Principal, scoped("media", Access.write)]
MediaId = Annotated[str, Path(description="The file's id (`med_…`).", max_length=64)]

# Room for the multipart framing around the file: boundaries, part headers, `filename`.
MULTIPART_OVERHEAD = 64 * 1024
# Messages carry files inline as base64 (4 characters per 3 bytes) inside JSON.
JSON_OVERHEAD = 64 * 1024


def body_limits(settings: Settings) -> dict[tuple[str, str], int]:
    """Request body limits above the global one, for the requests that carry files."""
    return {
        ("POST", "/v1/media"): settings.media_max_bytes + MULTIPART_OVERHEAD,
        ("POST", "/v1/sessions/"): settings.media_max_bytes * 4 // 3 + JSON_OVERHEAD,
    }


def present(media: Media, settings: Settings) -> MediaOut:
    return MediaOut(
        id=media.id,
        mime_type=media.mime_type,
        size=media.size,
        filename=media.filename,
        sha256=media.sha256,
        source=media.source,  # type: ignore[arg-type]  # one of the four, by construction
        session_id=media.session_id,
        url=f"{settings.base_url}/v1/media/{media.id}/content",
        created_at=media.created_at,
    )


# The body is parsed in the endpoint, not declared as `File()`: FastAPI would parse the
# form before the dependencies run, and the Idempotency-Key check must read the raw body
# first (it fingerprints it). So the OpenAPI document gets the form spelled out here.
UPLOAD_REQUEST: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The file. Its part's Content-Type, if given, "
                            "must agree with the content.",
                        },
                        "filename": {
                            "type": "string",
                            "maxLength": 255,
                            "description": "Overrides the file part's filename.",
                        },
                    },
                }
            }
        },
    }
}


@dataclass(frozen=True)
class Upload:
    content: bytes
    content_type: str | None
    filename: str | None


async def read_upload(request: Request) -> Upload:
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise InvalidRequest(
            "Upload files as multipart/form-data, the file in the `file` field.",
            code="unsupported_media_type",
            status_code=415,
        )
    async with request.form(max_files=1, max_fields=4) as form:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise InvalidRequest(
                "Missing required parameter: file.", code="parameter_missing", param="file"
            )
        filename = form.get("filename")
        if filename is not None and (not isinstance(filename, str) or len(filename) > 255):
            raise InvalidRequest("filename must be at most 255 characters.", param="filename")
        return Upload(await file.read(), file.content_type, filename or file.filename)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=MediaOut,
    openapi_extra=UPLOAD_REQUEST,
    responses={
        413: {"model": ErrorEnvelope, "description": "The file exceeds the size limit."},
        415: {"model": ErrorEnvelope, "description": "The body is not multipart/form-data."},
    },
)
async def upload_media(request: Request, caller: Writer, db: DbSession) -> MediaOut:
    """Upload a file to send in messages by `media_id`. Images (JPEG, PNG, WebP, GIF),
    video (MP4, 3GPP), audio (OGG/Opus, MP3, M4A/AAC, AMR) and documents (PDF, Office,
    plain text, ZIP, any other as `application/octet-stream`), up to 16 MiB by default.
    The type is taken from the content; a declared type that contradicts it is refused."""
    settings = app_state(request).settings
    upload = await read_upload(request)
    media = await service.upload_media(
        db,
        caller,
        settings=settings,
        content=upload.content,
        declared_type=upload.content_type,
        filename=upload.filename,
    )
    return present(media, settings)


@router.get("", response_model=ListResponse[MediaOut])
async def list_media(
    request: Request, caller: Reader, db: DbSession, page: PageParams
) -> ListResponse[MediaOut]:
    """The account's files, newest first: uploaded, sent by URL or base64, and received."""
    settings = app_state(request).settings
    items, has_more = page_of(await service.list_media(db, caller, page), page)
    return ListResponse(data=[present(m, settings) for m in items], has_more=has_more)


@router.get("/{media_id}", response_model=MediaOut)
async def retrieve_media(
    request: Request, media_id: MediaId, caller: Reader, db: DbSession
) -> MediaOut:
    """A file's description; its bytes are at `url` (`GET /v1/media/{id}/content`)."""
    media = await service.get_media(db, caller, media_id)
    return present(media, app_state(request).settings)


@router.get(
    "/{media_id}/content",
    response_class=Response,
    responses={
        200: {
            "description": "The file's bytes, its type in Content-Type.",
            # Whatever type the file is (image/jpeg, application/pdf …).
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def download_media(
    request: Request, media_id: MediaId, caller: Reader, db: DbSession
) -> Response:
    """Download a file's bytes."""
    media = await service.get_media(db, caller, media_id)
    content = await service.open_media(media, settings=app_state(request).settings)
    return Response(
        content,
        media_type=media.mime_type,
        headers={
            "Content-Disposition": content_disposition(media.filename or media.id),
            "ETag": f'"{media.sha256}"',
            # Files never change under an id; private because they need the key.
            "Cache-Control": "private, max-age=86400, immutable",
            # A text file must not be run as HTML or script by a browser guessing.
            "X-Content-Type-Options": "nosniff",
        },
    )


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact one (RFC 6266)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    value = f'attachment; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value
