"""Media: storing files and resolving the files messages refer to."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.config import Settings
from gateway.media.schemas import MediaSource
from gateway.models import Media


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
    """The stored file a message of type ``kind`` sends, fetching or decoding it first."""
    raise NotImplementedError
