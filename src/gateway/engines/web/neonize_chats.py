"""The child's side of chats: the chat list WhatsApp sends in history syncs, and the
app-state patches that archive, mark unread or delete a chat on every device.

whatsmeow keeps no chat list, but a newly linked device gets one: the phone sends its
conversations (id, name, unread count, archived, pinned, the latest messages) in
history syncs (neonize's ``HistorySync`` event), which ``on_history_sync`` reports as
``chats_synced`` events, ``CHATS_PER_EVENT`` conversations each, for the host to store.
Status updates, newsletters and broadcast lists are not chats and are left out.

Changes are app-state mutations, built as whatsmeow's ``appstate.BuildArchive``,
``BuildMarkChatAsRead`` and ``BuildDeleteChat`` build them (index, version, collection,
the chat's last message as the message range), and sent with ``send_app_state``:

- ``archive_chat {whatsapp_jid, archived, last}``: ``["archive", jid]`` v3 in
  ``regular_low``; archiving also unpins (``["pin_v1", jid]`` v5), as whatsmeow does;
- ``mark_chat_unread {whatsapp_jid, last}``: ``["markChatAsRead", jid]`` v3 with
  ``read: false``, in ``regular_low``;
- ``delete_chat {whatsapp_jid, last}``: ``["deleteChat", jid, "0"]`` v6 in
  ``regular_high`` (``"0"``: the phone keeps the chat's media in its gallery).

``last`` is the chat's last message, ``{remote_jid, message_id, from_me, participant,
timestamp}`` (seconds), or null.

**neonize 0.5.2 cannot deliver them.** Its Go side (``utils.DecodePatchInfo``) picks
the patch's collection by comparing the proto's enum *pointer* with a fresh one, which
never matches, and has no case for ``regular_low`` or ``regular_high`` anyway: every
patch leaves with an empty collection name, which WhatsApp refuses. So with neonize's
own client these ops answer ``app_state_undeliverable`` (the host's 501) without sending
anything; the fake client, which stands for a library that delivers them, takes them.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from gateway.engines.records import LastMessage
from gateway.engines.web.chat_events import ChatsSyncedData, SyncedChat
from gateway.engines.web.clients import ClientError
from gateway.engines.web.event_data import EventData
from gateway.engines.web.neonize_directory_ids import whatsmeow
from gateway.engines.web.neonize_inbound_content import content_of
from gateway.engines.web.neonize_ops import NeonizeOp, OpContext

Json = dict[str, Any]
CHATS_PER_EVENT = 100
# WhatsApp's servers → ours; conversations on other servers are not chats.
SERVERS = {"s.whatsapp.net": "c.us", "g.us": "g.us", "lid": "lid"}
UNDELIVERABLE = (
    "neonize 0.5.2 sends app-state patches without their collection name, which "
    "WhatsApp refuses: archiving, marking unread and deleting chats cannot reach the phone."
)
# whatsmeow's appstate: index names, mutation versions.
ARCHIVE, PIN, MARK_READ, DELETE = "archive", "pin_v1", "markChatAsRead", "deleteChat"


# -- the chat list -------------------------------------------------------------------------


def our_id(whatsapp_jid: str) -> str | None:
    """Our id of a WhatsApp JID string (``user[.agent][:device]@server``); None when it
    is not a chat's."""
    user, _, server = whatsapp_jid.partition("@")
    if server not in SERVERS or not user:
        return None
    if server != "g.us":
        user = user.split(":")[0].split(".")[0]
    return f"{user}@{SERVERS[server]}"


def _seconds(value: int) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value > 0 else None


def last_message(conversation: Any, chat_id: str) -> LastMessage | None:
    """The newest of the conversation's messages that holds something to show."""
    newest: LastMessage | None = None
    for entry in conversation.messages:
        info = entry.message
        at = _seconds(info.messageTimestamp)
        content = content_of(info.message) if info.HasField("message") else None
        if content is None or at is None or (newest is not None and at <= newest.timestamp):
            continue
        from_id = None
        if not info.key.fromMe:
            sender = info.key.participant or info.participant
            from_id = our_id(sender) if chat_id.endswith("@g.us") and sender else chat_id
        fields = content.fields
        text = fields.get("text") or (fields["media"].caption if "media" in fields else None)
        newest = LastMessage(
            engine_message_id=info.key.ID, from_me=info.key.fromMe, from_id=from_id,
            type=content.type, text=text, timestamp=at,
        )  # fmt: skip
    return newest


def synced_chat(conversation: Any, push_names: dict[str, str]) -> SyncedChat | None:
    whatsapp_jid = conversation.ID
    chat_id = our_id(whatsapp_jid)
    if chat_id is None:
        return None
    if chat_id.endswith("@lid") and conversation.pnJID:  # the number is known: name it so
        chat_id = our_id(conversation.pnJID) or chat_id
    name = conversation.name or conversation.displayName or push_names.get(whatsapp_jid)
    stamp = conversation.conversationTimestamp or conversation.lastMsgTimestamp
    return SyncedChat(
        chat_id=chat_id,
        whatsapp_jid=whatsapp_jid,
        name=name or None,
        unread_count=conversation.unreadCount,
        marked_unread=conversation.markedAsUnread,
        archived=conversation.archived,
        pinned=conversation.pinned > 0,  # when it was pinned; 0: not pinned
        last_activity_at=_seconds(stamp),
        last_message=last_message(conversation, chat_id),
    )


async def on_history_sync(ctx: OpContext, event: Any) -> list[EventData]:
    data = event.Data
    kinds = data.DESCRIPTOR.fields_by_name["syncType"].enum_type.values_by_number
    sync_type = kinds[data.syncType].name if data.syncType in kinds else str(data.syncType)
    push_names = {entry.ID: entry.pushname for entry in data.pushnames if entry.pushname}
    chats = [
        chat
        for conversation in data.conversations
        if (chat := synced_chat(conversation, push_names)) is not None
    ]
    return [
        ChatsSyncedData(sync_type=sync_type, chats=chats[start : start + CHATS_PER_EVENT])
        for start in range(0, len(chats), CHATS_PER_EVENT)
    ]


# -- app-state patches ---------------------------------------------------------------------


def _message_range(last: Json | None) -> Any:
    """whatsmeow's ``newMessageRange``: the last message's time (now when there is none)
    and key."""
    from neonize.proto.waCommon.WACommon_pb2 import MessageKey
    from neonize.proto.waSyncAction.WAWebProtobufSyncAction_pb2 import (
        SyncActionMessage,
        SyncActionMessageRange,
    )

    if last is None:
        return SyncActionMessageRange(lastMessageTimestamp=int(time.time()))
    key = MessageKey(remoteJID=str(last["remote_jid"]), fromMe=bool(last["from_me"]),
                     ID=str(last["message_id"]))  # fmt: skip
    if last.get("participant"):
        key.participant = str(last["participant"])
    stamp = int(last["timestamp"])
    return SyncActionMessageRange(
        lastMessageTimestamp=stamp, messages=[SyncActionMessage(key=key, timestamp=stamp)]
    )


def _mutation(index: list[str], version: int, **action: Any) -> Any:
    from neonize.proto.Neonize_pb2 import MutationInfo
    from neonize.proto.waSyncAction.WAWebProtobufSyncAction_pb2 import SyncActionValue

    return MutationInfo(Index=index, Version=version, Value=SyncActionValue(**action))


def _patch(collection: str, mutations: list[Any]) -> Any:
    from neonize.proto.Neonize_pb2 import PatchInfo

    # neonize reads the time as nanoseconds (Go's time.Unix(0, ts)); it is required.
    return PatchInfo(Timestamp=time.time_ns(), Type=getattr(PatchInfo, collection),
                     Mutations=mutations)  # fmt: skip


def archive_patch(jid: str, archived: bool, last: Json | None) -> Any:
    from neonize.proto.waSyncAction.WAWebProtobufSyncAction_pb2 import (
        ArchiveChatAction,
        PinAction,
    )

    action = ArchiveChatAction(archived=archived, messageRange=_message_range(last))
    mutations = [_mutation([ARCHIVE, jid], 3, archiveChatAction=action)]
    if archived:
        mutations.append(_mutation([PIN, jid], 5, pinAction=PinAction(pinned=False)))
    return _patch("REGULAR_LOW", mutations)


def mark_unread_patch(jid: str, last: Json | None) -> Any:
    from neonize.proto.waSyncAction.WAWebProtobufSyncAction_pb2 import MarkChatAsReadAction

    action = MarkChatAsReadAction(read=False, messageRange=_message_range(last))
    return _patch("REGULAR_LOW", [_mutation([MARK_READ, jid], 3, markChatAsReadAction=action)])


def delete_patch(jid: str, last: Json | None) -> Any:
    from neonize.proto.waSyncAction.WAWebProtobufSyncAction_pb2 import DeleteChatAction

    action = DeleteChatAction(messageRange=_message_range(last))
    return _patch("REGULAR_HIGH", [_mutation([DELETE, jid, "0"], 6, deleteChatAction=action)])


async def _send(ctx: OpContext, patch: Any) -> None:
    if type(ctx.client).__module__.startswith("neonize."):
        raise ClientError("app_state_undeliverable", UNDELIVERABLE)
    await whatsmeow(ctx.client.send_app_state(patch), "app_state_failed")


async def archive_chat(ctx: OpContext, args: Json) -> None:
    """``{whatsapp_jid, archived, last}``."""
    last = args.get("last")
    await _send(ctx, archive_patch(str(args["whatsapp_jid"]), bool(args["archived"]), last))


async def mark_chat_unread(ctx: OpContext, args: Json) -> None:
    """``{whatsapp_jid, last}``."""
    await _send(ctx, mark_unread_patch(str(args["whatsapp_jid"]), args.get("last")))


async def delete_chat(ctx: OpContext, args: Json) -> None:
    """``{whatsapp_jid, last}``."""
    await _send(ctx, delete_patch(str(args["whatsapp_jid"]), args.get("last")))


CHAT_OPS: dict[str, NeonizeOp] = {
    "archive_chat": archive_chat,
    "mark_chat_unread": mark_chat_unread,
    "delete_chat": delete_chat,
}
