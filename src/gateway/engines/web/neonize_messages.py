"""Our outbound messages as whatsmeow's protobuf ``waE2E.Message``, one builder per type.

Each builder reads the message's ``content`` as the messages API stored it
(``messages.schemas``: the send body without its envelope, plus ``media`` for files and
the target's ``chat_id`` for reactions) and builds what whatsmeow's own builders
(``BuildPollCreation``, ``BuildReaction``, ``BuildEdit``, ``BuildRevoke``) or WhatsApp's
clients would send. Builders are plain functions of what they are given (the clock and
the random poll secret too), so that a test can say exactly which protobuf comes out;
only media builders (``neonize_messages_media``) call the client, to upload.

Runs in the child only: neonize's protobufs are imported at the top.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from neonize.proto.waCommon.WACommon_pb2 import MessageKey
from neonize.proto.waE2E.WAWebProtobufsE2E_pb2 import (
    ContactMessage,
    ContactsArrayMessage,
    ContextInfo,
    ExtendedTextMessage,
    FutureProofMessage,
    LocationMessage,
    Message,
    MessageContextInfo,
    PollCreationMessage,
    ProtocolMessage,
    ReactionMessage,
)

from gateway.engines.web.clients import ClientError
from gateway.engines.web.neonize_jids import CHAT_SERVERS, jid_of
from gateway.engines.web.protocol import MeData

# The submessages that carry a ``contextInfo`` (a reply's quote, mentions), in the order
# a message is looked at: a message has exactly one of them.
CONTEXT_FIELDS = ("extendedTextMessage", "imageMessage", "videoMessage", "audioMessage",
                  "documentMessage", "stickerMessage", "locationMessage", "contactMessage",
                  "contactsArrayMessage", "pollCreationMessage")  # fmt: skip
POLL_SECRET_BYTES = 32
_VCARD = re.compile(r"BEGIN:VCARD.*?END:VCARD", re.IGNORECASE | re.DOTALL)
# neonize's own pattern of a YouTube video's link.
_YOUTUBE = re.compile(
    r"(?:https?:)?//(?:www\.)?(?:youtube\.com/(?:[^/\n\s]+/\S+/|(?:v|e(?:mbed)?)/|\S*?[?&]v=)"
    r"|youtu\.be/)([a-zA-Z0-9_-]{11})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MessageRef:
    """A message of the chat as WhatsApp knows it: what a reply quotes, a reaction is on.

    ``sender`` is our id of whoever sent it (``…@c.us``, ``…@lid``), None when unknown
    or when it is the session's own (``from_me``); ``text`` is the quoted text, if any."""

    message_id: str
    from_me: bool
    sender: str | None = None
    text: str | None = None

    @classmethod
    def of(cls, given: Mapping[str, Any] | None) -> MessageRef | None:
        """From the host's JSON (``{message_id, from_me, sender?, text?}``), if any."""
        if not given:
            return None
        return cls(
            message_id=str(given["message_id"]), from_me=bool(given.get("from_me")),
            sender=given.get("sender") or None, text=given.get("text") or None,
        )  # fmt: skip


def address(chat_id: str) -> str:
    """WhatsApp's text form of our id (``12025550123@s.whatsapp.net``, ``…@g.us``,
    ``…@lid``): what message keys, quotes and mentions hold."""
    jid_of(chat_id)  # refuses what is not a chat
    user, _, server = chat_id.partition("@")
    return f"{user}@{CHAT_SERVERS[server]}"


def mentioned(mention: str) -> str:
    """The address of one of a text's ``mentions``: a phone number (``+12025550123``) or
    an id."""
    if "@" in mention:
        try:
            return address(mention)
        except ClientError:
            pass
    else:
        digits = mention.strip().removeprefix("+")
        if digits.isdigit():
            return f"{digits}@s.whatsapp.net"
    raise ClientError("invalid_mention", f"Cannot mention {mention!r}: not a number or an id.")


def sender_address(ref: MessageRef, me: MeData | None) -> str | None:
    """Who sent the message ``ref`` names, as WhatsApp writes it, when known."""
    if ref.from_me:
        return address(me.id) if me is not None else None
    return address(ref.sender) if ref.sender else None


def quote(ref: MessageRef, me: MeData | None) -> ContextInfo:
    """A reply's context: the quoted message's id, who sent it, and its text when we have
    it (phones show the quote from it when they do not have the message)."""
    context = ContextInfo(stanzaID=ref.message_id)
    participant = sender_address(ref, me)
    if participant is not None:
        context.participant = participant
    if ref.text:
        context.quotedMessage.CopyFrom(Message(conversation=ref.text))
    return context


def with_context(message: Message, context: ContextInfo | None) -> Message:
    """``message`` with ``context`` merged into its submessage's ``contextInfo``."""
    if context is None:
        return message
    for field in CONTEXT_FIELDS:
        if message.HasField(field):
            getattr(message, field).contextInfo.MergeFrom(context)
            return message
    return message  # a reaction carries no context: there is nothing to quote in one


def text_message(
    content: Mapping[str, Any],
    reply: ContextInfo | None = None,
    preview: ExtendedTextMessage | None = None,
) -> Message:
    """A plain ``conversation``, or an ``extendedTextMessage`` when it quotes, mentions or
    shows a link's preview (``link_preview``): only the extended form carries them."""
    text = str(content["text"])
    mentions = [mentioned(str(m)) for m in content.get("mentions") or []]
    if reply is None and not mentions and preview is None:
        return Message(conversation=text)
    extended = ExtendedTextMessage(text=text)
    if preview is not None:
        extended.MergeFrom(preview)
    if reply is not None or mentions:
        context = ContextInfo(mentionedJID=mentions)
        if reply is not None:
            context.MergeFrom(reply)
        extended.contextInfo.CopyFrom(context)
    return Message(extendedTextMessage=extended)


def is_video_link(url: str) -> bool:
    """Whether a link is a YouTube video's, which WhatsApp previews as a video."""
    return _YOUTUBE.match(url) is not None


def link_preview(preview: Mapping[str, Any], thumbnail: Mapping[str, Any]) -> ExtendedTextMessage:
    """The preview fields of a text's ``extendedTextMessage``, as neonize's
    ``_generate_link_preview`` builds them: the link as it stands in the text
    (``matchedText``), the page's title and description, a video preview for YouTube's
    links, and the ``thumbnail`` fields (``neonize_messages_media.link_thumbnail``)."""
    url = str(preview["url"])
    kind = ExtendedTextMessage.PreviewType.VIDEO if is_video_link(url) else (
        ExtendedTextMessage.PreviewType.NONE
    )  # fmt: skip
    return ExtendedTextMessage(
        matchedText=url, title=str(preview.get("title") or ""),
        description=str(preview.get("description") or ""), previewType=kind, **thumbnail,
    )  # fmt: skip


def location_message(content: Mapping[str, Any]) -> Message:
    location = LocationMessage(
        degreesLatitude=float(content["latitude"]), degreesLongitude=float(content["longitude"])
    )
    if content.get("name"):
        location.name = str(content["name"])
    if content.get("address"):
        location.address = str(content["address"])
    return Message(locationMessage=location)


def contact_message(content: Mapping[str, Any]) -> Message:
    """One card as a ``contactMessage``; a vCard text holding several, as a
    ``contactsArrayMessage`` of them. ``displayName`` is the given ``name``, else the
    card's formatted name (``FN``)."""
    vcard = str(content["vcard"]).strip()
    cards = _VCARD.findall(vcard) or [vcard]
    name = str(content.get("name") or "") or None
    if len(cards) == 1:
        return Message(
            contactMessage=ContactMessage(displayName=name or _formatted_name(vcard), vcard=vcard)
        )
    contacts = [ContactMessage(displayName=_formatted_name(card), vcard=card) for card in cards]
    return Message(
        contactsArrayMessage=ContactsArrayMessage(
            displayName=name or f"{len(cards)} contacts", contacts=contacts
        )
    )


def _formatted_name(vcard: str) -> str:
    unfolded = re.sub(r"\r?\n[ \t]", "", vcard)
    for line in unfolded.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.split(";")[0].strip().upper() == "FN" and value.strip():
            return value.strip()
    return "Contact"


def message_key(chat_id: str, ref: MessageRef, me: MeData | None) -> MessageKey:
    """whatsmeow's ``BuildMessageKey``: the session's own message, or someone else's,
    with its sender (``participant``) outside one-to-one chats."""
    to = address(chat_id)
    key = MessageKey(remoteJID=to, fromMe=True, ID=ref.message_id)
    if ref.from_me:
        return key
    key.fromMe = False
    sender = sender_address(ref, me)
    if sender is not None and not to.endswith("@s.whatsapp.net"):
        key.participant = sender
    return key


def reaction_message(
    chat_id: str, content: Mapping[str, Any], target: MessageRef, me: MeData | None, now_ms: int
) -> Message:
    """whatsmeow's ``BuildReaction``; an empty emoji takes the reaction back."""
    return Message(
        reactionMessage=ReactionMessage(
            key=message_key(chat_id, target, me), text=str(content.get("emoji") or ""),
            senderTimestampMS=now_ms,
        )
    )  # fmt: skip


def poll_message(content: Mapping[str, Any], secret: bytes) -> Message:
    """whatsmeow's ``BuildPollCreation``: any number of answers (0) or one, and the
    message's secret, without which nobody's votes can be read (whatsmeow keeps it)."""
    if len(secret) != POLL_SECRET_BYTES:
        raise ValueError(f"a poll's secret is {POLL_SECRET_BYTES} bytes")
    options = [PollCreationMessage.Option(optionName=str(o)) for o in content["options"]]
    return Message(
        pollCreationMessage=PollCreationMessage(
            name=str(content["question"]), options=options,
            selectableOptionsCount=0 if content.get("multiple_answers") else 1,
        ),
        messageContextInfo=MessageContextInfo(messageSecret=secret),
    )  # fmt: skip


def edit_message(chat_id: str, message_id: str, text: str, now_ms: int) -> Message:
    """whatsmeow's ``BuildEdit`` of one of the session's text messages."""
    return Message(
        editedMessage=FutureProofMessage(
            message=Message(
                protocolMessage=ProtocolMessage(
                    key=MessageKey(remoteJID=address(chat_id), fromMe=True, ID=message_id),
                    type=ProtocolMessage.MESSAGE_EDIT,
                    editedMessage=Message(conversation=text),
                    timestampMS=now_ms,
                )
            )
        )
    )


def revoke_message(chat_id: str, message_id: str) -> Message:
    """whatsmeow's ``BuildRevoke`` of one of the session's own messages."""
    key = MessageKey(remoteJID=address(chat_id), fromMe=True, ID=message_id)
    return Message(protocolMessage=ProtocolMessage(type=ProtocolMessage.REVOKE, key=key))
