"""The engine protocol: what every WhatsApp engine implements and reports.

An engine runs one session. The engine host constructs it, runs ``run()`` as a task for
as long as the session should be connected (cancelling the task stops it), and calls the
other operations while it runs. Engines never write session state themselves: they
report what happens through ``EngineEvents``, which the host turns into rows and events.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Protocol

import httpx
from arq.connections import ArqRedis
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.engines.records import (
    Chat,
    Contact,
    ContactAbout,
    Group,
    GroupChange,
    GroupInvite,
    GroupPreview,
    GroupSettingsUpdate,
    IncomingCall,
    LidMapping,
    NumberCheck,
    ParticipantAction,
    ParticipantsUpdate,
    PresenceUpdate,
    ProfilePicture,
)
from gateway.kit.errors import GatewayError


class SessionStatus(StrEnum):
    """WAHA's names, so their users feel at home."""

    STOPPED = "STOPPED"
    STARTING = "STARTING"
    SCAN_QR_CODE = "SCAN_QR_CODE"
    WORKING = "WORKING"
    FAILED = "FAILED"


class Capability(StrEnum):
    """Operations an engine may or may not support; the API answers 501 for the rest."""

    qr = "qr"
    pairing_code = "pairing_code"
    logout = "logout"
    me = "me"
    send_text = "send_text"
    send_image = "send_image"
    send_video = "send_video"
    send_audio = "send_audio"
    send_document = "send_document"
    send_sticker = "send_sticker"
    send_location = "send_location"
    send_contact = "send_contact"
    send_reaction = "send_reaction"
    send_poll = "send_poll"
    send_interactive = "send_interactive"
    send_template = "send_template"
    templates = "templates"
    edit = "edit"
    revoke = "revoke"
    mark_read = "mark_read"
    typing = "typing"
    contacts = "contacts"
    contacts_check = "contacts_check"
    contact_profile = "contact_profile"
    contacts_block = "contacts_block"
    lids = "lids"
    chats = "chats"
    chats_manage = "chats_manage"
    groups = "groups"
    groups_manage = "groups_manage"
    group_invites = "group_invites"


class EngineUnsupported(GatewayError):
    status_code = 501
    type = "invalid_request_error"
    code = "engine_unsupported"

    def __init__(self, engine: str, operation: Capability | str) -> None:
        operation = getattr(operation, "value", operation)
        super().__init__(f"The {engine} engine does not support {operation}.", param=None)
        self.engine = engine
        self.operation = operation


class EngineFailure(GatewayError):
    """The WhatsApp side failed or is not reachable."""

    status_code = 502
    type = "engine_error"
    code = "engine_failure"


class Me(BaseModel):
    """The account a session is linked to."""

    id: str = Field(description="WhatsApp id of the linked number.", examples=["12025550123@c.us"])
    phone_number: str | None = Field(default=None, examples=["+12025550123"])
    push_name: str | None = Field(default=None, description="The profile name.")
    verified_name: str | None = Field(
        default=None, description="The business name Meta verified (cloud engine)."
    )
    quality_rating: str | None = Field(
        default=None,
        examples=["GREEN"],
        description="Meta's quality rating of the number: GREEN, YELLOW or RED (cloud engine).",
    )


class InboundMedia(BaseModel):
    id: str | None = Field(
        default=None, description="The stored file (`med_…`): download it from /v1/media."
    )
    mime_type: str
    filename: str | None = None
    size: int | None = None
    caption: str | None = None
    data_base64: str | None = Field(
        default=None,
        exclude=True,
        description="How an engine hands the bytes over; stored, then dropped.",
    )


class InboundMessage(BaseModel):
    """A message the session received, as an engine reports it."""

    engine_message_id: str = Field(description="The engine's id of the message.")
    chat_id: str = Field(description="The chat: the sender's id, or the group's.")
    from_id: str = Field(description="Who sent it (`…@c.us`, or `…@lid` for LID-only senders).")
    from_phone_number: str | None = Field(default=None, description="E.164, when known.")
    from_lid: str | None = Field(default=None, description="The sender's LID, when known.")
    from_name: str | None = None
    group_id: str | None = Field(default=None, description="Set for group messages.")
    type: str = Field(examples=["text", "image", "document"])
    text: str | None = None
    media: InboundMedia | None = None
    voice: bool | None = Field(default=None, description="An audio message that is a voice note.")
    location: dict[str, Any] | None = Field(
        default=None, description="`latitude`, `longitude`, and `name`, `address`, `url` if given."
    )
    contacts: list[dict[str, Any]] | None = Field(
        default=None, description="Shared contact cards (`name`, `phones`, `emails` …)."
    )
    reaction: dict[str, Any] | None = Field(
        default=None, description="`message_id` and `emoji` of a reaction to a message."
    )
    interactive: dict[str, Any] | None = Field(
        default=None,
        description="What a tap on a button or list answered: `kind`, `id`, `title`, "
        "`description` (cloud engine).",
    )
    raw: dict[str, Any] | None = Field(
        default=None, description="The engine's own object of the message (Meta's, on cloud)."
    )
    timestamp: datetime


class InboundEdit(BaseModel):
    """The sender changed the text (or caption) of a message the session received."""

    engine_message_id: str = Field(description="The engine's id of the message edited.")
    chat_id: str
    from_id: str
    text: str
    edited_at: datetime


class InboundRevoke(BaseModel):
    """A message the session received was deleted for everyone."""

    engine_message_id: str = Field(description="The engine's id of the message deleted.")
    chat_id: str
    from_id: str = Field(description="Who deleted it: its sender, or a group admin.")
    by_admin: bool = False
    revoked_at: datetime


@dataclass(frozen=True)
class OutboundMessage:
    """What an engine sends: the gateway's message, ready for the wire."""

    id: str
    chat_id: str
    type: str
    content: dict[str, Any]
    reply_to_engine_id: str | None = None


class SendFailed(Exception):
    """A send the engine could not make. ``transient`` failures are retried with backoff
    (after ``retry_after`` seconds when the other side said so); others fail the message
    with ``code``."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        transient: bool,
        retry_after: float | None = None,
        engine_code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = transient
        self.retry_after = retry_after
        self.engine_code = engine_code  # the engine's own code for it (a Graph error code)


@dataclass(frozen=True)
class MessageAck:
    """WhatsApp's ticks for a message the session sent: ``delivered``, ``read`` or
    ``played`` (a voice note listened to), and when."""

    engine_message_id: str
    status: str
    at: datetime


@dataclass(frozen=True)
class EngineSession:
    """What an engine knows of its session."""

    id: str
    account_id: str
    name: str
    engine: str
    config: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EngineResources:
    """Process-wide resources an engine may use (the sandbox keeps its network in PG)."""

    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    redis: ArqRedis
    # The process's pooled client for third-party APIs (Meta's Graph); None: engines
    # that need one open their own.
    http: httpx.AsyncClient | None = None


class EngineEvents(Protocol):
    """The one callback interface through which an engine reports what happens."""

    async def status(self, status: SessionStatus, reason: str | None = None) -> None: ...

    async def qr(self, value: str, expires_at: datetime) -> None: ...

    async def linked(self, me: Me) -> None:
        """The session is linked to ``me`` and WORKING."""
        ...

    async def message_received(
        self, message: InboundMessage, *, media_content: bytes | None = None
    ) -> None:
        """A message the session received; its file's bytes, if the engine has them, in
        ``media_content`` (else ``message.media.data_base64``, or none)."""
        ...

    async def message_edited(self, edit: InboundEdit) -> None:
        """A received message was edited by its sender."""
        ...

    async def message_revoked(self, revoke: InboundRevoke) -> None:
        """A received message was deleted for everyone."""
        ...

    async def message_ack(self, engine_message_id: str, status: str) -> None:
        """A sent message was ``delivered``, ``read`` or ``played``."""
        ...

    async def message_acks(self, acks: Sequence[MessageAck]) -> list[MessageAck]:
        """Several acks at once, recorded together. Returns the acks whose message the
        gateway does not know (yet): its send may still be being recorded, so report them
        again shortly; an ack for a message already as far along is not among them."""
        ...

    # ``key``: the engine's id of the notification, the same each time it is reported
    # (an engine that crashed before acknowledging it reports it again): one event per
    # key and session. None when the engine has none; the event is then published each
    # time.

    async def group_changed(self, change: GroupChange, *, key: str | None = None) -> None:
        """A group the session is in (or was in) changed."""
        ...

    async def presence(self, update: PresenceUpdate, *, key: str | None = None) -> None: ...

    async def call_received(self, call: IncomingCall, *, key: str | None = None) -> None:
        """Someone is calling the session."""
        ...


class Engine(ABC):
    name: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]]
    # Whether outbound messages are spread out unless the session's pacing says: for
    # engines that can be banned for sending like a machine (WhatsApp Web).
    paced_by_default: ClassVar[bool] = False

    def __init__(
        self, session: EngineSession, events: EngineEvents, resources: EngineResources
    ) -> None:
        self.session = session
        self.events = events
        self.resources = resources

    @classmethod
    def supports(cls, capability: Capability, config: dict[str, Any]) -> bool:
        """Whether the engine, configured so, supports ``capability``."""
        return capability in cls.capabilities

    @abstractmethod
    async def run(self) -> None:
        """Connect and stay connected until cancelled; an exception is a crash, after
        which the host starts a new engine with backoff."""

    @abstractmethod
    async def logout(self) -> None:
        """Forget the link (credentials); works whether or not ``run`` is running."""

    async def send(self, message: OutboundMessage) -> str:
        """Send ``message``; returns the engine's id of it. Must be safe to call twice
        for one ``message.id`` (a delivery can be retried after a crash): engines that
        can, deduplicate; raise ``SendFailed`` when it cannot be sent."""
        raise EngineUnsupported(self.name, f"send_{message.type}")

    async def request_pairing_code(self, phone_number: str) -> str:
        """A code to type on the phone instead of scanning the QR code."""
        raise EngineUnsupported(self.name, Capability.pairing_code)

    async def edit(self, engine_message_id: str, chat_id: str, text: str) -> None:
        """Replace the text of a text message this session sent."""
        raise EngineUnsupported(self.name, Capability.edit)

    async def revoke(self, engine_message_id: str, chat_id: str) -> None:
        """Delete a message this session sent, for everyone in the chat."""
        raise EngineUnsupported(self.name, Capability.revoke)

    async def mark_read(self, chat_id: str) -> None:
        """Mark the chat's received messages read (blue ticks, if the user shows them)."""
        raise EngineUnsupported(self.name, Capability.mark_read)

    async def typing(self, chat_id: str, on: bool) -> None:
        """Show (``on``) or stop showing "typing…" in the chat."""
        raise EngineUnsupported(self.name, Capability.typing)

    # -- contacts, chats and groups: engines that lack them answer 501 -------------------

    async def contacts(self) -> list[Contact]:
        """Every contact the session knows: the address book and the people it met."""
        raise EngineUnsupported(self.name, Capability.contacts)

    async def contact(self, contact_id: str) -> Contact:
        """One contact, by phone-number id or LID (404 ``contact_not_found``)."""
        raise EngineUnsupported(self.name, Capability.contacts)

    async def check_numbers(self, phone_numbers: list[str]) -> list[NumberCheck]:
        """Which of these E.164 numbers are on WhatsApp, in the order given."""
        raise EngineUnsupported(self.name, Capability.contacts_check)

    async def profile_picture(self, contact_id: str) -> ProfilePicture:
        raise EngineUnsupported(self.name, Capability.contact_profile)

    async def about(self, contact_id: str) -> ContactAbout:
        raise EngineUnsupported(self.name, Capability.contact_profile)

    async def block(self, contact_id: str, blocked: bool) -> Contact:
        """Block (or unblock) a contact; answers the contact as it is now."""
        raise EngineUnsupported(self.name, Capability.contacts_block)

    async def lid(self, lid: str) -> LidMapping:
        """The phone number behind a LID, if the session knows it."""
        raise EngineUnsupported(self.name, Capability.lids)

    async def lid_by_phone(self, phone_number: str) -> LidMapping:
        """The LID of an E.164 number (404 ``contact_not_found`` if not on WhatsApp)."""
        raise EngineUnsupported(self.name, Capability.lids)

    async def chats(self) -> list[Chat]:
        """Every chat of the session, most recently active first."""
        raise EngineUnsupported(self.name, Capability.chats)

    async def chat(self, chat_id: str) -> Chat:
        """One chat (404 ``chat_not_found``)."""
        raise EngineUnsupported(self.name, Capability.chats)

    async def archive_chat(self, chat_id: str, archived: bool) -> Chat:
        raise EngineUnsupported(self.name, Capability.chats_manage)

    async def mark_chat_unread(self, chat_id: str) -> Chat:
        raise EngineUnsupported(self.name, Capability.chats_manage)

    async def delete_chat(self, chat_id: str) -> None:
        """Remove the chat (and its history) from the session's chat list."""
        raise EngineUnsupported(self.name, Capability.chats_manage)

    async def groups(self) -> list[Group]:
        """The groups the session is in."""
        raise EngineUnsupported(self.name, Capability.groups)

    async def group(self, group_id: str) -> Group:
        """One group the session is in (404 ``group_not_found``)."""
        raise EngineUnsupported(self.name, Capability.groups)

    async def create_group(self, subject: str, participants: list[str]) -> Group:
        """A new group of the session and ``participants`` (phone-number ids or LIDs)."""
        raise EngineUnsupported(self.name, Capability.groups_manage)

    async def update_group(
        self,
        group_id: str,
        *,
        subject: str | None = None,
        description: str | None = None,
        picture_id: str | None = None,
        remove_picture: bool = False,
        settings: GroupSettingsUpdate | None = None,
    ) -> Group:
        """Change what is given; ``description=""`` clears it. The picture is a stored
        image (``med_…``) the engine reads from media storage."""
        raise EngineUnsupported(self.name, Capability.groups_manage)

    async def update_participants(
        self, group_id: str, action: ParticipantAction, participants: list[str]
    ) -> ParticipantsUpdate:
        """Add, remove, promote or demote each participant: one result each, in order, and
        the group afterwards."""
        raise EngineUnsupported(self.name, Capability.groups_manage)

    async def leave_group(self, group_id: str) -> None:
        raise EngineUnsupported(self.name, Capability.groups_manage)

    async def group_invite(self, group_id: str, *, revoke: bool = False) -> GroupInvite:
        """The group's invite link; ``revoke`` replaces it with a new one first."""
        raise EngineUnsupported(self.name, Capability.group_invites)

    async def group_preview(self, code: str) -> GroupPreview:
        """What an invite code leads to (404 ``invite_not_found``)."""
        raise EngineUnsupported(self.name, Capability.group_invites)

    async def join_group(self, code: str) -> Group:
        raise EngineUnsupported(self.name, Capability.group_invites)

    def poke(self) -> None:  # noqa: B027 - optional hook
        """Something changed for this session (a nudge): look again now. Engines that
        learn of changes by themselves ignore it."""

    @classmethod
    async def sweep(cls, resources: EngineResources, engines: Sequence[Engine]) -> None:
        """The host's slow safety sweep over its running engines of this class (every
        ``SWEEP_SECONDS``): poke those that missed a change, in case a nudge was lost.
        One query for all of them, never one per session."""
        return None
