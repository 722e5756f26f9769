from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class MediaSource(BaseModel):
    """Where a message's file comes from: exactly one of ``media_id``, ``url``, ``base64``."""

    model_config = ConfigDict(extra="forbid")

    media_id: str | None = Field(
        default=None, max_length=64, description="An uploaded file (`med_…`)."
    )
    url: str | None = Field(
        default=None, max_length=2048, description="Fetched by the gateway (http/https, public)."
    )
    base64: str | None = Field(default=None, description="The file itself, base64-encoded.")
    mime_type: str | None = Field(
        default=None, max_length=127, description="Required with `base64`; else detected."
    )
    filename: str | None = Field(default=None, max_length=255)

    @model_validator(mode="after")
    def _exactly_one_source(self) -> MediaSource:
        given = [n for n in ("media_id", "url", "base64") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of media_id, url or base64")
        return self


class MediaOut(BaseModel):
    """A stored file. Its bytes are at `GET /v1/media/{id}/content`."""

    model_config = ConfigDict(from_attributes=True)

    id: str = Field(examples=["med_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    object: Literal["media"] = "media"
    mime_type: str = Field(examples=["image/jpeg"], description="Checked against the content.")
    size: int = Field(examples=[48213], description="In bytes.")
    filename: str | None = Field(examples=["invoice.pdf"])
    sha256: str = Field(description="Hex SHA-256 of the content.")
    source: Literal["upload", "url", "base64", "inbound"] = Field(
        description="How the file arrived: uploaded, fetched or decoded for a message, "
        "or received by a session."
    )
    session_id: str | None = Field(description="The session that sent or received it.")
    url: str = Field(
        description="Where to download the content (with the API key).",
        examples=["https://gateway.example.com/v1/media/med_01JA2B3C4D5E6F7G8H9J0KMNPQ/content"],
    )
    created_at: datetime
