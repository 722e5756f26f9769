"""What a received WhatsApp message holds (a ``waE2E.Message``, as whatsmeow unwrapped it
from its view-once, ephemeral and edit envelopes), as the gateway's message fields.

Kinds, WhatsApp's → ours: ``conversation`` and ``extendedTextMessage`` → ``text``;
``imageMessage``, ``videoMessage`` (and ``ptvMessage``, a round video note),
``audioMessage`` (``voice`` when push-to-talk), ``documentMessage``, ``stickerMessage`` →
the same type with a file; ``locationMessage`` and ``liveLocationMessage`` →
``location``; ``contactMessage`` and ``contactsArrayMessage`` → ``contact`` (the vCards,
with the numbers they give); ``reactionMessage`` → ``reaction``; ``pollCreationMessage``
(every version) → ``poll``, its question as ``text``. Anything else (votes, which are
encrypted for the poll's creator, pins, key distribution …) is not a message to report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gateway.engines.web.inbound_events import ReceivedFile

# waE2E field → (our type, the default MIME type when WhatsApp gives none).
MEDIA_KINDS: dict[str, tuple[str, str]] = {
    "imageMessage": ("image", "image/jpeg"),
    "videoMessage": ("video", "video/mp4"),
    "ptvMessage": ("video", "video/mp4"),
    "audioMessage": ("audio", "audio/ogg"),
    "documentMessage": ("document", "application/octet-stream"),
    "stickerMessage": ("sticker", "image/webp"),
}
POLL_FIELDS = tuple(
    f"pollCreationMessage{version}" for version in ("", "V2", "V3", "V4", "V5", "V6")
)


@dataclass
class Content:
    """A message's content as our fields; ``media_field`` names the submessage whose file
    is to be downloaded (its ``ReceivedFile`` is in ``fields["media"]``)."""

    kind: str  # the waE2E field it came in
    type: str
    fields: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    media_field: str | None = None


def content_of(message: Any) -> Content | None:
    """The content of a received ``message``; None when it holds nothing to report."""
    if message.conversation:
        return Content("conversation", "text", {"text": message.conversation})
    for name, read in _KINDS:
        if message.HasField(name):
            content = read(name, getattr(message, name))
            if content is not None:
                _add_context(content, getattr(getattr(message, name), "contextInfo", None))
            return content
    return None


def text_of(message: Any) -> str | None:
    """The text of a message, or its caption: what an edit replaces."""
    if message.conversation:
        return str(message.conversation)
    if message.HasField("extendedTextMessage"):
        return str(message.extendedTextMessage.text)
    for name in ("imageMessage", "videoMessage", "documentMessage"):
        if message.HasField(name):
            return str(getattr(message, name).caption)
    return None


def _text(name: str, body: Any) -> Content:
    return Content(name, "text", {"text": body.text})


def _media(name: str, body: Any) -> Content:
    kind, default_mime = MEDIA_KINDS[name]
    media = ReceivedFile(
        mime_type=body.mimetype or default_mime,
        filename=getattr(body, "fileName", "") or None,
        caption=getattr(body, "caption", "") or None,
    )
    content = Content(name, kind, {"media": media}, media_field=name)
    if kind == "audio":
        content.fields["voice"] = bool(body.PTT)
    if name == "ptvMessage":
        content.raw["video_note"] = True
    if name == "stickerMessage" and body.isAnimated:
        content.raw["animated"] = True
    return content


def _location(name: str, body: Any) -> Content:
    location = {
        "latitude": body.degreesLatitude,
        "longitude": body.degreesLongitude,
        "name": getattr(body, "name", "") or None,
        "address": getattr(body, "address", "") or None,
        "url": getattr(body, "URL", "") or None,
    }
    content = Content(name, "location", {"location": location})
    if name == "liveLocationMessage":
        content.raw["live"] = True
        if body.caption:
            content.fields["text"] = body.caption
    return content


def _contacts(name: str, body: Any) -> Content:
    cards = body.contacts if name == "contactsArrayMessage" else [body]
    return Content(name, "contact", {"contacts": [_card(card) for card in cards]})


def _card(card: Any) -> dict[str, Any]:
    """A shared contact: its name, its vCard as sent, and the numbers the vCard gives
    (with their WhatsApp ids, ``waid``, when the phone added them)."""
    phones: list[dict[str, Any]] = []
    for line in card.vcard.splitlines():
        head, _, value = line.partition(":")
        if not head.upper().split(";")[0].endswith("TEL") or not value.strip():
            continue
        params = dict(part.partition("=")[::2] for part in head.split(";")[1:])
        waid = params.get("waid") or params.get("WAID")
        phones.append({"phone": value.strip(), "wa_id": waid or None})
    return {"name": card.displayName or None, "vcard": card.vcard, "phones": phones}


def _reaction(name: str, body: Any) -> Content:
    reaction = {"engine_message_id": body.key.ID, "message_id": None, "emoji": body.text}
    return Content(name, "reaction", {"reaction": reaction})


def _poll(name: str, body: Any) -> Content:
    poll = {
        "question": body.name,
        "options": [option.optionName for option in body.options],
        "multiple_answers": body.selectableOptionsCount != 1,
    }
    return Content(name, "poll", {"text": body.name}, {"poll": poll})


_KINDS = (
    ("extendedTextMessage", _text),
    *((name, _media) for name in MEDIA_KINDS),
    ("locationMessage", _location),
    ("liveLocationMessage", _location),
    ("contactMessage", _contacts),
    ("contactsArrayMessage", _contacts),
    ("reactionMessage", _reaction),
    *((name, _poll) for name in POLL_FIELDS),
)


def _our_id(jid: str) -> str:
    """Our id of a JID written out (``user@s.whatsapp.net`` → ``user@c.us``)."""
    user, _, server = jid.partition("@")
    return f"{user.partition(':')[0]}@{'c.us' if server == 's.whatsapp.net' else server}"


def _add_context(content: Content, context: Any) -> None:
    """What the message's context says (a reply, mentions, a forward), kept in ``raw``:
    the gateway's message has no fields for them."""
    if context is None:
        return
    if context.stanzaID:
        content.fields["quoted_message_id"] = context.stanzaID
        content.raw["quoted"] = {"message_id": context.stanzaID,
                                 "participant": context.participant or None}  # fmt: skip
    if context.mentionedJID:
        content.raw["mentions"] = [_our_id(jid) for jid in context.mentionedJID]
    if context.isForwarded:
        content.raw["forwarded"] = True
