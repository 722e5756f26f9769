from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gateway.kit.phone import GROUP_ID_PATTERN


class LinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone_number: str | None = Field(
        default=None,
        max_length=32,
        description="The simulated phone's number; default: the one a pairing code was "
        "requested for, else a random fictional number.",
    )
    push_name: str | None = Field(default=None, max_length=100, examples=["Ada"])


class InboundMediaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mime_type: str = Field(max_length=100, examples=["image/jpeg"])
    data_base64: str = Field(max_length=700_000, description="The file, base64 (≤ 512 KiB).")
    filename: str | None = Field(default=None, max_length=255)
    caption: str | None = Field(default=None, max_length=4096)


class InboundRequest(BaseModel):
    """A message from someone to the session, as the simulated network delivers it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from", max_length=32, examples=["+12025550199"])
    from_lid: str | None = Field(
        default=None,
        pattern=r"^\d{5,20}@lid$",
        description="Send as a LID-only contact (`…@lid`), whose number stays hidden.",
    )
    from_name: str | None = Field(default=None, max_length=100)
    text: str | None = Field(default=None, max_length=65_536)
    media: InboundMediaIn | None = None
    group_id: str | None = Field(
        default=None,
        pattern=GROUP_ID_PATTERN,
        description="Send to a group the session and the sender are in.",
        examples=["120363012345678901@g.us"],
    )

    @model_validator(mode="after")
    def _has_content(self) -> InboundRequest:
        if self.text is None and self.media is None:
            raise ValueError("give text or media")
        return self


class PresenceRequest(BaseModel):
    """A contact's presence, as the simulated network reports it to the session."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from", max_length=32, examples=["+12025550111"])
    presence: Literal["available", "unavailable", "composing", "recording", "paused"]
    group_id: str | None = Field(
        default=None,
        pattern=GROUP_ID_PATTERN,
        description="Typing in this group rather than in the direct chat.",
    )


class SandboxDeviceOut(BaseModel):
    object: Literal["sandbox_device"] = "sandbox_device"
    session_id: str
    linked: bool
    phone_number: str | None
    push_name: str | None
    linked_at: datetime | None


class InboundAccepted(BaseModel):
    id: str = Field(examples=["sbx_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    object: Literal["sandbox_inbound"] = "sandbox_inbound"
    session_id: str
    status: Literal["pending"] = Field(
        default="pending", description="Delivered to the session as soon as it is WORKING."
    )
