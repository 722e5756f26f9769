"""The child's ops that send: messages of every type, edits, revokes, reads, typing.

Ops and their arguments (the host's ``messaging.WebMessaging`` sends them):

- ``send {message_id, whatsapp_id, chat_id, type, content, reply_to, react_to, files,
  preview}`` → ``{message_id}``, WhatsApp's id of the message sent. ``content`` is the
  stored message's; ``reply_to`` and ``react_to`` are ``{message_id, from_me, sender,
  text}`` (``neonize_messages.MessageRef``) of the message quoted or reacted to, or null;
  ``files`` maps content keys (``media``) to files the host wrote in the session's
  directory: media never travel inside a line. ``preview`` is a text's link preview as
  the host fetched it (``link_preview``; the child fetches nothing): ``{url, title,
  description, thumbnail_file?}``, the page's image a file in the session's directory
  too, or null. neonize cannot send under
  ``whatsapp_id`` (whatsmeow picks the id), so a retried send may arrive twice.
- ``edit {chat_id, message_id, text}``, ``revoke {chat_id, message_id}``: of one of the
  session's messages, by WhatsApp's id.
- ``mark_read {chat_id, message_ids, sender}``: read receipts for messages of one sender
  (null in a one-to-one chat: the chat is the sender).
- ``typing {chat_id, on}``: "typing…" shown (composing) or cleared (paused).

Errors (``ClientError``): ``invalid_recipient`` and ``invalid_mention`` (the message is
wrong), ``media_unreadable`` (no such file in the session's directory),
``media_type_unsupported``, ``unsupported_type``, ``reaction_target_unknown``; transient:
``media_upload_failed``, ``send_failed`` and the other ops' ``…_failed`` (neonize's own
error text, WhatsApp's or Go's words).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import structlog
from neonize.proto.waE2E.WAWebProtobufsE2E_pb2 import ExtendedTextMessage, Message
from neonize.utils.enum import ChatPresence, ChatPresenceMedia, ReceiptType

from gateway.engines.web.clients import ClientError
from gateway.engines.web.neonize_jids import jid_of
from gateway.engines.web.neonize_messages import (
    POLL_SECRET_BYTES,
    MessageRef,
    contact_message,
    edit_message,
    link_preview,
    location_message,
    poll_message,
    quote,
    reaction_message,
    revoke_message,
    text_message,
    with_context,
)
from gateway.engines.web.neonize_messages_media import MEDIA_TYPES, link_thumbnail, media_message
from gateway.engines.web.neonize_ops import NeonizeOp, OpContext

log = structlog.get_logger(__name__)

T = TypeVar("T")
SENDABLE_TYPES = frozenset({"text", "location", "contact", "reaction", "poll"}) | MEDIA_TYPES


def _now_ms() -> int:
    return int(time.time() * 1000)


async def _answer(code: str, call: Awaitable[T]) -> T:
    """What neonize answers; its error as a transient ``code`` one."""
    try:
        return await call
    except Exception as exc:
        raise ClientError(code, str(exc)[:500] or repr(exc), transient=True) from None


def _read_in(workdir: Path, given: str) -> bytes:
    path = Path(given).resolve()
    if not path.is_relative_to(workdir.resolve()):
        raise ClientError("media_unreadable", f"{given} is not in the session's directory.")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ClientError("media_unreadable", f"Cannot read {path.name}: {exc.strerror}.") from None


async def read_file(ctx: OpContext, files: Mapping[str, Any], key: str) -> bytes:
    """The file the host wrote for ``key``; only files in the session's directory."""
    given = files.get(key)
    if not given:
        raise ClientError("media_unreadable", f"No file was given for {key}.")
    # Off the loop: a large file would hold up every other command meanwhile.
    return await asyncio.to_thread(_read_in, ctx.workdir, str(given))


async def build(ctx: OpContext, args: Mapping[str, Any]) -> Message:
    """The protobuf of the message ``args`` describe (see ``send``)."""
    kind = str(args.get("type") or "text")
    chat_id = str(args["chat_id"])
    content: Mapping[str, Any] = args.get("content") or {}
    reply = MessageRef.of(args.get("reply_to"))
    context = quote(reply, ctx.me) if reply is not None else None
    if kind == "text":
        # A quote, a mention or a preview turns it into an extended text.
        return text_message(content, context, await _preview(ctx, args.get("preview")))
    if kind == "location":
        message = location_message(content)
    elif kind == "contact":
        message = contact_message(content)
    elif kind == "poll":
        message = poll_message(content, os.urandom(POLL_SECRET_BYTES))
    elif kind == "reaction":
        target = MessageRef.of(args.get("react_to"))
        if target is None:
            raise ClientError("reaction_target_unknown", "The message reacted to is not known.")
        return reaction_message(chat_id, content, target, ctx.me, _now_ms())
    elif kind in MEDIA_TYPES:
        data = await read_file(ctx, args.get("files") or {}, "media")
        message = await media_message(ctx.client, kind, content, data, _now_ms() // 1000)
    else:
        raise ClientError("unsupported_type", f"The web engine cannot send {kind} messages.")
    return with_context(message, context)


async def _preview(ctx: OpContext, given: Mapping[str, Any] | None) -> ExtendedTextMessage | None:
    """The preview fields of a text from what the host fetched (see ``send``); a
    thumbnail that cannot be read leaves the preview without one, never the send."""
    if not given:
        return None
    thumbnail: dict[str, Any] = {}
    if given.get("thumbnail_file"):
        try:
            image = await read_file(ctx, given, "thumbnail_file")
        except ClientError as exc:
            log.warning("web.neonize.link_thumbnail_unreadable", error=exc.message)
        else:
            thumbnail = await link_thumbnail(ctx.client, image, _now_ms() // 1000)
    return link_preview(given, thumbnail)


async def send(ctx: OpContext, args: dict[str, Any]) -> dict[str, Any]:
    to = jid_of(str(args["chat_id"]))
    message = await build(ctx, args)
    response = await _answer("send_failed", ctx.client.send_message(to, message))
    return {"message_id": str(response.ID)}  # whatsmeow's: ours cannot be passed


async def edit(ctx: OpContext, args: dict[str, Any]) -> None:
    chat_id = str(args["chat_id"])
    message = edit_message(chat_id, str(args["message_id"]), str(args["text"]), _now_ms())
    await _answer("edit_failed", ctx.client.send_message(jid_of(chat_id), message))


async def revoke(ctx: OpContext, args: dict[str, Any]) -> None:
    chat_id = str(args["chat_id"])
    message = revoke_message(chat_id, str(args["message_id"]))
    await _answer("revoke_failed", ctx.client.send_message(jid_of(chat_id), message))


async def mark_read(ctx: OpContext, args: dict[str, Any]) -> None:
    chat = jid_of(str(args["chat_id"]))
    ids = [str(message_id) for message_id in args.get("message_ids") or []]
    if not ids:
        return
    # whatsmeow names the sender only in groups; in a one-to-one chat it is the chat.
    sender = jid_of(str(args["sender"])) if args.get("sender") else chat
    await _answer(
        "mark_read_failed",
        ctx.client.mark_read(*ids, chat=chat, sender=sender, receipt=ReceiptType.READ),
    )


async def typing(ctx: OpContext, args: dict[str, Any]) -> None:
    state = ChatPresence.CHAT_PRESENCE_COMPOSING if args.get("on") else (
        ChatPresence.CHAT_PRESENCE_PAUSED
    )  # fmt: skip
    chat = jid_of(str(args["chat_id"]))
    await _answer(
        "typing_failed",
        ctx.client.send_chat_presence(chat, state, ChatPresenceMedia.CHAT_PRESENCE_MEDIA_TEXT),
    )


OPS: dict[str, NeonizeOp] = {
    "send": send,
    "edit": edit,
    "revoke": revoke,
    "mark_read": mark_read,
    "typing": typing,
}
