"""The events a child reports about what the session received (``neonize_inbound`` makes
them, ``inbound_report`` reports them to the host).

Ids are ours (``…@c.us``, ``…@lid``, ``…@g.us``, see ``neonize_jids``); message ids are
WhatsApp's. A sender is named by its phone-number id when WhatsApp gave the number, else
by its LID, and carries both (``from_phone_number``, ``from_lid``) as far as they are
known. Files never travel inside a line: a received file is written into the session's
directory and its path is in the event; the host stores it and deletes it.

The child imports this module: it must stay light (pydantic and the engine records only).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, model_validator

from gateway.engines.records import (
    GroupChange,
    GroupJoined,
    GroupLeft,
    GroupParticipantsChanged,
    GroupUpdated,
    PresenceUpdate,
)
from gateway.engines.web.chat_events import ChatsSyncedData
from gateway.engines.web.event_data import EventData


def notification_key(*parts: Any) -> str:
    """The key of a notification (``EngineEvents``' ``key``), made from what WhatsApp sent:
    the same parts each time it is delivered, so one delivered again after a crash before
    its acknowledgement makes no second event. Callers pass something of the notification
    that tells it from a later, alike one (a timestamp, a version, an id)."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return "web:" + hashlib.sha256(canonical.encode()).hexdigest()[:40]


class ReceivedFile(BaseModel):
    """A received message's file: in the session's directory at ``path``, or not
    downloaded (``path`` null, ``error`` says why)."""

    path: str | None = None
    mime_type: str = "application/octet-stream"
    filename: str | None = None
    caption: str | None = None
    error: str | None = None


class Sender(BaseModel):
    """Who sent something: ``id`` is the phone-number id when known, else the LID."""

    from_id: str
    from_phone_number: str | None = None
    from_lid: str | None = None
    from_name: str | None = None


class MessageReceivedData(Sender, EventData):
    """A message of any kind: ``message_type`` is the gateway's (``text``, ``image`` …,
    ``reaction``, ``poll``); what the gateway has no field for (the quoted message, a
    poll's options, view once …) is in ``raw``."""

    type: Literal["message_received"] = "message_received"
    message_id: str
    chat_id: str
    group_id: str | None = None
    message_type: str = "text"
    text: str | None = None
    media: ReceivedFile | None = None
    voice: bool | None = None
    location: dict[str, Any] | None = None
    contacts: list[dict[str, Any]] | None = None
    # ``engine_message_id`` (WhatsApp's id of the message reacted to) and ``emoji``.
    reaction: dict[str, Any] | None = None
    quoted_message_id: str | None = None  # WhatsApp's id of the message replied to
    raw: dict[str, Any] | None = None
    timestamp: datetime


class MessageEditedData(Sender, EventData):
    """The sender changed the text (or caption) of a message the session received."""

    type: Literal["message_edited"] = "message_edited"
    message_id: str  # WhatsApp's id of the message edited
    chat_id: str
    text: str
    edited_at: datetime


class MessageRevokedData(Sender, EventData):
    """A message the session received was deleted for everyone, by its sender or, in a
    group, by an admin (``by_admin``; the sender fields then name the admin)."""

    type: Literal["message_revoked"] = "message_revoked"
    message_id: str  # WhatsApp's id of the message deleted
    chat_id: str
    by_admin: bool = False
    revoked_at: datetime


class PresenceData(PresenceUpdate, EventData):
    """A contact came online or went offline, or is typing or recording in a chat.
    ``key`` only for a presence WhatsApp dates (offline, with the last seen time): a
    typing state carries nothing that tells it from the next one alike."""

    type: Literal["presence"] = "presence"
    key: str | None = None


GroupEvent = Literal["group.joined", "group.left", "group.updated", "group.participants"]
GROUP_CHANGES: dict[str, type[GroupChange]] = {
    kind.event_type.value: kind
    for kind in (GroupJoined, GroupLeft, GroupUpdated, GroupParticipantsChanged)
}


class GroupChangedData(EventData):
    """A change to a group the session is in: ``change`` is the ``GroupChange`` of the
    kind ``event`` names (``records``)."""

    type: Literal["group_changed"] = "group_changed"
    event: GroupEvent
    change: dict[str, Any]
    key: str | None = None

    @classmethod
    def of(cls, change: GroupChange, key: str | None = None) -> GroupChangedData:
        return cls(event=change.event_type.value, change=change.model_dump(mode="json"), key=key)  # type: ignore[arg-type]

    @model_validator(mode="after")
    def _change_is_its_kind(self) -> GroupChangedData:
        GROUP_CHANGES[self.event].model_validate(self.change)
        return self

    def group_change(self) -> GroupChange:
        return GROUP_CHANGES[self.event].model_validate(self.change)


class CallReceivedData(Sender, EventData):
    """Someone is calling the session (the call rings; the gateway does not answer it)."""

    type: Literal["call_received"] = "call_received"
    key: str | None = None
    call_id: str
    chat_id: str
    group_id: str | None = None
    video: bool = False
    offered_at: datetime


INBOUND_EVENT_DATA: dict[str, type[EventData]] = {
    model.model_fields["type"].default: model
    for model in (
        MessageReceivedData,
        MessageEditedData,
        MessageRevokedData,
        PresenceData,
        GroupChangedData,
        CallReceivedData,
        ChatsSyncedData,
    )
}
