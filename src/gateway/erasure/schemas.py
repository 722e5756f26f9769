from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ContactErasureRequest(BaseModel):
    """Exactly one of `phone_number` and `lid`."""

    model_config = ConfigDict(extra="forbid")

    phone_number: str | None = Field(
        default=None, max_length=32, description="The contact's number, in international format."
    )
    lid: str | None = Field(default=None, max_length=64, description="The contact's LID (`…@lid`).")


class ContactErasure(BaseModel):
    """What an erasure removed, per kind. `messages_anonymised` counts the messages kept
    for billing, emptied of the contact and the content."""

    object: Literal["contact_erasure"] = "contact_erasure"
    identifier: Literal["phone_number", "lid"]
    counts: dict[str, int]
    erased_at: datetime


class AccountDeleted(BaseModel):
    object: Literal["account"] = "account"
    id: str
    deleted: Literal[True] = True
    counts: dict[str, int]
