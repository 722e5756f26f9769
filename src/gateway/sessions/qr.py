"""QR codes as images: a real PNG a phone can scan."""

from __future__ import annotations

import base64
import io

import segno


def qr_png(value: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(value, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_data_uri(value: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(value)).decode()
