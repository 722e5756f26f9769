"""The web engine's messaging: sends of every type, edits, revokes, reads, typing.

The child builds and sends the message (``neonize_messaging``); the host gives it what
only the gateway knows: the message's file, written into the session's directory and
passed as a path (deleted once the send is answered), and, read from PostgreSQL, the
WhatsApp side of the messages a reply quotes or a reaction is on (their WhatsApp id, who
sent them). A text's link preview is fetched here too, through the SSRF guard
(``link_preview``), never by the child: the child is handed its title, description and
image. Interactive and template messages are the Cloud API's: 501 here.

``mark_read`` sends read receipts for the chat's latest received messages: the gateway
keeps no read mark of its own for received messages, and a receipt for a message read
already is one WhatsApp takes and ignores.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import httpx
import structlog

from gateway.engines.base import (
    Capability,
    EngineUnsupported,
    OutboundMessage,
    SendFailed,
)
from gateway.engines.web import chats
from gateway.engines.web.calls import ChildCalls
from gateway.engines.web.link_preview import (
    LinkPreview,
    PreviewUnavailable,
    fetch_preview,
    first_link,
)
from gateway.engines.web.process import ChildCallFailed
from gateway.engines.web.protocol import whatsapp_message_id
from gateway.media.storage import StorageError
from gateway.messages import repository as messages_repository
from gateway.models import Message
from gateway.sessions.repository import Reach

log = structlog.get_logger(__name__)

MEDIA_TYPES = frozenset({"image", "video", "audio", "document", "sticker"})
SENDABLE_TYPES = frozenset({"text", "location", "contact", "reaction", "poll"}) | MEDIA_TYPES
MESSAGING_CAPABILITIES: frozenset[Capability] = frozenset(
    {Capability(f"send_{kind}") for kind in SENDABLE_TYPES}
    | {Capability.edit, Capability.revoke, Capability.mark_read, Capability.typing}
)
# An upload to WhatsApp's media servers comes before the send: give it time.
MEDIA_SEND_TIMEOUT_SECONDS = 120.0
SEND_TIMEOUT_SECONDS = 30.0
# How many of a chat's latest received messages a mark_read covers.
MARK_READ_LIMIT = 100


def message_ref(row: Message) -> dict[str, Any]:
    """What the child needs of a message a reply quotes or a reaction is on
    (``neonize_messages.MessageRef``)."""
    inbound = row.direction == "inbound"
    return {
        "message_id": row.engine_message_id,
        "from_me": not inbound,
        "sender": row.content.get("from_id") if inbound else None,
        "text": row.content.get("text") if row.type == "text" else None,
    }


class WebMessaging(ChildCalls):
    messaging_capabilities: ClassVar[frozenset[Capability]] = MESSAGING_CAPABILITIES

    async def send(self, message: OutboundMessage) -> str:
        if message.type not in SENDABLE_TYPES:
            raise EngineUnsupported(self.name, f"send_{message.type}")
        child = self._child
        if child is None or not child.alive:
            raise SendFailed("session_not_ready", "The session is not running.", transient=True)
        chat_id, react_to = message.chat_id, None
        if message.type == "reaction":
            target = await self._reaction_target(message)
            chat_id, react_to = target.chat_id, message_ref(target)
        reply_to = await self._reply_ref(message.reply_to_engine_id)
        async with self._media_files(message) as files, self._link_preview(message) as preview:
            uploads = bool(files) or "thumbnail_file" in (preview or {})
            try:
                result = await child.call(
                    "send", message_id=message.id, whatsapp_id=whatsapp_message_id(message.id),
                    chat_id=chat_id, type=message.type, content=message.content,
                    reply_to=reply_to, react_to=react_to, files=files, preview=preview,
                    timeout=MEDIA_SEND_TIMEOUT_SECONDS if uploads else SEND_TIMEOUT_SECONDS,
                )  # fmt: skip
            except ChildCallFailed as exc:
                raise SendFailed(exc.code, exc.message, transient=exc.transient) from None
        self._sent(child)
        return str(result["message_id"])

    def _sent(self, child: object) -> None:
        """A send was answered (the watchdog waits for its receipt); ``WebEngine``'s."""

    async def edit(self, engine_message_id: str, chat_id: str, text: str) -> None:
        await self._call("edit", chat_id=chat_id, message_id=engine_message_id, text=text)

    async def revoke(self, engine_message_id: str, chat_id: str) -> None:
        await self._call("revoke", chat_id=chat_id, message_id=engine_message_id)

    async def mark_read(self, chat_id: str) -> None:
        self._running_child()  # 409 before reading anything
        by_sender: dict[str | None, list[str]] = defaultdict(list)
        for engine_id, sender in await self._latest_received(chat_id):
            # WhatsApp takes a group's receipts one sender at a time.
            by_sender[sender if chat_id.endswith("@g.us") else None].append(engine_id)
        for sender, message_ids in by_sender.items():
            await self._call("mark_read", chat_id=chat_id, message_ids=message_ids, sender=sender)
        await chats.record_read(self.resources, self.session, chat_id)

    async def typing(self, chat_id: str, on: bool) -> None:
        await self._call("typing", chat_id=chat_id, on=on)

    # -- what the child cannot know -------------------------------------------------------

    async def _reaction_target(self, message: OutboundMessage) -> Message:
        reach = Reach(self.session.account_id, session_id=self.session.id)
        async with self.resources.sessionmaker() as db:
            target = await messages_repository.get(db, reach, message.content["message_id"])
        if target is None:
            raise SendFailed(
                "message_not_found", "The message reacted to is not in this session.",
                transient=False,
            )  # fmt: skip
        if target.engine_message_id is None:  # it has not gone out yet
            raise SendFailed(
                "reaction_target_not_sent", "The message reacted to is not sent yet.",
                transient=True,
            )  # fmt: skip
        return target

    async def _reply_ref(self, engine_message_id: str | None) -> dict[str, Any] | None:
        """The quoted message, as the child needs it; by its WhatsApp id alone when the
        gateway has no row of it."""
        if engine_message_id is None:
            return None
        async with self.resources.sessionmaker() as db:
            ids = await messages_repository.ids_by_engine_ids(
                db, self.session.id, [engine_message_id]
            )
            row = None
            if engine_message_id in ids:
                row = await messages_repository.in_session(
                    db, self.session.id, ids[engine_message_id]
                )
        if row is None:
            return {"message_id": engine_message_id, "from_me": False}
        return message_ref(row)

    async def _latest_received(self, chat_id: str) -> list[tuple[str, str | None]]:
        """WhatsApp ids and senders of the chat's latest received messages."""
        async with self.resources.sessionmaker() as db:
            return await messages_repository.latest_inbound(
                db, self.session.account_id, self.session.id, chat_id, MARK_READ_LIMIT
            )

    @contextlib.asynccontextmanager
    async def _media_files(self, message: OutboundMessage) -> AsyncIterator[dict[str, str]]:
        """``{"media": path}`` of the message's file, written into the session's
        directory for the child, and deleted once the send is over; ``{}`` without one."""
        if message.type not in MEDIA_TYPES:
            yield {}
            return
        workdir = self._workdir
        if workdir is None:
            raise SendFailed("session_not_ready", "The session is not running.", transient=True)
        content = await self._media_content(message)
        async with self._staged(content, f"send-{message.id}") as path:
            yield {"media": str(path)}

    @contextlib.asynccontextmanager
    async def _link_preview(self, message: OutboundMessage) -> AsyncIterator[dict[str, str] | None]:
        """``{url, title, description, thumbnail_file?}`` of the preview of a text's first
        link, the page's image written into the session's directory (deleted once the
        send is over); None when there is no preview to show."""
        found = await self._fetch_preview(message)
        if found is None:
            yield None
            return
        preview = {"url": found.url, "title": found.title, "description": found.description}
        workdir = self._workdir
        if found.image is None or workdir is None:
            yield preview
            return
        async with self._staged(found.image, f"preview-{message.id}") as path:
            yield {**preview, "thumbnail_file": str(path)}

    async def _fetch_preview(self, message: OutboundMessage) -> LinkPreview | None:
        """The preview of the text's first link, fetched here through the SSRF guard, when
        the text asks for one; None when it cannot be had: the text then goes without,
        and the log says why."""
        link = first_link(str(message.content.get("text") or ""))
        if message.type != "text" or link is None or not message.content.get("link_preview"):
            return None
        logged = {"session_id": self.session.id, "message_id": message.id,
                  "host": httpx.URL(link).host}  # fmt: skip
        try:
            found = await fetch_preview(
                link, allow_private=self.resources.settings.private_targets_allowed
            )
        except PreviewUnavailable as exc:
            log.info("web.link_preview.skipped", **logged, reason=exc.reason, detail=exc.detail)
            return None
        except Exception:
            # A preview is never worth a send: whatever went wrong, the text still goes.
            log.exception("web.link_preview.failed", **logged)
            return None
        if found.image_skipped is not None:
            log.info("web.link_preview.image_skipped", **logged, reason=found.image_skipped)
        return found

    async def _media_content(self, message: OutboundMessage) -> bytes:
        file = message.content.get("media") or {}
        if not file.get("id"):
            raise SendFailed("media_not_found", "The message has no file.", transient=False)
        try:
            content = await self._stored_media(str(file["id"]))
        except StorageError as exc:
            raise SendFailed("media_unavailable", str(exc), transient=True) from None
        if content is None:
            raise SendFailed("media_not_found", "The message's file was deleted.", transient=False)
        return content
