"""Request and response shapes of messages. The send body is discriminated by ``type``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gateway.media.schemas import MediaSource
from gateway.messages.cloud_types import Interactive, TemplateMessage

CHAT_ID_DESCRIPTION = (
    "A phone number in international format (`+12025550123`, normalised to E.164) or a "
    "chat id (`12025550123@c.us`, a group's `…@g.us`)."
)


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, BaseModel):
        return any(_has_nul(item) for item in value.__dict__.values())
    return False


class _Send(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        # PostgreSQL cannot store NUL in text or JSONB: refuse it by name instead of failing.
        if _has_nul(value):
            raise ValueError("must not contain NUL characters")
        return value

    chat_id: str = Field(max_length=64, description=CHAT_ID_DESCRIPTION, examples=["+12025550123"])
    reply_to: str | None = Field(
        default=None, max_length=64, description="Quote this message (`msg_…`) of the chat."
    )
    send_at: datetime | None = Field(
        default=None, description="Send later, at this time (the message is `scheduled`)."
    )
    expires_at: datetime | None = Field(
        default=None, description="Give up retrying after this; default 24 hours after sending."
    )


class TextSend(_Send):
    type: Literal["text"]
    text: str = Field(min_length=1, max_length=65_536)
    link_preview: bool = Field(default=True, description="Show a preview of the first link.")
    mentions: list[str] = Field(
        default_factory=list, max_length=256, description="Phone numbers or ids to mention."
    )


class _MediaSend(_Send):
    media: MediaSource


class ImageSend(_MediaSend):
    type: Literal["image"]
    caption: str | None = Field(default=None, max_length=4096)


class VideoSend(_MediaSend):
    type: Literal["video"]
    caption: str | None = Field(default=None, max_length=4096)


class AudioSend(_MediaSend):
    type: Literal["audio"]
    voice: bool = Field(default=False, description="Send as a voice note (push-to-talk).")


class DocumentSend(_MediaSend):
    type: Literal["document"]
    filename: str | None = Field(default=None, max_length=255)
    caption: str | None = Field(default=None, max_length=4096)


class StickerSend(_MediaSend):
    type: Literal["sticker"]


class LocationSend(_Send):
    type: Literal["location"]
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    name: str | None = Field(default=None, max_length=256)
    address: str | None = Field(default=None, max_length=512)


class ContactSend(_Send):
    type: Literal["contact"]
    vcard: str = Field(max_length=16_384, description="A vCard (`BEGIN:VCARD` … `END:VCARD`).")
    name: str | None = Field(default=None, max_length=256, description="Shown in the chat.")

    @field_validator("vcard")
    @classmethod
    def _is_vcard(cls, value: str) -> str:
        stripped = value.strip()
        if not (
            stripped.upper().startswith("BEGIN:VCARD") and stripped.upper().endswith("END:VCARD")
        ):
            raise ValueError("must be a vCard from BEGIN:VCARD to END:VCARD")
        return stripped


class ReactionSend(_Send):
    type: Literal["reaction"]
    message_id: str = Field(max_length=64, description="The message (`msg_…`) to react to.")
    emoji: str = Field(max_length=16, description="One emoji; empty removes the reaction.")


class PollSend(_Send):
    type: Literal["poll"]
    question: str = Field(min_length=1, max_length=255)
    options: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        min_length=2, max_length=12
    )
    multiple_answers: bool = False

    @field_validator("options")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("options must be distinct")
        return value


class InteractiveSend(_Send):
    """Reply buttons, a list or a call-to-action URL (cloud engine)."""

    type: Literal["interactive"]
    interactive: Interactive


class TemplateSend(_Send):
    """An approved message template with its parameters (cloud engine): the only kind
    of message Meta lets a business send outside the 24-hour customer-service window."""

    type: Literal["template"]
    template: TemplateMessage


SendMessage = Annotated[
    TextSend
    | ImageSend
    | VideoSend
    | AudioSend
    | DocumentSend
    | StickerSend
    | LocationSend
    | ContactSend
    | ReactionSend
    | PollSend
    | InteractiveSend
    | TemplateSend,
    Field(discriminator="type"),
]

MEDIA_TYPES = frozenset({"image", "video", "audio", "document", "sticker"})

MessageStatus = Literal[
    "scheduled", "queued", "sending", "sent", "delivered", "read", "played", "failed", "cancelled"
]


class MessageError(BaseModel):
    code: str = Field(examples=["recipient_not_on_whatsapp"])
    message: str
    engine_code: str | None = Field(
        default=None,
        examples=["131047"],
        description="The engine's own code for the failure (a Graph API error code).",
    )


class MessageOut(BaseModel):
    id: str = Field(examples=["msg_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    object: Literal["message"] = "message"
    session_id: str
    direction: Literal["outbound", "inbound"]
    chat_id: str
    type: str
    content: dict[str, Any] = Field(description="The type's fields, as sent or received.")
    reply_to: str | None
    status: MessageStatus
    error: MessageError | None
    engine_message_id: str | None
    attempts: int
    send_at: datetime | None
    expires_at: datetime | None
    sent_at: datetime | None
    delivered_at: datetime | None
    read_at: datetime | None
    edited_at: datetime | None = Field(description="When the sent text was last edited.")
    revoked_at: datetime | None = Field(description="When it was deleted for everyone.")
    created_at: datetime
    updated_at: datetime


def message_out(row: Any) -> MessageOut:
    """The API's view of a ``models.Message`` row."""
    return MessageOut(
        id=row.id,
        session_id=row.session_id,
        direction=row.direction,
        chat_id=row.chat_id,
        type=row.type,
        content=dict(row.content),
        reply_to=row.reply_to,
        status=row.status,
        error=MessageError(
            code=row.error_code,
            message=row.error_message or row.error_code,
            engine_code=row.error_engine_code,
        )
        if row.error_code and row.status == "failed"
        else None,
        engine_message_id=row.engine_message_id,
        attempts=row.attempts,
        send_at=row.send_at,
        expires_at=row.expires_at,
        sent_at=row.sent_at,
        delivered_at=row.delivered_at,
        read_at=row.read_at,
        edited_at=row.edited_at,
        revoked_at=row.revoked_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class MessageEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=65_536, description="The new text.")


class ChatRead(BaseModel):
    object: Literal["chat_read"] = "chat_read"
    session_id: str
    chat_id: str = Field(examples=["12025550123@c.us"])
    read_at: datetime


class TypingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: Literal["start", "stop"] = Field(
        description='`start` shows "typing…" in the chat (WhatsApp clears it after a few '
        "seconds or when a message arrives); `stop` clears it."
    )


class ChatTyping(BaseModel):
    object: Literal["chat_typing"] = "chat_typing"
    session_id: str
    chat_id: str = Field(examples=["12025550123@c.us"])
    state: Literal["start", "stop"]
