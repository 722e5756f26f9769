"""The ``cloud`` engine: a number on Meta's WhatsApp Cloud API.

There is no connection to keep: the engine validates the number's credentials when it
starts (``GET /{phone_number_id}``: WORKING with the number's display name and quality
rating, or FAILED with the reason Graph gave), then sends through Graph for as long as it
runs. What Meta reports (statuses, inbound messages, template reviews) comes by Meta's
webhook to the API (``gateway.cloud``), not through the engine, so nothing is lost while
no engine runs. Sends are idempotent only as far as Graph allows: it has no idempotency
key, so a send retried after a crash mid-request reaches Meta twice (rare; counted by the
durability test).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import timedelta
from typing import ClassVar, TypeVar

import httpx
import structlog

from gateway.cloud import repository
from gateway.cloud.numbers import graph_of
from gateway.engines.base import (
    Capability,
    Engine,
    EngineEvents,
    EngineResources,
    EngineSession,
    Me,
    OutboundMessage,
    SendFailed,
    SessionStatus,
)
from gateway.engines.cloud import errors, payloads
from gateway.engines.cloud.graph import Graph, GraphError, GraphUnavailable, create_http_client
from gateway.engines.cloud.throughput import SendRate
from gateway.kit.time import utcnow
from gateway.media import repository as media_repository
from gateway.media.repository import Reach
from gateway.media.storage import StorageError, storage_for
from gateway.models import CloudNumber

log = structlog.get_logger(__name__)
T = TypeVar("T")

# Meta keeps an uploaded file 30 days; a day less, so a cached id never just expired.
UPLOAD_KEPT = timedelta(days=29)
MEDIA_TYPES = frozenset({"image", "video", "audio", "document", "sticker"})


class CloudEngine(Engine):
    name: ClassVar[str] = "cloud"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.me,
            Capability.send_text,
            Capability.send_image,
            Capability.send_video,
            Capability.send_audio,
            Capability.send_document,
            Capability.send_sticker,
            Capability.send_location,
            Capability.send_contact,
            Capability.send_reaction,
            Capability.send_interactive,
            Capability.send_template,
            Capability.templates,
            Capability.mark_read,
            Capability.typing,
        }
    )

    def __init__(
        self, session: EngineSession, events: EngineEvents, resources: EngineResources
    ) -> None:
        super().__init__(session, events, resources)
        self._number: CloudNumber | None = None
        self._graph: Graph | None = None
        self._rate: SendRate | None = None
        self._own_http: httpx.AsyncClient | None = None

    async def run(self) -> None:
        http = self.resources.http
        if http is None:  # no process-wide client (a test host): one for this engine
            http = self._own_http = create_http_client()
        try:
            if await self._connect(http):
                await asyncio.Event().wait()  # nothing to keep alive: wait to be stopped
        finally:
            self._graph = None
            if self._own_http is not None:
                await self._own_http.aclose()
                self._own_http = None

    async def _connect(self, http: httpx.AsyncClient) -> bool:
        async with self.resources.sessionmaker() as db:
            number = await repository.get_number(db, self.session.id)
        if number is None:
            await self.events.status(SessionStatus.FAILED, "cloud_number_missing")
            return False
        graph = graph_of(self.resources.settings, http, self.session.config, number)
        try:
            info = await graph.phone_number(number.phone_number_id)
        except GraphError as error:
            mapped = errors.mapped(error.code, error.status)
            reason = mapped.session_reason or "phone_number_unavailable"
            detail = errors.failure_message(error.code, error.message, error.details)
            await self.events.status(SessionStatus.FAILED, f"{reason}: {detail}"[:200])
            return False
        # GraphUnavailable propagates: a crash, restarted with backoff.
        self._number = number
        self._graph = graph
        per_second = int((self.session.config.get("cloud") or {}).get("messages_per_second", 80))
        self._rate = SendRate(self.resources.redis, number.phone_number_id, per_second)
        digits = "".join(ch for ch in str(info.get("display_phone_number", "")) if ch.isdigit())
        await self.events.linked(
            Me(
                id=f"{digits}@c.us",
                phone_number=f"+{digits}" if digits else None,
                push_name=info.get("verified_name"),
                verified_name=info.get("verified_name"),
                quality_rating=info.get("quality_rating"),
            )
        )
        return True

    async def logout(self) -> None:
        """Nothing is linked: the number stays registered with Meta until it is deleted
        there. Logging out a cloud session only stops it (see ``capabilities``)."""

    # -- sending ------------------------------------------------------------------------

    def _ready(self) -> tuple[Graph, CloudNumber, SendRate]:
        if self._graph is None or self._number is None or self._rate is None:
            raise SendFailed("session_not_ready", "The session is not connected.", transient=True)
        return self._graph, self._number, self._rate

    async def send(self, message: OutboundMessage) -> str:
        graph, number, rate = self._ready()
        try:
            body = await self._body(graph, number, message)
        except payloads.NotSendable as exc:
            raise SendFailed("unsupported_recipient", str(exc), transient=False) from None
        await rate.take()
        answer = await self._call(graph.send_message(number.phone_number_id, body))
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise SendFailed(
                "engine_unavailable", "Graph accepted the message without an id.", transient=True
            ) from None

    async def _body(
        self, graph: Graph, number: CloudNumber, message: OutboundMessage
    ) -> dict[str, object]:
        if message.type in MEDIA_TYPES:
            media_id = await self._uploaded(graph, number, message)
            return payloads.message_body(message, media_id=media_id)
        if message.type == "reaction":
            async with self.resources.sessionmaker() as db:
                target = await repository.engine_message_id(
                    db, self.session.id, message.content["message_id"]
                )
            if target is None:  # the message reacted to has not gone out yet
                raise SendFailed(
                    "reaction_target_not_sent", "The message reacted to is not sent yet.",
                    transient=True,
                )  # fmt: skip
            return payloads.message_body(message, reaction_target=target)
        return payloads.message_body(message)

    async def _uploaded(self, graph: Graph, number: CloudNumber, message: OutboundMessage) -> str:
        """Meta's id of the message's file: uploaded once per file and number."""
        file = message.content["media"]
        now = utcnow()
        async with self.resources.sessionmaker() as db:
            known = await repository.uploaded_media_id(
                db, file["id"], number.phone_number_id, now=now
            )
            row = None if known else await media_repository.get(
                db, Reach(self.session.account_id), file["id"]
            )  # fmt: skip
        if known:
            return known
        if row is None:
            raise SendFailed("media_not_found", "The message's file was deleted.", transient=False)
        try:
            content = await storage_for(self.resources.settings).get(row.storage_key)
        except StorageError as exc:
            raise SendFailed("media_unavailable", str(exc), transient=True) from None
        graph_id = await self._call(
            graph.upload_media(
                number.phone_number_id, content, row.mime_type, row.filename or row.id
            )
        )
        async with self.resources.sessionmaker() as db:
            await repository.remember_uploaded_media(
                db, row.id, number.phone_number_id, graph_id, now + UPLOAD_KEPT
            )
            await db.commit()
        return graph_id

    async def _call(self, call: Awaitable[T]) -> T:
        """Await a Graph call, its errors mapped to what becomes of the message."""
        try:
            return await call
        except GraphUnavailable as exc:
            raise SendFailed(
                errors.UNAVAILABLE.code, str(exc), transient=True,
                retry_after=errors.UNAVAILABLE.retry_after,
            ) from None  # fmt: skip
        except GraphError as error:
            mapped = errors.mapped(error.code, error.status)
            text = errors.failure_message(error.code, error.message, error.details)
            if mapped.session_reason is not None:
                # Nothing can go out until the number is fixed: the session FAILs (its
                # queue waits) rather than failing every message in it.
                log.warning("cloud.session_failed", session_id=self.session.id, code=error.code)
                await self.events.status(
                    SessionStatus.FAILED, f"{mapped.session_reason}: {text}"[:200]
                )
                self._graph = None
            raise SendFailed(
                mapped.code, text, transient=mapped.transient, retry_after=mapped.retry_after,
                engine_code=str(error.code) if error.code is not None else None,
            ) from None  # fmt: skip

    # -- chats --------------------------------------------------------------------------

    async def mark_read(self, chat_id: str) -> None:
        await self._read_receipt(chat_id, typing=False)

    async def typing(self, chat_id: str, on: bool) -> None:
        # Meta shows "typing…" until the next message or for 25 seconds; it cannot be
        # turned off early, and it marks the chat's last message read.
        if on:
            await self._read_receipt(chat_id, typing=True)

    async def _read_receipt(self, chat_id: str, *, typing: bool) -> None:
        graph, number, _ = self._ready()
        async with self.resources.sessionmaker() as db:
            last = await repository.latest_inbound_engine_id(db, self.session.id, chat_id)
        if last is None:
            return  # nothing received from the chat: nothing to mark
        await self._call(
            graph.send_message(number.phone_number_id, payloads.mark_read_body(last, typing=typing))
        )
