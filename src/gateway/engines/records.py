"""What engines answer about contacts, chats and groups, and the group changes they report.

These are also the objects the API returns: an engine fills them in, the gateway adds
nothing but paging. Ids are WhatsApp's: ``…@c.us`` (a phone number), ``…@lid`` (a LID,
WhatsApp's privacy id that hides the number) and ``…@g.us`` (a group).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from gateway.events.types import EventType

PHONE_ID_DESCRIPTION = "The phone-number id (`…@c.us`), when the number is known."
LID_DESCRIPTION = "The LID (`…@lid`), WhatsApp's id that hides the number, when known."


class Contact(BaseModel):
    """Someone the session can reach: from the address book, or met in a chat or group."""

    object: Literal["contact"] = "contact"
    id: str = Field(
        description="The contact's id: the phone-number id when the number is known, "
        "otherwise the LID.",
        examples=["12025550111@c.us"],
    )
    phone_number: str | None = Field(description="E.164, when known.", examples=["+12025550111"])
    phone_id: str | None = Field(description=PHONE_ID_DESCRIPTION, examples=["12025550111@c.us"])
    lid: str | None = Field(description=LID_DESCRIPTION, examples=["184467440737095@lid"])
    name: str | None = Field(
        default=None, description="The name in the phone's address book.", examples=["Ada"]
    )
    push_name: str | None = Field(default=None, description="The name the contact chose.")
    is_business: bool = False
    blocked: bool = Field(default=False, description="Whether the session blocked the contact.")


class NumberCheckError(BaseModel):
    code: str = Field(examples=["invalid_phone_number"])
    message: str


class NumberCheck(BaseModel):
    """Whether one number is on WhatsApp."""

    input: str = Field(description="The number as it was given.", examples=["+1 202 555 0111"])
    phone_number: str | None = Field(description="E.164; null when the input is malformed.")
    on_whatsapp: bool | None = Field(description="Null when the input is malformed.")
    id: str | None = Field(description="The phone-number id, when on WhatsApp.")
    lid: str | None = Field(description=LID_DESCRIPTION)
    error: NumberCheckError | None = Field(
        default=None, description="Why this number could not be checked."
    )


class ProfilePicture(BaseModel):
    object: Literal["profile_picture"] = "profile_picture"
    contact_id: str
    url: str | None = Field(
        description="Where to download the picture; null when there is none or it is "
        "hidden from the session. WhatsApp's links expire after a while."
    )


class ContactAbout(BaseModel):
    object: Literal["contact_about"] = "contact_about"
    contact_id: str
    about: str | None = Field(description="The profile's about text; null when hidden.")


class LidMapping(BaseModel):
    """A LID and the phone number behind it, as far as the session knows it."""

    object: Literal["lid"] = "lid"
    lid: str = Field(examples=["184467440737095@lid"])
    phone_number: str | None = Field(
        description="E.164; null while the number is not known to the session.",
        examples=["+12025550121"],
    )
    phone_id: str | None = Field(description=PHONE_ID_DESCRIPTION)


class LastMessage(BaseModel):
    """A summary of the newest message in a chat."""

    id: str | None = Field(
        default=None,
        description="The gateway's id (`msg_…`) when the gateway saw the message.",
    )
    engine_message_id: str
    from_me: bool
    from_id: str | None = Field(description="The sender (in groups, the participant).")
    type: str = Field(examples=["text"])
    text: str | None = Field(description="The text or caption, when there is one.")
    timestamp: datetime


class Chat(BaseModel):
    object: Literal["chat"] = "chat"
    id: str = Field(description="The chat's id.", examples=["12025550111@c.us"])
    name: str | None = Field(description="The contact's name, or the group's subject.")
    is_group: bool
    unread_count: int = Field(description="Received messages not read yet.")
    marked_unread: bool = Field(description="Marked unread by hand (a bold dot on the phone).")
    archived: bool
    last_message: LastMessage | None
    last_activity_at: datetime | None = Field(description="When the newest message came or went.")


GroupRole = Literal["superadmin", "admin", "member"]


class GroupParticipant(BaseModel):
    id: str = Field(description="The participant's id.", examples=["12025550111@c.us"])
    phone_number: str | None = Field(description="E.164, when known.")
    lid: str | None = Field(description=LID_DESCRIPTION)
    role: GroupRole = Field(description="`superadmin` is the group's creator.")


class GroupSettings(BaseModel):
    only_admins_send: bool = Field(
        default=False, description="Only admins may send messages (an announcement group)."
    )
    only_admins_edit_info: bool = Field(
        default=False, description="Only admins may change the subject, description and picture."
    )


class GroupSettingsUpdate(BaseModel):
    """The settings to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    only_admins_send: bool | None = None
    only_admins_edit_info: bool | None = None


class Group(BaseModel):
    object: Literal["group"] = "group"
    id: str = Field(examples=["120363012345678901@g.us"])
    subject: str = Field(examples=["Order 1042"])
    description: str | None
    picture_url: str | None
    owner: str | None = Field(description="Who created the group.")
    created_at: datetime | None
    settings: GroupSettings
    participants: list[GroupParticipant]


class GroupPreview(BaseModel):
    """What an invite code shows before joining."""

    object: Literal["group_preview"] = "group_preview"
    id: str
    subject: str
    description: str | None
    size: int = Field(description="How many participants the group has.")
    owner: str | None
    created_at: datetime | None


class GroupInvite(BaseModel):
    object: Literal["group_invite"] = "group_invite"
    group_id: str
    code: str = Field(examples=["F8sJ2kLq9XyZ3mN5pR7tV1"])
    url: str = Field(examples=["https://chat.whatsapp.com/F8sJ2kLq9XyZ3mN5pR7tV1"])


ParticipantAction = Literal["add", "remove", "promote", "demote"]


class ParticipantResult(BaseModel):
    participant: str = Field(description="The participant as it was given.")
    id: str | None = Field(description="The participant's id; null when the input is malformed.")
    status: Literal["added", "removed", "promoted", "demoted", "failed"]
    error: NumberCheckError | None = None


class ParticipantsUpdate(BaseModel):
    object: Literal["group_participants_update"] = "group_participants_update"
    action: ParticipantAction
    results: list[ParticipantResult] = Field(description="One result per participant given.")
    group: Group = Field(description="The group after the change.")


# -- what engines report -------------------------------------------------------------------


class GroupChange(BaseModel):
    """A change to a group the session is in; each kind is one event type."""

    event_type: ClassVar[EventType]
    by: str | None = Field(
        default=None, description="Who made the change, when known (the session itself, too)."
    )


class GroupJoined(GroupChange):
    """The session joined a group: it created it, was added, or used an invite."""

    event_type: ClassVar[EventType] = EventType.group_joined
    via: Literal["created", "added", "invite"]
    group: Group


class GroupLeft(GroupChange):
    """The session is no longer in a group: it left, or was removed."""

    event_type: ClassVar[EventType] = EventType.group_left
    reason: Literal["left", "removed"]
    group_id: str
    subject: str | None = None


class GroupUpdated(GroupChange):
    """The group's subject, description, picture or settings changed."""

    event_type: ClassVar[EventType] = EventType.group_updated
    changes: list[Literal["subject", "description", "picture", "settings"]]
    group: Group


class GroupParticipantsChanged(GroupChange):
    """Participants were added, removed, promoted or demoted, or joined or left."""

    event_type: ClassVar[EventType] = EventType.group_participants
    group_id: str
    action: Literal["add", "remove", "promote", "demote", "join", "leave"]
    participants: list[GroupParticipant]


class PresenceUpdate(BaseModel):
    """A contact came online, went offline, or is typing or recording."""

    chat_id: str = Field(description="The chat: the contact's, or a group's.")
    participant_id: str = Field(description="Whose presence it is.")
    presence: Literal["available", "unavailable", "composing", "recording", "paused"]
    last_seen_at: datetime | None = Field(default=None, description="When shared.")


class IncomingCall(BaseModel):
    """Someone is calling the session (a call the gateway does not answer)."""

    call_id: str = Field(description="WhatsApp's id of the call.")
    chat_id: str = Field(description="The caller's chat, or the group's for a group call.")
    from_id: str = Field(description="Who calls (`…@c.us`, or `…@lid` for LID-only callers).")
    from_phone_number: str | None = Field(default=None, description="E.164, when known.")
    from_lid: str | None = Field(default=None, description="The caller's LID, when known.")
    group_id: str | None = Field(default=None, description="Set for group calls.")
    video: bool = Field(default=False, description="A video call.")
    offered_at: datetime
