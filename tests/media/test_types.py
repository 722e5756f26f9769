from __future__ import annotations

import pytest

from gateway.media.types import DOCX, MSEXCEL, MediaTypeUnsupported, classify, require_kind, sniff
from tests.media import samples


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (samples.PNG, "image/png"),
        (samples.JPEG, "image/jpeg"),
        (samples.GIF, "image/gif"),
        (samples.WEBP, "image/webp"),
        (samples.PDF, "application/pdf"),
        (samples.ZIP, "application/zip"),
        (samples.MP4, "video/mp4"),
        (samples.M4A, "audio/mp4"),
        (samples.THREE_GP, "video/3gpp"),
        (samples.OGG, "audio/ogg"),
        (samples.MP3, "audio/mpeg"),
        (samples.MP3_FRAME, "audio/mpeg"),
        (samples.AAC, "audio/aac"),
        (samples.AMR, "audio/amr"),
    ],
)
def test_undeclared_files_get_the_type_their_bytes_show(content: bytes, expected: str) -> None:
    assert sniff(content) is not None
    assert classify(content, None, None, param="file") == expected
    assert classify(content, "application/octet-stream", None, param="file") == expected


def test_bytes_that_prove_nothing() -> None:
    assert sniff(samples.TEXT) is None
    assert sniff("\ufeffUTF-16 text".encode("utf-16")) is None  # its mark is no MP3 frame
    assert classify(samples.TEXT, None, None, param="f") == "application/octet-stream"
    assert classify(samples.TEXT, None, "notes.txt", param="f") == "text/plain"
    assert classify(samples.TEXT, "text/plain; charset=utf-8", None, param="f") == "text/plain"


def test_a_declared_type_more_precise_than_the_bytes_is_kept() -> None:
    assert classify(samples.ZIP, DOCX, "cv.docx", param="f") == DOCX
    assert classify(samples.ZIP, None, "cv.docx", param="f") == DOCX
    assert classify(samples.DOC, None, "sheet.xls", param="f") == MSEXCEL
    assert classify(samples.MP4, "audio/mp4", None, param="f") == "audio/mp4"
    assert classify(samples.JPEG, "image/jpg", None, param="f") == "image/jpeg"
    assert classify(samples.OGG, "audio/ogg; codecs=opus", None, param="f") == "audio/ogg"


def test_a_filename_never_overrules_the_bytes() -> None:
    assert classify(samples.JPEG, None, "photo.png", param="f") == "image/jpeg"


@pytest.mark.parametrize(
    ("content", "declared"),
    [
        (samples.JPEG, "image/png"),
        (samples.HTML, "image/jpeg"),
        (samples.PDF, "video/mp4"),
        (samples.PNG, "text/plain"),
        (samples.TEXT, "application/pdf"),
        (samples.HTML, "text/html"),
        (samples.PNG, "image/svg+xml"),
        (samples.PNG, "application/x-msdownload"),
    ],
)
def test_contradicting_or_unsupported_types_are_refused(content: bytes, declared: str) -> None:
    with pytest.raises(MediaTypeUnsupported) as caught:
        classify(content, declared, None, param="media")
    assert caught.value.code == "media_type_unsupported"
    assert caught.value.param == "media"
    assert caught.value.status_code == 422


@pytest.mark.parametrize(
    ("mime_type", "kind", "allowed"),
    [
        ("image/jpeg", "image", True),
        ("image/webp", "image", True),
        ("application/pdf", "image", False),
        ("video/mp4", "video", True),
        ("image/gif", "video", False),
        ("audio/ogg", "audio", True),
        ("audio/ogg", "voice", True),
        ("video/mp4", "audio", False),
        ("image/webp", "sticker", True),
        ("image/png", "sticker", False),
        ("application/pdf", "document", True),
        ("image/png", "document", True),
        ("application/octet-stream", "document", True),
    ],
)
def test_message_kinds_take_their_types(mime_type: str, kind: str, allowed: bool) -> None:
    if allowed:
        require_kind(mime_type, kind, param="media")
    else:
        with pytest.raises(MediaTypeUnsupported, match=f"A {kind} message cannot carry"):
            require_kind(mime_type, kind, param="media")
