from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

ExportStatus = Literal["queued", "running", "succeeded", "failed", "expired"]

# Bumped when a kind's file changes shape in a way a reader of older archives must know.
FORMAT_VERSION = 1


class ExportOut(BaseModel):
    object: Literal["export"] = "export"
    id: str = Field(examples=["exp_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    status: ExportStatus
    progress: float = Field(ge=0, le=1, description="Share of the rows written so far, 0 to 1.")
    counts: dict[str, int] = Field(
        description="Objects in the archive per kind (`sessions`, `messages` …), once ready."
    )
    size: int | None = Field(description="The zip's size in bytes, once ready.")
    download_url: str | None = Field(
        description="Where the zip is downloaded (with the API key) while it is ready."
    )
    error: str | None
    created_at: datetime
    completed_at: datetime | None
    expires_at: datetime | None = Field(description="When the archive is deleted.")


class ExportedContact(BaseModel):
    """A contact as a session's phone stored it (the sandbox network's address book)."""

    session_id: str
    phone_number: str
    lid: str
    push_name: str | None
    blocked: bool
    updated_at: datetime


class ExportedChat(BaseModel):
    """A chat as the gateway stores it for a session (the sandbox's or a web session's
    chat list); its messages are in `messages.jsonl`."""

    session_id: str
    id: str
    name: str | None
    archived: bool
    last_message: dict[str, Any] | None
    last_activity_at: datetime | None


class Manifest(BaseModel):
    format_version: int = FORMAT_VERSION
    export_id: str
    account_id: str
    created_at: datetime
    counts: dict[str, int]
