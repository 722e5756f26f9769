"""Media messages (image, video, audio, document, sticker) as whatsmeow's protobufs.

The file is uploaded first, encrypted by whatsmeow (``client.upload``: its ``Upload``),
and the message carries what a phone needs to fetch and decrypt it: ``URL``,
``directPath``, ``mediaKey``, ``fileEncSHA256``, ``fileSHA256``, ``fileLength``, plus the
type our media service checked (``content.media.mime_type``). Nothing here runs ffmpeg
(the servers have none), so videos and audio go without thumbnail or duration; an image
gets a small JPEG thumbnail (Pillow comes with neonize), shown before it is downloaded.
"""

from __future__ import annotations

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
