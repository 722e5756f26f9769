"""neonize's events about what the session received, as the protocol's events.

- ``Message`` → ``message_received`` (every kind: ``neonize_inbound_content``), or
  ``message_edited`` / ``message_revoked`` for a ``protocolMessage`` that edits or
  deletes an earlier one. Messages from the session's own devices, status posts and
  what holds nothing to report are skipped. A received file is downloaded into the
  session's directory and travels as its path; a download that fails leaves the message
  without it, the reason in ``raw.media_error``.
- ``ChatPresence`` (typing, recording, paused) and ``Presence`` (online, offline with
  last seen) → ``presence``.
- ``JoinedGroup`` and ``GroupInfo`` → ``group_changed`` (``neonize_inbound_groups``).
- ``CallOffer`` (a call to the session) and ``CallOfferNotice`` (a group call) →
  ``call_received``.

neonize has no push-name event (whatsmeow's ``PushName`` is not bound): a sender's name
comes with each message (``from_name``).
"""

from __future__ import annotations

import asyncio
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import structlog

from gateway.engines.web.event_data import EventData
from gateway.engines.web.inbound_events import (
    CallReceivedData,
    MessageEditedData,
    MessageReceivedData,
    MessageRevokedData,
    PresenceData,
    ReceivedFile,
    Sender,
    notification_key,
)
from gateway.engines.web.neonize_chats import on_history_sync
from gateway.engines.web.neonize_inbound_content import Content, content_of, text_of
from gateway.engines.web.neonize_inbound_groups import on_group_info, on_joined_group
from gateway.engines.web.neonize_jids import chat_id_of
from gateway.engines.web.neonize_ops import EventHandler, OpContext

log = structlog.get_logger(__name__)

PHONE_SERVER = "s.whatsapp.net"
LID_SERVER = "lid"
RECEIVED_DIR = "received"  # under the session's directory: files waiting for the host
# whatsmeow's MessageInfo.Edit for a message an admin deleted for everyone.
ADMIN_REVOKE = "8"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


# -- who -----------------------------------------------------------------------------------


def _known(jid: Any) -> bool:
    return bool(jid.User) and jid.Server in (PHONE_SERVER, LID_SERVER)


def sender_of(*jids: Any, name: str | None = None) -> Sender:
    """The sender that these JIDs (whatsmeow's ``Sender`` and ``SenderAlt``: one may be
    a phone number, the other a LID) name, by its phone-number id when one is known."""
    phone = next((j for j in jids if j.User and j.Server == PHONE_SERVER), None)
    lid = next((j for j in jids if j.User and j.Server == LID_SERVER), None)
    first = next((j for j in jids if j.User), None)
    main = phone or lid or first
    return Sender(
        from_id=chat_id_of(main) if main is not None else "",
        from_phone_number=f"+{phone.User}" if phone is not None else None,
        from_lid=chat_id_of(lid) if lid is not None else None,
        from_name=name or None,
    )


def _timestamp_ms(value: int) -> datetime:
    """whatsmeow's message times, which neonize gives in milliseconds."""
    return datetime.fromtimestamp(value / 1000, UTC) if value > 0 else datetime.now(UTC)


def _timestamp_s(value: int) -> datetime | None:
    """Other events' times, in seconds; Go's zero time (negative) is none."""
    return datetime.fromtimestamp(value, UTC) if value > 0 else None


# -- messages ------------------------------------------------------------------------------


async def on_message(ctx: OpContext, event: Any) -> list[EventData]:
    info, source = event.Info, event.Info.MessageSource
    if source.IsFromMe or source.Chat.Server == "broadcast":
        log.debug("web.inbound.skipped", message_id=info.ID, why="own_or_status")
        return []
    sender = sender_of(source.Sender, source.SenderAlt, name=info.Pushname)
    chat_id = chat_id_of(source.Chat) if source.IsGroup else sender.from_id
    message = event.Message
    if message.HasField("protocolMessage"):
        return _protocol_change(info, sender, chat_id, message.protocolMessage)
    content = content_of(message)
    if content is None:
        kinds = [descriptor.name for descriptor, _ in message.ListFields()]
        log.info("web.inbound.skipped", message_id=info.ID, why="nothing_to_report", kinds=kinds)
        return []
    if content.media_field is not None:
        content.fields["media"] = await _download(ctx, event, info.ID, content)
        if content.fields["media"].error:
            content.raw["media_error"] = content.fields["media"].error
    for flag, key in (("IsViewOnce", "view_once"), ("IsEphemeral", "ephemeral")):
        if getattr(event, flag):
            content.raw[key] = True
    return [
        MessageReceivedData(
            **sender.model_dump(),
            **content.fields,
            message_id=info.ID,
            chat_id=chat_id,
            group_id=chat_id if source.IsGroup else None,
            message_type=content.type,
            raw={"kind": content.kind, **content.raw},
            timestamp=_timestamp_ms(info.Timestamp),
        )
    ]


def _protocol_change(info: Any, sender: Sender, chat_id: str, protocol: Any) -> list[EventData]:
    """An edit or a deletion of an earlier message; other protocol messages (history
    sync, app-state keys …) are the library's business."""
    kind = protocol.DESCRIPTOR.fields_by_name["type"].enum_type.values_by_number.get(protocol.type)
    name = kind.name if kind is not None else str(protocol.type)
    target = protocol.key.ID
    if name == "MESSAGE_EDIT" and target:
        text = text_of(protocol.editedMessage)
        if text is None:
            log.info("web.inbound.skipped", message_id=target, why="edit_without_text")
            return []
        at = _timestamp_ms(protocol.timestampMS or info.Timestamp)
        return [MessageEditedData(**sender.model_dump(), message_id=target, chat_id=chat_id,
                                  text=text, edited_at=at)]  # fmt: skip
    if name == "REVOKE" and target:
        by_admin = info.Edit == ADMIN_REVOKE
        return [MessageRevokedData(**sender.model_dump(), message_id=target, chat_id=chat_id,
                                   by_admin=by_admin,
                                   revoked_at=_timestamp_ms(info.Timestamp))]  # fmt: skip
    log.debug("web.inbound.skipped", message_id=info.ID, why="protocol_message", kind=name)
    return []


async def _download(ctx: OpContext, event: Any, message_id: str, content: Content) -> ReceivedFile:
    """The message's file, written into the session's directory for the host; on failure
    the file is left out and the reason said."""
    media: ReceivedFile = content.fields["media"]
    message = event.Message
    if content.media_field == "ptvMessage":  # whatsmeow's DownloadAny knows only videoMessage
        message = type(message)(videoMessage=message.ptvMessage)
    try:
        data = await ctx.client.download_any(message)
    except Exception as exc:  # neonize raises Go's error text as one exception type
        log.warning("web.inbound.download_failed", message_id=message_id, error=str(exc)[:200])
        return media.model_copy(update={"error": f"download_failed: {str(exc)[:200]}"})
    if not data:
        return media.model_copy(update={"error": "download_failed: empty file"})
    directory = ctx.workdir / RECEIVED_DIR
    path = directory / f"{_UNSAFE.sub('_', message_id)[:64]}-{secrets.token_hex(4)}"
    await asyncio.to_thread(_write, path, data)
    return media.model_copy(update={"path": str(path)})


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# -- presences -----------------------------------------------------------------------------


async def on_chat_presence(ctx: OpContext, event: Any) -> list[EventData]:
    source = event.MessageSource
    if source.IsFromMe:
        return []
    sender = sender_of(source.Sender, source.SenderAlt)
    states = event.DESCRIPTOR.fields_by_name["State"].enum_type.values_by_number
    medias = event.DESCRIPTOR.fields_by_name["Media"].enum_type.values_by_number
    state, media = states[event.State].name, medias[event.Media].name
    presence: Literal["composing", "recording", "paused"] = (
        "paused" if state == "PAUSED" else "recording" if media == "AUDIO" else "composing"
    )
    chat_id = chat_id_of(source.Chat) if source.IsGroup else sender.from_id
    return [PresenceData(chat_id=chat_id, participant_id=sender.from_id, presence=presence)]


async def on_presence(ctx: OpContext, event: Any) -> list[EventData]:
    if not _known(event.From):
        return []
    contact = sender_of(event.From).from_id
    if not event.Unavailable:
        return [PresenceData(chat_id=contact, participant_id=contact, presence="available")]
    last_seen = _timestamp_s(event.LastSeen)
    return [
        PresenceData(
            chat_id=contact,
            participant_id=contact,
            presence="unavailable",
            last_seen_at=last_seen,
            key=None if last_seen is None else notification_key("presence", contact, last_seen),
        )
    ]


# -- calls ---------------------------------------------------------------------------------


def _caller(meta: Any) -> Sender:
    """Who calls: the call's creator (with its other id), else the device it came from."""
    if meta.callCreator.User:
        return sender_of(meta.callCreator, meta.callCreatorAlt)
    return sender_of(getattr(meta, "from"))


def _node_attr(node: Any, name: str) -> Any:
    for attr in node.Attrs:
        if attr.name == name:
            return attr.jid if attr.HasField("jid") else attr.text
    return None


def _call_key(call_id: str, kind: str) -> str | None:
    """A call is one notification per kind of offer, named by WhatsApp's call id."""
    return notification_key("call", call_id, kind) if call_id else None


async def on_call_offer(ctx: OpContext, event: Any) -> list[EventData]:
    meta = event.basicCallMeta
    caller = _caller(meta)
    video = any(child.Tag == "video" for child in event.data.Nodes)
    offered_at = _timestamp_s(meta.timestamp) or datetime.now(UTC)
    return [CallReceivedData(**caller.model_dump(), call_id=meta.callID, chat_id=caller.from_id,
                             video=video, offered_at=offered_at,
                             key=_call_key(meta.callID, "offer"))]  # fmt: skip


async def on_call_offer_notice(ctx: OpContext, event: Any) -> list[EventData]:
    """A call offered to a group the session is in (a notice: it rings on the phone)."""
    meta = event.basicCallMeta
    caller = _caller(meta)
    group = _node_attr(event.data, "group-jid")
    group_id = (chat_id_of(group) if not isinstance(group, str) else group) if group else None
    offered_at = _timestamp_s(meta.timestamp) or datetime.now(UTC)
    return [
        CallReceivedData(
            **caller.model_dump(),
            key=_call_key(meta.callID, "offer_notice"),
            call_id=meta.callID,
            chat_id=group_id or caller.from_id,
            group_id=group_id,
            video=event.media == "video",
            offered_at=offered_at,
        )
    ]


# neonize event class name (``neonize.aioze.events``) → handler.
HANDLERS: dict[str, EventHandler] = {
    "MessageEv": on_message,
    "ChatPresenceEv": on_chat_presence,
    "PresenceEv": on_presence,
    "JoinedGroupEv": on_joined_group,
    "GroupInfoEv": on_group_info,
    "CallOfferEv": on_call_offer,
    "CallOfferNoticeEv": on_call_offer_notice,
    "HistorySyncEv": on_history_sync,
}
