"""A request's raw body, for routes that check a signature over the exact bytes sent."""

from __future__ import annotations

from starlette.requests import Request

from gateway.kit.errors import PayloadTooLarge


async def raw_body(request: Request, limit: int) -> bytes:
    """The body as sent, counted as it comes: past ``limit`` bytes, 413 before the rest
    is read."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"Request body exceeds the limit of {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)
