from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.kit.errors import GatewayError
from gateway.media.schemas import MediaSource
from gateway.media.service import open_media, resolve_message_media, store_inbound_media
from gateway.models import Media
from tests.factories import create_account
from tests.local_http import Reply, serving
from tests.media import samples

SESSION_ID = "ses_01JA2B3C4D5E6F7G8H9J0KMNPQ"


@pytest.fixture
async def account_id(sessionmaker: async_sessionmaker[AsyncSession]) -> str:
    return (await create_account(sessionmaker)).id


async def resolve(
    db: AsyncSession, settings: Settings, account_id: str, kind: str = "image", **source: Any
) -> Media:
    return await resolve_message_media(
        db,
        account_id=account_id,
        session_id=SESSION_ID,
        source=MediaSource(**source),
        kind=kind,
        settings=settings,
        param="media",
    )


async def refused(
    db: AsyncSession, settings: Settings, account_id: str, kind: str = "image", **source: Any
) -> GatewayError:
    with pytest.raises(GatewayError) as caught:
        await resolve(db, settings, account_id, kind, **source)
    assert caught.value.status_code == 422
    return caught.value


async def test_base64_is_decoded_and_stored(
    db: AsyncSession, settings: Settings, account_id: str
) -> None:
    encoded = base64.b64encode(samples.JPEG).decode()
    media = await resolve(
        db, settings, account_id, base64=encoded, mime_type="image/jpeg", filename="a.jpg"
    )
    assert media.id.startswith("med_")
    assert media.source == "base64"
    assert media.session_id == SESSION_ID
    assert (media.mime_type, media.size, media.filename) == (
        "image/jpeg",
        len(samples.JPEG),
        "a.jpg",
    )
    assert await open_media(media, settings=settings) == samples.JPEG

    # Wrapped lines and a data: URL (which names the type) are fine too.
    wrapped = "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))
    assert (
        await resolve(db, settings, account_id, base64=wrapped, mime_type="image/jpeg")
    ).size == len(samples.JPEG)
    data_url = f"data:image/webp;base64,{base64.b64encode(samples.WEBP).decode()}"
    sticker = await resolve(db, settings, account_id, "sticker", base64=data_url)
    assert sticker.mime_type == "image/webp"


async def test_bad_base64_is_refused(db: AsyncSession, settings: Settings, account_id: str) -> None:
    error = await refused(db, settings, account_id, base64="not base64!!", mime_type="image/png")
    assert (error.code, error.param) == ("parameter_invalid", "media.base64")

    error = await refused(db, settings, account_id, base64=base64.b64encode(samples.PNG).decode())
    assert (error.code, error.param) == ("parameter_missing", "media.mime_type")


async def test_the_type_must_fit_the_message(
    db: AsyncSession, settings: Settings, account_id: str
) -> None:
    png = base64.b64encode(samples.PNG).decode()
    error = await refused(db, settings, account_id, "sticker", base64=png, mime_type="image/png")
    assert (error.code, error.param) == ("media_type_unsupported", "media")
    error = await refused(db, settings, account_id, "video", base64=png, mime_type="image/png")
    assert error.code == "media_type_unsupported"
    error = await refused(db, settings, account_id, "image", base64=png, mime_type="image/jpeg")
    assert "declared image/jpeg, but its content is image/png" in error.message

    pdf = base64.b64encode(samples.PDF).decode()
    document = await resolve(
        db, settings, account_id, "document", base64=pdf, mime_type="application/pdf"
    )
    assert document.mime_type == "application/pdf"
    audio = base64.b64encode(samples.OGG).decode()
    voice = await resolve(
        db, settings, account_id, "audio", base64=audio, mime_type="audio/ogg; codecs=opus"
    )
    assert voice.mime_type == "audio/ogg"


async def test_size_is_capped(db: AsyncSession, settings: Settings, account_id: str) -> None:
    small = settings.model_copy(update={"media_max_bytes": 1024})
    encoded = base64.b64encode(samples.PNG).decode()  # 1040 bytes
    error = await refused(db, small, account_id, base64=encoded, mime_type="image/png")
    assert (error.code, error.param) == ("media_too_large", "media")
    exactly = base64.b64encode(samples.PNG[:1024]).decode()
    assert (
        await resolve(db, small, account_id, base64=exactly, mime_type="image/png")
    ).size == 1024

    with serving({"/big.png": Reply(body=samples.PNG, content_length=False)}) as server:
        error = await refused(db, small, account_id, url=server.url("/big.png"))
    assert (error.code, error.param) == ("media_too_large", "media")


async def test_media_id_names_one_of_the_accounts_files(
    db: AsyncSession,
    settings: Settings,
    account_id: str,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    stored = await resolve(
        db,
        settings,
        account_id,
        base64=base64.b64encode(samples.PNG).decode(),
        mime_type="image/png",
    )
    assert (await resolve(db, settings, account_id, media_id=stored.id)).id == stored.id
    assert (await resolve(db, settings, account_id, "document", media_id=stored.id)).id == stored.id

    error = await refused(db, settings, account_id, "sticker", media_id=stored.id)
    assert error.code == "media_type_unsupported"

    error = await refused(db, settings, account_id, media_id="med_01JA2B3C4D5E6F7G8H9J0KMNPQ")
    assert (error.code, error.param) == ("media_not_found", "media.media_id")
    other = (await create_account(sessionmaker, name="Other")).id
    error = await refused(db, settings, other, media_id=stored.id)
    assert (error.code, error.param) == ("media_not_found", "media.media_id")


async def test_url_is_fetched_from_a_local_server_in_development(
    db: AsyncSession, settings: Settings, account_id: str
) -> None:
    assert settings.private_targets_allowed  # development: local targets are allowed
    routes = {
        "/media/cat.jpg": Reply(body=samples.JPEG, headers={"Content-Type": "image/jpeg"}),
        "/generic": Reply(body=samples.MP4, headers={"Content-Type": "binary/octet-stream"}),
        "/page": Reply(body=samples.HTML, headers={"Content-Type": "text/html"}),
    }
    with serving(routes) as server:
        media = await resolve(db, settings, account_id, url=server.url("/media/cat.jpg"))
        assert (media.source, media.mime_type, media.filename) == ("url", "image/jpeg", "cat.jpg")
        assert await open_media(media, settings=settings) == samples.JPEG

        video = await resolve(
            db, settings, account_id, "video", url=server.url("/generic"), filename="clip.mp4"
        )
        assert (video.mime_type, video.filename) == ("video/mp4", "clip.mp4")

        error = await refused(db, settings, account_id, url=server.url("/page"))
        assert error.code == "media_type_unsupported"
        error = await refused(db, settings, account_id, url=server.url("/missing.jpg"))
        assert (error.code, error.param) == ("url_unreachable", "media.url")

        strict = settings.model_copy(update={"allow_private_targets": False})
        error = await refused(db, strict, account_id, url=server.url("/media/cat.jpg"))
        assert (error.code, error.param) == ("url_not_allowed", "media.url")
    assert len(server.requests) == 4  # the refused one never connected


async def test_private_and_malformed_urls_are_refused(
    db: AsyncSession, settings: Settings, account_id: str
) -> None:
    strict = settings.model_copy(update={"allow_private_targets": False})
    for url in ("http://10.0.0.1/a.jpg", "http://[::ffff:192.168.1.1]/a.jpg", "http://localhost/"):
        error = await refused(db, strict, account_id, url=url)
        assert (error.code, error.param) == ("url_not_allowed", "media.url")
    # Not even development fetches from a cloud metadata service.
    error = await refused(db, settings, account_id, url="http://169.254.169.254/latest/meta-data/")
    assert error.code == "url_not_allowed"
    error = await refused(db, settings, account_id, url="file:///etc/passwd")
    assert (error.code, error.param) == ("url_invalid", "media.url")


async def test_inbound_files_are_stored_as_received(
    db: AsyncSession, settings: Settings, account_id: str
) -> None:
    media = await store_inbound_media(
        db,
        settings=settings,
        account_id=account_id,
        session_id=SESSION_ID,
        content=samples.AMR,
        mime_type="audio/amr",
        filename=None,
    )
    assert (media.source, media.mime_type, media.session_id) == ("inbound", "audio/amr", SESSION_ID)
    assert await open_media(media, settings=settings) == samples.AMR

    unlabelled = await store_inbound_media(
        db,
        settings=settings,
        account_id=account_id,
        session_id=SESSION_ID,
        content=samples.PDF,
        mime_type=None,
        filename="report.pdf",
    )
    assert unlabelled.mime_type == "application/pdf"
