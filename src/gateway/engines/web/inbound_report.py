"""The host's side of what a session received: the child's inbound events reported
through ``EngineEvents``.

A received file arrives as a path in the session's directory: the host reads it, hands
its bytes to the report (which stores them in the media store) and deletes it. A path
outside that directory is refused (the message is reported without its file), so a
child can never make the host read anything else.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import structlog

from gateway.engines.base import (
    EngineEvents,
    InboundEdit,
    InboundMedia,
    InboundMessage,
    InboundRevoke,
)
from gateway.engines.records import IncomingCall, PresenceUpdate
from gateway.engines.web import chats
from gateway.engines.web.calls import ChildCalls
from gateway.engines.web.chat_events import ChatsSyncedData
from gateway.engines.web.event_data import EventData
from gateway.engines.web.inbound_events import (
    CallReceivedData,
    GroupChangedData,
    MessageEditedData,
    MessageReceivedData,
    MessageRevokedData,
    PresenceData,
    ReceivedFile,
)

log = structlog.get_logger(__name__)


async def report_inbound(engine: ChildCalls, events: EngineEvents, data: EventData) -> bool:
    """Report ``data`` if it is an inbound event; False if it is not one."""
    match data:
        case MessageReceivedData():
            await _report_message(engine, events, data)
        case MessageEditedData():
            await events.message_edited(
                InboundEdit(engine_message_id=data.message_id, chat_id=data.chat_id,
                            from_id=data.from_id, text=data.text, edited_at=data.edited_at)
            )  # fmt: skip
        case MessageRevokedData():
            await events.message_revoked(
                InboundRevoke(engine_message_id=data.message_id, chat_id=data.chat_id,
                              from_id=data.from_id, by_admin=data.by_admin,
                              revoked_at=data.revoked_at)
            )  # fmt: skip
        case PresenceData():
            await events.presence(
                PresenceUpdate.model_validate(data.model_dump(exclude={"type", "key"})),
                key=data.key,
            )
        case GroupChangedData():
            await events.group_changed(data.group_change(), key=data.key)
        case CallReceivedData():
            await events.call_received(
                IncomingCall.model_validate(data.model_dump(exclude={"type", "key"})),
                key=data.key,
            )
        case ChatsSyncedData():
            await chats.store_synced(engine.resources, engine.session, data)
        case _:
            return False
    return True


async def _report_message(
    engine: ChildCalls, events: EngineEvents, data: MessageReceivedData
) -> None:
    raw = dict(data.raw or {})
    media = content = None
    if data.media is not None:
        media = InboundMedia(mime_type=data.media.mime_type, filename=data.media.filename,
                             caption=data.media.caption)  # fmt: skip
        content = await _take_file(engine, data.media)
        if content is None and "media_error" not in raw:
            raw["media_error"] = data.media.error or "file_missing"
    message = InboundMessage(
        engine_message_id=data.message_id, chat_id=data.chat_id, from_id=data.from_id,
        from_phone_number=data.from_phone_number, from_lid=data.from_lid,
        from_name=data.from_name, group_id=data.group_id, type=data.message_type,
        text=data.text, media=media, voice=data.voice, location=data.location,
        contacts=data.contacts, reaction=data.reaction, raw=raw or None,
        timestamp=data.timestamp,
    )  # fmt: skip
    await events.message_received(message, media_content=content)


async def _take_file(engine: ChildCalls, media: ReceivedFile) -> bytes | None:
    """The bytes of the file the child downloaded, which is deleted; None when there is
    none, or it is not in the session's directory."""
    if media.path is None:
        return None
    workdir = engine._workdir
    try:
        return await asyncio.to_thread(_read_and_delete, Path(media.path), workdir)
    except (OSError, ValueError) as exc:
        log.warning("web.inbound.file_refused", session_id=engine.session.id,
                    path=media.path, error=str(exc))  # fmt: skip
        return None


def _read_and_delete(path: Path, workdir: Path | None) -> bytes:
    path = path.resolve()
    if workdir is None or not path.is_relative_to(workdir.resolve()):
        raise ValueError("not in the session's directory")
    try:
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
