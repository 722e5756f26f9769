"""Media: storing files and resolving the files messages refer to.

A file's bytes go to storage before its row is flushed, so a row never points at nothing.
When the transaction then rolls back, the bytes stay behind unreferenced: harmless, and
cheaper than the reverse order's risk of a message whose file is missing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit import service as audit
from gateway.auth.principal import Principal
from gateway.config import Settings
from gateway.kit import safehttp
from gateway.kit.errors import GatewayError, InvalidRequest, NotFound
from gateway.kit.ids import new_id
from gateway.kit.pagination import Page
from gateway.media import repository
from gateway.media.repository import Reach
from gateway.media.schemas import MediaSource
from gateway.media.storage import storage_for
from gateway.media.types import classify, normalise, require_kind
from gateway.models import Media


class MediaNotFound(InvalidRequest):
    code = "media_not_found"


class UploadTooLarge(GatewayError):
    status_code = 413
    code = "media_too_large"


MediaTooLarge = safehttp.MediaTooLarge

MAX_FILENAME_LENGTH = 255
_DATA_URL = re.compile(r"data:(?P<type>[^;,]*)(?:;[^,]*)?;base64,", re.IGNORECASE)


def reach_of(caller: Principal) -> Reach:
    return Reach(caller.account_id, sandbox_only=caller.is_test, session_id=caller.session_id)


def clean_filename(filename: str | None) -> str | None:
    """The name without directories or control characters, at most 255 characters: it is
    echoed in Content-Disposition and shown to WhatsApp users."""
    if not filename:
        return None
    name = re.split(r"[/\\]", filename)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if len(name) > MAX_FILENAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and len(extension) < 16:
            name = stem[: MAX_FILENAME_LENGTH - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_FILENAME_LENGTH]
    return name or None


async def put_bytes(
    *,
    settings: Settings,
    account_id: str,
    session_id: str | None,
    source: str,
    content: bytes,
    mime_type: str,
    filename: str | None,
) -> Media:
    """Put ``content`` in storage and return its row, not yet added to any session (no
    database: storage may be a remote bucket, which must not be waited for while a
    transaction holds a connection)."""
    media_id = new_id("med")
    storage_key = f"{account_id}/{media_id}"
    await storage_for(settings).put(storage_key, content, content_type=mime_type)
    return Media(
        id=media_id,
        account_id=account_id,
        session_id=session_id,
        source=source,
        mime_type=mime_type,
        size=len(content),
        filename=clean_filename(filename),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_key=storage_key,
    )


async def store_media(
    db: AsyncSession,
    *,
    settings: Settings,
    account_id: str,
    session_id: str | None,
    source: str,
    content: bytes,
    mime_type: str,
    filename: str | None,
) -> Media:
    """Store ``content`` and its row (flushed); the type must already be settled."""
    stored = await put_bytes(
        settings=settings, account_id=account_id, session_id=session_id, source=source,
        content=content, mime_type=mime_type, filename=filename,
    )  # fmt: skip
    return await repository.add(db, stored)


async def upload_media(
    db: AsyncSession,
    caller: Principal,
    *,
    settings: Settings,
    content: bytes,
    declared_type: str | None,
    filename: str | None,
) -> Media:
    """Store an uploaded file after checking its size and that its bytes match its type."""
    if len(content) > settings.media_max_bytes:
        raise UploadTooLarge(
            f"The file is larger than the limit of {settings.media_max_bytes} bytes.",
            param="file",
        )
    if not content:
        raise InvalidRequest("The file is empty.", param="file")
    mime_type = classify(content, declared_type, filename, param="file")
    media = await store_media(
        db,
        settings=settings,
        account_id=caller.account_id,
        # A session-restricted key's uploads are that session's, out of other keys' reach.
        session_id=caller.session_id,
        source="upload",
        content=content,
        mime_type=mime_type,
        filename=filename,
    )
    audit.record(db, "media.uploaded", "media", media.id,
                 changes={"mime_type": mime_type, "size": len(content)})  # fmt: skip
    return media


async def get_media(db: AsyncSession, caller: Principal, media_id: str) -> Media:
    media = await repository.get(db, reach_of(caller), media_id)
    if media is None:
        raise NotFound("media", media_id)
    return media


async def list_media(db: AsyncSession, caller: Principal, page: Page) -> Sequence[Media]:
    return await repository.list_page(db, reach_of(caller), page)


async def open_media(media: Media, *, settings: Settings) -> bytes:
    """The stored bytes of ``media`` (for the engines that send it, and for downloads)."""
    return await storage_for(settings).get(media.storage_key)


async def resolve_message_media(
    db: AsyncSession,
    *,
    account_id: str,
    session_id: str,
    source: MediaSource,
    kind: str,
    settings: Settings,
    param: str = "media",
) -> Media:
    """The stored file a message of type ``kind`` sends: ``prepare_message_media`` then
    ``record_message_media``, for callers with nothing to do in between."""
    prepared = await prepare_message_media(
        account_id=account_id, session_id=session_id, source=source, kind=kind,
        settings=settings, param=param,
    )  # fmt: skip
    return await record_message_media(
        db, account_id=account_id, source=source, kind=kind, prepared=prepared, param=param
    )


async def prepare_message_media(
    *,
    account_id: str,
    session_id: str,
    source: MediaSource,
    kind: str,
    settings: Settings,
    param: str = "media",
) -> Media | None:
    """Fetch or decode the file a message of type ``kind`` sends and put it in storage,
    before any transaction opens (None for a ``media_id``, already stored).

    ``url`` is fetched through the SSRF guard; ``base64`` needs ``mime_type`` (or a
    ``data:`` URL). Errors are 422s naming ``param`` or one of its fields:
    ``media_too_large``, ``media_type_unsupported``, ``url_invalid``, ``url_not_allowed``,
    ``url_unreachable``.
    """
    if source.media_id is not None:
        return None
    if source.url is not None:
        try:
            fetched = await safehttp.fetch(
                source.url,
                allow_private=settings.private_targets_allowed,
                max_bytes=settings.media_max_bytes,
                timeout=settings.media_fetch_timeout_seconds,
                param=f"{param}.url",
            )
        except MediaTooLarge as exc:
            exc.param = param
            raise
        content, origin = fetched.content, "url"
        declared = source.mime_type or fetched.content_type
        filename = source.filename or fetched.filename
    else:
        assert source.base64 is not None  # MediaSource holds exactly one source
        content, data_url_type = _decode_base64(source.base64, settings, param=param)
        origin, filename = "base64", source.filename
        declared = source.mime_type or data_url_type
        if not declared:
            raise InvalidRequest(
                "mime_type is required with base64 content.",
                code="parameter_missing",
                param=f"{param}.mime_type",
            )

    if len(content) > settings.media_max_bytes:
        raise MediaTooLarge(
            f"The file is larger than the limit of {settings.media_max_bytes} bytes.",
            param=param,
        )
    if not content:
        raise InvalidRequest("The file is empty.", param=param)
    mime_type = classify(content, declared, filename, param=param)
    require_kind(mime_type, kind, param=param)
    return await put_bytes(
        settings=settings,
        account_id=account_id,
        session_id=session_id,
        source=origin,
        content=content,
        mime_type=mime_type,
        filename=filename,
    )


async def record_message_media(
    db: AsyncSession,
    *,
    account_id: str,
    source: MediaSource,
    kind: str,
    prepared: Media | None,
    param: str = "media",
) -> Media:
    """The row of a message's file: the prepared one recorded, or the account's file named
    by ``media_id`` (422 ``media_not_found`` if it has none)."""
    if prepared is not None:
        return await repository.add(db, prepared)
    assert source.media_id is not None
    media = await repository.get(db, Reach(account_id), source.media_id)
    if media is None:
        raise MediaNotFound(f"No such media: '{source.media_id}'.", param=f"{param}.media_id")
    require_kind(media.mime_type, kind, param=param)
    return media


def _decode_base64(value: str, settings: Settings, *, param: str) -> tuple[bytes, str | None]:
    """The decoded bytes and, for a ``data:`` URL, the type it names. Line breaks and
    spaces (MIME-style wrapping) are ignored; anything else outside the alphabet is not."""
    data_url_type = None
    if match := _DATA_URL.match(value):
        data_url_type = match["type"] or None
        value = value[match.end() :]
    encoded = "".join(value.split())
    # Refuse by length before decoding: 4 characters carry 3 bytes.
    if len(encoded) // 4 * 3 - 2 > settings.media_max_bytes:
        raise MediaTooLarge(
            f"The file is larger than the limit of {settings.media_max_bytes} bytes.",
            param=param,
        )
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidRequest(
            "base64 is not valid base64-encoded content.", param=f"{param}.base64"
        ) from exc
    return content, data_url_type


async def store_inbound_media(
    db: AsyncSession,
    *,
    settings: Settings,
    account_id: str,
    session_id: str,
    content: bytes,
    mime_type: str | None,
    filename: str | None,
) -> Media:
    """Store a file a session received. Whatever arrived is kept, under the type it was
    sent with (WhatsApp carries documents of any type and size), or under the type its
    bytes show when it came without one."""
    declared = normalise(mime_type)
    if declared is None or declared == "application/octet-stream":
        declared = classify(content, None, filename, param=None)
    return await store_media(
        db,
        settings=settings,
        account_id=account_id,
        session_id=session_id,
        source="inbound",
        content=content,
        mime_type=declared[:127],  # the column's width; real types are far shorter
        filename=filename,
    )
