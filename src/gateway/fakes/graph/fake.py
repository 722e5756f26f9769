"""``FakeGraph``: the behaviour behind the routes (sends, statuses, templates, inbound, media).

Webhooks go out from background tasks so a Graph route answers first, as Meta's do; the
tasks are cancelled by ``aclose()``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import secrets
import time
from collections.abc import Coroutine, Sequence
from typing import Any

import httpx
import structlog

from gateway.fakes.graph import payloads
from gateway.fakes.graph.errors import GraphError, catalogued, invalid_parameter, template_exists
from gateway.fakes.graph.magic import HANGS, magic_failure
from gateway.fakes.graph.notify import Notifier
from gateway.fakes.graph.state import (
    FakeNumber,
    GraphState,
    Notification,
    ReadReceipt,
    SentMessage,
    StoredMedia,
    Template,
    digits_of,
    numeric_id,
)
from gateway.fakes.graph.validation import (
    check_template_params,
    sent_params,
    validate_message,
    validate_read,
    validate_template,
)

log = structlog.get_logger(__name__)

STATUSES = ("sent", "delivered", "read")
INBOUND_MEDIA = ("image", "video", "audio", "document", "sticker")
INBOUND_TYPES = (
    *INBOUND_MEDIA,
    "text",
    "location",
    "contacts",
    "reaction",
    "interactive",
    "button",
)


def new_wamid(to: str) -> str:
    raw = b"\x15\x02\x00\x11\x18\x12" + to.encode() + secrets.token_bytes(12)
    return "wamid.HBgL" + base64.b64encode(raw).decode().rstrip("=")


class FakeGraph:
    """An in-memory WhatsApp Cloud API: numbers, sends, media, templates and webhooks."""

    def __init__(
        self,
        *,
        status_delays: Sequence[float] | None = (0.05, 0.1, 0.1),
        template_review_seconds: float | None = 0.5,
        notify_client: httpx.AsyncClient | None = None,
        notify_attempts: int = 4,
        notify_backoff: float = 0.05,
        magic_numbers: bool = True,
        hang_seconds: float = 120.0,
    ) -> None:
        self.state = GraphState()
        self.notifier = Notifier(
            self.state, notify_client, attempts=notify_attempts, backoff=notify_backoff
        )
        self.status_delays = tuple(status_delays) if status_delays is not None else None
        self.template_review_seconds = template_review_seconds
        self.magic_numbers = magic_numbers
        self.hang_seconds = hang_seconds
        self._closing = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()

    # What tests read.
    @property
    def sent(self) -> list[SentMessage]:
        return self.state.sent

    @property
    def reads(self) -> list[ReadReceipt]:
        return self.state.reads

    @property
    def media(self) -> dict[str, StoredMedia]:
        return self.state.media

    @property
    def templates(self) -> dict[str, Template]:
        return self.state.templates

    @property
    def notifications(self) -> list[Notification]:
        return self.state.notifications

    @property
    def sign_with(self) -> str | None:
        return self.notifier.sign_with

    @sign_with.setter
    def sign_with(self, secret: str | None) -> None:
        self.notifier.sign_with = secret

    def count_by_callback(self, data: str) -> int:
        return self.state.count_by_callback(data)

    def add_number(self, *, webhook_url: str | None = None, **fields: Any) -> FakeNumber:
        """A business number (random ids and secrets unless given), with its webhook URL."""
        number = self.state.add_number(**fields)
        if webhook_url is not None:
            self.set_webhook(number, webhook_url)
        return number

    def set_webhook(self, number: FakeNumber, url: str | None) -> None:
        """Where notifications for ``number``'s app go (one URL per app secret, as at Meta)."""
        if url is None:
            self.state.webhook_urls.pop(number.app_secret, None)
        else:
            self.state.webhook_urls[number.app_secret] = url

    def script_failure(self, to: str, code: int, times: int = 1, mode: str = "sync") -> None:
        self.state.script_failure(to, code, times, "async" if mode == "async" else "sync")

    # Messages.
    async def send(self, number: FakeNumber, body: dict[str, Any]) -> dict[str, Any]:
        if "status" in body:
            return self.mark_read(number, body)
        kind = validate_message(body, {m.id for m in self.media.values()})
        to: str = body["to"]
        category = "service"
        if kind == "template":
            category = self._check_template(number, body["template"]).category.lower()
        failure = self.state.take_failure(to)
        digits = digits_of(to)
        if failure is None and self.magic_numbers:
            if digits == HANGS:
                await self._hang()
            failure = magic_failure(digits)
        if failure is not None and failure.mode == "sync":
            raise catalogued(failure.code, failure.details)
        message = SentMessage(new_wamid(digits), number.phone_number_id, to, body, time.time())
        self.state.sent.append(message)
        if failure is not None:
            error = catalogued(failure.code, failure.details)
            self._spawn(self._report_failure(number, message, error))
        elif self.status_delays is not None:
            self._spawn(self._report_statuses(number, message, category))
        sent: dict[str, Any] = {"id": message.wamid}
        if kind == "template":
            sent["message_status"] = "accepted"
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": digits}],
            "messages": [sent],
        }

    def mark_read(self, number: FakeNumber, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("messaging_product") != "whatsapp":
            raise invalid_parameter("Param messaging_product must be 'whatsapp'")
        validate_read(body)
        receipt = ReadReceipt(
            number.phone_number_id, body["message_id"], "typing_indicator" in body, time.time()
        )
        self.state.reads.append(receipt)
        return {"success": True}

    def _check_template(self, number: FakeNumber, template: dict[str, Any]) -> Template:
        name, language = template["name"], template["language"]["code"]
        found = [
            t
            for t in self.state.find_template(number.waba_id, name, language)
            if t.status == "APPROVED"
        ]
        if not found:
            raise catalogued(132001, f"template name ({name}) does not exist in {language}")
        error = check_template_params(found[0].expected_params(), sent_params(template))
        if error is not None:
            raise error
        return found[0]

    async def _hang(self) -> None:
        # Released by aclose() so that a server shutting down does not wait for it.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), self.hang_seconds)
        raise catalogued(2)

    async def _report_statuses(
        self, number: FakeNumber, message: SentMessage, category: str
    ) -> None:
        conversation = secrets.token_hex(16)
        for status, delay in zip(STATUSES, self.status_delays or (), strict=False):
            await asyncio.sleep(delay)
            message.status = status
            item = payloads.status_object(
                message, status, category=category, conversation_id=conversation
            )
            await self.notifier.deliver(
                number.app_secret, payloads.messages_change(number, statuses=[item])
            )

    async def _report_failure(
        self, number: FakeNumber, message: SentMessage, error: GraphError
    ) -> None:
        await asyncio.sleep(self.status_delays[0] if self.status_delays else 0.0)
        message.status = "failed"
        item = payloads.status_object(
            message, "failed", category="service", conversation_id="", error=error
        )
        await self.notifier.deliver(
            number.app_secret, payloads.messages_change(number, statuses=[item])
        )

    # Media.
    def store_media(
        self, number: FakeNumber, data: bytes, mime_type: str, filename: str | None = None
    ) -> StoredMedia:
        media = StoredMedia(numeric_id(16), number.phone_number_id, mime_type, data, filename)
        self.state.media[media.id] = media
        return media

    # Templates.
    def create_template(self, waba_id: str, body: dict[str, Any]) -> Template:
        name, language, category, components, parameter_format = validate_template(body)
        if self.state.find_template(waba_id, name, language):
            raise template_exists(language)
        template = self.state.add_template(
            waba_id, name, language, category, components, parameter_format
        )
        if self.template_review_seconds is not None:
            self._spawn(self._review(template, self.template_review_seconds))
        return template

    async def _review(self, template: Template, delay: float) -> None:
        await asyncio.sleep(delay)
        if template.status == "PENDING":
            await self.decide_template(template, "APPROVED")

    async def decide_template(
        self, template: Template, event: str, reason: str | None = None
    ) -> None:
        """Set a template's status and tell the app, as Meta's review does."""
        template.status = event
        number = self.state.number_of_waba(template.waba_id)
        if number is not None:
            payload = payloads.template_status(template, event, reason)
            await self.notifier.deliver(number.app_secret, payload)

    # Inbound.
    async def receive(
        self,
        number: FakeNumber,
        sender: str,
        name: str,
        message: dict[str, Any],
        context: dict[str, Any] | None = None,
    ) -> str:
        """A customer's message to ``number``: a ``messages`` webhook; answers its wamid."""
        kind = message.get("type")
        if kind not in INBOUND_TYPES:
            raise ValueError(f"message.type must be one of {', '.join(INBOUND_TYPES)}")
        if kind in INBOUND_MEDIA:
            content = self._inbound_media(number, message)
        elif kind in message:
            content = message[kind]
        else:
            raise ValueError(f"message.{kind} is required")
        digits = digits_of(sender)
        wamid = new_wamid(digits)
        item = payloads.inbound_message(digits, wamid, str(kind), content, context)
        self.state.inbound.append(item)
        payload = payloads.messages_change(
            number, contacts=[{"profile": {"name": name}, "wa_id": digits}], messages=[item]
        )
        self._spawn(self.notifier.deliver(number.app_secret, payload))
        return wamid

    def _inbound_media(self, number: FakeNumber, message: dict[str, Any]) -> dict[str, Any]:
        media = message.get("media")
        if not isinstance(media, dict) or "mime_type" not in media:
            raise ValueError("message.media with mime_type and data_base64 is required")
        try:
            data = base64.b64decode(media.get("data_base64", ""), validate=True)
        except binascii.Error:
            raise ValueError("message.media.data_base64 is not base64") from None
        filename = media.get("filename")
        stored = self.store_media(number, data, media["mime_type"], filename)
        extra = {k: media[k] for k in ("caption", "filename") if media.get(k) is not None}
        return payloads.inbound_media(stored.id, stored.mime_type, data, extra)

    async def verify_webhook(self, number: FakeNumber) -> dict[str, Any]:
        url = self.state.webhook_urls.get(number.app_secret)
        if url is None:
            return {"success": False, "error": "no webhook URL for this number's app"}
        return await self.notifier.verify(url, number.verify_token)

    # Lifecycle.
    def _spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("fake_graph.task.failed", exc_info=task.exception())

    async def aclose(self) -> None:
        """Release hanging sends, stop pending webhooks, close the client the fake made."""
        self._closing.set()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.notifier.aclose()
