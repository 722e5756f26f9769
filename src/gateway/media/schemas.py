from __future__ import annotations

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
