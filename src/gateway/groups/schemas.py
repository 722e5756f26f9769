from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gateway.engines.records import GroupSettingsUpdate

MAX_PARTICIPANTS = 256
Participants = list[str]


class GroupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=100, examples=["Order 1042"])
    participants: Participants = Field(
        min_length=1,
        max_length=MAX_PARTICIPANTS,
        description="Phone numbers, phone-number ids (`…@c.us`) or LIDs (`…@lid`).",
        examples=[["+12025550111", "+12025550112", "+12025550113"]],
    )


class PictureSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    media_id: str = Field(
        max_length=40, description="An uploaded JPEG or PNG image (`med_…`).", examples=["med_…"]
    )


class GroupUpdate(BaseModel):
    """What to change; what is left out stays. `picture: null` removes the picture."""

    model_config = ConfigDict(extra="forbid")

    subject: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(
        default=None, max_length=2048, description="An empty string clears it."
    )
    picture: PictureSource | None = None
    settings: GroupSettingsUpdate | None = None


class ParticipantsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    participants: Participants = Field(
        min_length=1,
        max_length=MAX_PARTICIPANTS,
        description="Phone numbers, phone-number ids or LIDs. Each gets its own result.",
        examples=[["+12025550113"]],
    )


class GroupJoinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        max_length=100,
        description="The invite code, or the whole invite link.",
        examples=["https://chat.whatsapp.com/F8sJ2kLq9XyZ3mN5pR7tV1"],
    )


class GroupLeft(BaseModel):
    object: Literal["group_membership"] = "group_membership"
    group_id: str
    left: Literal[True] = True
    left_at: datetime
