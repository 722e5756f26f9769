"""Media messages (image, video, audio, document, sticker) as whatsmeow's protobufs.

The file is uploaded first, encrypted by whatsmeow (``client.upload``: its ``Upload``),
and the message carries what a phone needs to fetch and decrypt it: ``URL``,
``directPath``, ``mediaKey``, ``fileEncSHA256``, ``fileSHA256``, ``fileLength``, plus the
type our media service checked (``content.media.mime_type``). Nothing here runs ffmpeg
(the servers have none), so videos and audio go without thumbnail or duration; an image
gets a small JPEG thumbnail (Pillow comes with neonize), shown before it is downloaded.
A text's link preview gets its thumbnails here too, from the image the host fetched.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Mapping
from typing import Any

import structlog
from neonize.proto.waE2E.WAWebProtobufsE2E_pb2 import (
    AudioMessage,
    DocumentMessage,
    ImageMessage,
    Message,
    StickerMessage,
    VideoMessage,
)
from neonize.utils.enum import MediaType

from gateway.engines.web.clients import ClientError

log = structlog.get_logger(__name__)

MEDIA_TYPES = frozenset({"image", "video", "audio", "document", "sticker"})
# Which of whatsmeow's media buckets a file goes to (a sticker is an image to it).
UPLOAD_TYPES = {"image": MediaType.MediaImage, "video": MediaType.MediaVideo,
                "audio": MediaType.MediaAudio, "document": MediaType.MediaDocument,
                "sticker": MediaType.MediaImage}  # fmt: skip
# WhatsApp plays a voice note only as Opus in OGG, and says so in these words.
VOICE_MIME_TYPE = "audio/ogg; codecs=opus"
THUMBNAIL_SIDE = 100
# A link preview's thumbnails: a small JPEG inline, shown at once, and a larger one
# uploaded (whatsmeow's ``MediaLinkThumbnail``) that phones fetch for the big card.
LINK_INLINE_SIDE = 192
LINK_THUMBNAIL_SIDE = 800
# Pillow reads the size from the header before decoding: a picture past this many
# pixels is refused unread (a small file can decode to gigabytes).
LINK_IMAGE_MAX_PIXELS = 40_000_000


async def upload(client: Any, kind: str, data: bytes) -> Any:
    """whatsmeow's ``UploadResponse`` for the file; ``media_upload_failed`` (transient)
    when WhatsApp's media servers refuse it or cannot be reached."""
    try:
        return await client.upload(data, UPLOAD_TYPES[kind])
    except Exception as exc:
        raise ClientError("media_upload_failed", str(exc)[:500], transient=True) from None


def _uploaded(response: Any, mime_type: str, now: int) -> dict[str, Any]:
    """The fields every media submessage has, from the upload's answer."""
    return {
        "URL": response.url, "directPath": response.DirectPath, "mediaKey": response.MediaKey,
        "fileEncSHA256": response.FileEncSHA256, "fileSHA256": response.FileSHA256,
        "fileLength": response.FileLength, "mimetype": mime_type, "mediaKeyTimestamp": now,
    }  # fmt: skip


def _mime_type(content: Mapping[str, Any]) -> str:
    media = content.get("media") or {}
    return str(media.get("mime_type") or "application/octet-stream")


async def media_message(
    client: Any, kind: str, content: Mapping[str, Any], data: bytes, now: int
) -> Message:
    """The ``kind`` message of ``content`` with its file ``data`` uploaded; ``now`` is
    the media key's timestamp (seconds)."""
    mime_type = _mime_type(content)
    if kind == "sticker" and mime_type != "image/webp":
        raise ClientError("media_type_unsupported", f"A sticker must be WebP, not {mime_type}.")
    voice = kind == "audio" and bool(content.get("voice"))
    if voice and mime_type == "audio/ogg":
        mime_type = VOICE_MIME_TYPE
    fields = _uploaded(await upload(client, kind, data), mime_type, now)
    caption = str(content.get("caption") or "") or None
    match kind:
        case "image":
            return Message(imageMessage=ImageMessage(**fields, caption=caption, **_preview(data)))
        case "video":
            return Message(videoMessage=VideoMessage(**fields, caption=caption))
        case "audio":
            return Message(audioMessage=AudioMessage(**fields, PTT=voice))
        case "document":
            filename = _filename(content)
            return Message(
                documentMessage=DocumentMessage(
                    **fields, caption=caption, fileName=filename, title=filename
                )
            )
        case "sticker":
            return Message(stickerMessage=StickerMessage(**fields, isAnimated=is_animated(data)))
    raise ClientError("unsupported_type", f"Not a media type: {kind}.")


def _filename(content: Mapping[str, Any]) -> str:
    media = content.get("media") or {}
    return str(content.get("filename") or media.get("filename") or "file")


def is_animated(webp: bytes) -> bool:
    """Whether a WebP file is animated: its extended header (``VP8X``) says so."""
    return webp[12:16] == b"VP8X" and len(webp) > 20 and bool(webp[20] & 0x02)


def _preview(image: bytes) -> dict[str, Any]:
    """The image's size and a small JPEG of it, if Pillow can read it; else nothing (the
    phone shows a blank box until the image is downloaded)."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(image)) as picture:
            width, height = picture.size
            picture.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
            out = io.BytesIO()
            picture.convert("RGB").save(out, format="JPEG", quality=60)
    except Exception as exc:
        log.info("web.neonize.thumbnail_skipped", error=str(exc)[:200])
        return {}
    return {"width": width, "height": height, "JPEGThumbnail": out.getvalue()}


def _jpeg_fitting(picture: Any, side: int, quality: int) -> tuple[bytes, int, int]:
    copy = picture.copy()
    copy.thumbnail((side, side))
    out = io.BytesIO()
    copy.convert("RGB").save(out, format="JPEG", quality=quality)
    return out.getvalue(), copy.size[0], copy.size[1]


def link_thumbnails(image: bytes) -> tuple[bytes, tuple[bytes, int, int]] | None:
    """A link preview's inline JPEG and its larger JPEG with width and height, from the
    page's image; None when Pillow cannot read it or it is too large to decode."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(image)) as picture:
            width, height = picture.size
            if width * height > LINK_IMAGE_MAX_PIXELS:
                raise ValueError(f"{width}x{height} is too many pixels")
            picture.load()
            inline, _, _ = _jpeg_fitting(picture, LINK_INLINE_SIDE, 60)
            large = _jpeg_fitting(picture, LINK_THUMBNAIL_SIDE, 80)
    except Exception as exc:
        log.info("web.neonize.link_thumbnail_skipped", error=str(exc)[:200])
        return None
    return inline, large


async def link_thumbnail(client: Any, image: bytes, now: int) -> dict[str, Any]:
    """The thumbnail fields of a link preview's ``extendedTextMessage``, as neonize's
    ``_generate_link_preview`` fills them: the inline ``JPEGThumbnail``, and the larger
    thumbnail uploaded as ``MediaLinkThumbnail`` (its path, hashes, key, key timestamp
    ``now`` and size). Nothing when the image cannot be read; only the inline one when
    the upload fails: a thumbnail is never worth a send."""
    # Off the loop: decoding a large picture would hold up every other command meanwhile.
    thumbnails = await asyncio.to_thread(link_thumbnails, image)
    if thumbnails is None:
        return {}
    inline, (large, width, height) = thumbnails
    try:
        response = await client.upload(large, MediaType.MediaLinkThumbnail)
    except Exception as exc:
        log.info("web.neonize.link_thumbnail_upload_failed", error=str(exc)[:200])
        return {"JPEGThumbnail": inline}
    return {
        "JPEGThumbnail": inline, "thumbnailDirectPath": response.DirectPath,
        "thumbnailSHA256": response.FileSHA256, "thumbnailEncSHA256": response.FileEncSHA256,
        "mediaKey": response.MediaKey, "mediaKeyTimestamp": now,
        "thumbnailWidth": width, "thumbnailHeight": height,
    }  # fmt: skip
