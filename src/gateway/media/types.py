"""Which files the gateway accepts, and what a file really is.

The declared type (a part's Content-Type, a URL's answer, a caller's ``mime_type``) is a
claim; the first bytes are evidence. WhatsApp rejects or mangles a file whose type lies
(an "image" that is an HTML page), and it does so long after the API said 202, so the lie
is caught here, at the door, where the caller can still be told.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from gateway.kit.errors import InvalidRequest

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})
VIDEO_TYPES = frozenset({"video/mp4", "video/3gpp"})
AUDIO_TYPES = frozenset({"audio/ogg", "audio/mpeg", "audio/mp4", "audio/aac", "audio/amr"})
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
MSWORD, MSEXCEL, MSPOWERPOINT = (
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
)
OCTET_STREAM = "application/octet-stream"
DOCUMENT_TYPES = frozenset(
    {"application/pdf", MSWORD, MSEXCEL, MSPOWERPOINT, DOCX, XLSX, PPTX}
    | {"text/plain", "application/zip", OCTET_STREAM}
)
ALLOWED_TYPES = IMAGE_TYPES | VIDEO_TYPES | AUDIO_TYPES | DOCUMENT_TYPES

# Names clients use for the types above.
_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "audio/mp3": "audio/mpeg",
    "audio/x-mp3": "audio/mpeg",
    "audio/mpeg3": "audio/mpeg",
    "audio/opus": "audio/ogg",
    "audio/x-m4a": "audio/mp4",
    "audio/m4a": "audio/mp4",
    "audio/aacp": "audio/aac",
    "audio/x-aac": "audio/aac",
    "audio/3gpp": "video/3gpp",
    "video/3gp": "video/3gpp",
    "application/x-zip-compressed": "application/zip",
    "application/x-zip": "application/zip",
    # Generic names servers give files they know nothing about.
    "binary/octet-stream": OCTET_STREAM,
    "application/binary": OCTET_STREAM,
    "application/download": OCTET_STREAM,
    "application/force-download": OCTET_STREAM,
    "application/x-download": OCTET_STREAM,
}

# A filename's extension is a weaker claim than a declared type, used when none is given
# (an upload from a client that sends every file as application/octet-stream).
_EXTENSIONS = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".mp4": "video/mp4",
    ".3gp": "video/3gpp",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".amr": "audio/amr",
    ".pdf": "application/pdf",
    ".doc": MSWORD,
    ".docx": DOCX,
    ".xls": MSEXCEL,
    ".xlsx": XLSX,
    ".ppt": MSPOWERPOINT,
    ".pptx": PPTX,
    ".txt": "text/plain",
    ".zip": "application/zip",
}


class MediaTypeUnsupported(InvalidRequest):
    code = "media_type_unsupported"


@dataclass(frozen=True)
class Sniffed:
    """What the bytes say: the type to use when nothing more precise is declared, and the
    declared types the same bytes can honestly be (a DOCX is a ZIP, an M4A an MP4)."""

    type: str
    compatible: frozenset[str]


def _exactly(mime_type: str) -> Sniffed:
    return Sniffed(mime_type, frozenset({mime_type}))


_MP4_FAMILY = frozenset({"video/mp4", "audio/mp4", "audio/aac", "video/3gpp"})
_ZIP_FAMILY = frozenset({"application/zip", DOCX, XLSX, PPTX})
# Compound File Binary: the container of the pre-2007 Office formats.
_OLE_FAMILY = frozenset({MSWORD, MSEXCEL, MSPOWERPOINT})


def sniff(content: bytes) -> Sniffed | None:
    """The type the first bytes of ``content`` prove, or ``None`` if they prove nothing."""
    head = content[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return _exactly("image/jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _exactly("image/png")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _exactly("image/gif")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _exactly("image/webp")
    if head.startswith(b"%PDF-"):
        return _exactly("application/pdf")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand.startswith((b"3gp", b"3gg", b"3g2")):
            return Sniffed("video/3gpp", _MP4_FAMILY)
        if brand in {b"M4A ", b"M4B "}:
            return Sniffed("audio/mp4", _MP4_FAMILY)
        return Sniffed("video/mp4", _MP4_FAMILY)
    if head.startswith(b"OggS"):
        return _exactly("audio/ogg")
    if head.startswith(b"#!AMR\n"):
        return _exactly("audio/amr")
    if head.startswith(b"ID3"):
        return _exactly("audio/mpeg")
    if len(head) >= 3 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:  # ADTS: a 12-bit sync, then layer bits 00
            return Sniffed("audio/aac", frozenset({"audio/aac", "audio/mp4"}))
        if _mpeg_audio_frame(head):
            return _exactly("audio/mpeg")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return Sniffed("application/zip", _ZIP_FAMILY)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Sniffed(OCTET_STREAM, _OLE_FAMILY)
    return None


def _mpeg_audio_frame(head: bytes) -> bool:
    # An 11-bit sync, a layer other than 00, and a bitrate and sample rate that exist: the
    # sync alone also matches a UTF-16 byte order mark.
    layer, bitrate, sample_rate = (head[1] >> 1) & 3, head[2] >> 4, (head[2] >> 2) & 3
    return head[1] & 0xE0 == 0xE0 and layer != 0 and bitrate != 0xF and sample_rate != 3


def normalise(mime_type: str | None) -> str | None:
    """The essence of a media type (no parameters, lower case), aliases resolved."""
    if not mime_type:
        return None
    essence = mime_type.split(";", 1)[0].strip().lower()
    if not essence:
        return None
    return _ALIASES.get(essence, essence)


def from_filename(filename: str | None) -> str | None:
    if not filename:
        return None
    return _EXTENSIONS.get(PurePath(filename).suffix.lower())


def _looks_like_text(content: bytes) -> bool:
    # No encoding is declared, so any byte but NUL may be text (UTF-16 has a mark).
    return content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in content[:4096]


def classify(
    content: bytes, declared: str | None, filename: str | None, *, param: str | None
) -> str:
    """The type to store ``content`` under.

    A declared type (``application/octet-stream`` declares nothing) must be on the
    allow-list and agree with the bytes, else ``MediaTypeUnsupported``; being more precise
    than the bytes (DOCX over ZIP) it is the one kept. Undeclared, the bytes decide, with
    the filename's extension as a hint; bytes that prove nothing are a document.
    """
    claimed = normalise(declared)
    sniffed = sniff(content)
    if claimed is None or claimed == OCTET_STREAM:
        hinted = from_filename(filename)
        if sniffed is not None:
            return hinted if hinted in sniffed.compatible else sniffed.type
        if hinted == "text/plain" and _looks_like_text(content):
            return hinted
        return OCTET_STREAM
    if claimed not in ALLOWED_TYPES:
        raise MediaTypeUnsupported(
            f"Files of type {claimed} are not supported; send images (JPEG, PNG, WebP, GIF), "
            "video (MP4, 3GPP), audio (OGG/Opus, MP3, M4A/AAC, AMR) or documents "
            "(PDF, Office, plain text, ZIP).",
            param=param,
        )
    if sniffed is not None:
        if claimed not in sniffed.compatible:
            raise MediaTypeUnsupported(
                f"The file was declared {claimed}, but its content is {sniffed.type}.",
                param=param,
            )
        return claimed
    if claimed == "text/plain" and _looks_like_text(content):
        return claimed
    raise MediaTypeUnsupported(f"The file's content is not {claimed}.", param=param)


_KIND_TYPES = {
    "image": IMAGE_TYPES,
    "video": VIDEO_TYPES,
    "audio": AUDIO_TYPES,
    "voice": AUDIO_TYPES,
    "sticker": frozenset({"image/webp"}),
    "document": ALLOWED_TYPES,
}


def require_kind(mime_type: str, kind: str, *, param: str | None) -> None:
    """Refuse a file whose type a message of ``kind`` cannot carry (a sticker is WebP)."""
    allowed = _KIND_TYPES.get(kind)
    if allowed is None:
        raise ValueError(f"unknown media kind {kind!r}")
    if mime_type not in allowed:
        raise MediaTypeUnsupported(
            f"A {kind} message cannot carry a {mime_type} file; "
            f"it takes {', '.join(sorted(allowed))}.",
            param=param,
        )
