"""The sandbox engine: a simulated WhatsApp network whose state lives in PostgreSQL.

Its QR codes and pairing codes are real (a phone-shaped client could render them); the
"phone" is the sandbox control API, which links the session, sends it messages, or logs
it out. Everything a real engine reports, the sandbox reports the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from datetime import timedelta
from typing import Any, ClassVar

from gateway.engines.base import (
    Capability,
    Engine,
    EngineEvents,
    EngineFailure,
    EngineResources,
    EngineSession,
    InboundMedia,
    InboundMessage,
    Me,
    OutboundMessage,
    SendFailed,
    SessionStatus,
)
from gateway.kit.errors import GatewayError
from gateway.kit.phone import whatsapp_id
from gateway.kit.time import utcnow
from gateway.sandbox import repository
from gateway.sessions.schemas import SandboxConfig

# Pairing codes as WhatsApp shows them: 8 characters without look-alikes, XXXX-XXXX.
PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTVWXYZ123456789"
# How often the engine looks at its state when nothing pokes it.
POLL_SECONDS = 0.5

# Magic numbers, as Stripe has test cards: each recipient behaves as documented.
NOT_ON_WHATSAPP = "12025550101@c.us"
NEVER_READS = "12025550102@c.us"
FAILS_TWICE = "12025550103@c.us"
LOGS_OUT = "12025550104@c.us"
ECHO = "12025550105@c.us"

# How long after sending WhatsApp lets a message be edited, or deleted for everyone.
EDIT_WINDOW = timedelta(minutes=15)
REVOKE_WINDOW = timedelta(hours=60)


class SandboxEngine(Engine):
    name: ClassVar[str] = "sandbox"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(Capability)

    def __init__(
        self, session: EngineSession, events: EngineEvents, resources: EngineResources
    ) -> None:
        super().__init__(session, events, resources)
        self.options = SandboxConfig.model_validate(session.config.get("sandbox", {}))
        self._poked = asyncio.Event()

    @classmethod
    def supports(cls, capability: Capability, config: dict[str, Any]) -> bool:
        unsupported = config.get("sandbox", {}).get("unsupported", [])
        return capability in cls.capabilities and capability.value not in unsupported

    def poke(self) -> None:
        self._poked.set()

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._poked.wait(), max(seconds, 0))
        self._poked.clear()

    async def run(self) -> None:
        async with self.resources.sessionmaker() as db:
            device = await repository.ensure_device(db, self.session.id)
            await db.commit()
        if device.linked_at is None and not await self._show_qr_until_linked():
            await self.events.status(SessionStatus.FAILED, "qr_timeout")
            return
        async with self.resources.sessionmaker() as db:
            linked = await repository.get_device(db, self.session.id)
        if linked is None or linked.phone_number is None:  # logged out in between
            await self.events.status(SessionStatus.FAILED, "logged_out")
            return
        await self.events.linked(
            Me(
                id=whatsapp_id(linked.phone_number),
                phone_number=linked.phone_number,
                push_name=linked.push_name,
            )
        )
        await self._stay_connected()
        await self.events.status(SessionStatus.FAILED, "logged_out")

    async def _linked(self) -> bool:
        async with self.resources.sessionmaker() as db:
            device = await repository.get_device(db, self.session.id)
        return device is not None and device.linked_at is not None

    async def _show_qr_until_linked(self) -> bool:
        ttl = self.options.qr_ttl_seconds
        for _ in range(self.options.qr_max_renewals + 1):
            value = f"2@{secrets.token_urlsafe(24)},{self.session.id},sandbox"
            await self.events.qr(value, utcnow() + timedelta(seconds=ttl))
            if self.options.auto_link:
                await asyncio.sleep(min(0.05, ttl / 2))
                async with self.resources.sessionmaker() as db:
                    await repository.link_device(
                        db, self.session.id, phone_number=None, push_name=None
                    )
                    await db.commit()
            deadline = time.monotonic() + ttl
            while (left := deadline - time.monotonic()) > 0:
                if await self._linked():
                    return True
                await self._pause(min(POLL_SECONDS, left))
        return await self._linked()

    async def _stay_connected(self) -> None:
        """Receive messages and acks until the phone logs the session out."""
        while await self._linked():
            await self._receive_waiting_messages()
            next_ack = await self._report_due_acks()
            await self._pause(min(POLL_SECONDS, next_ack))

    async def send(self, message: OutboundMessage) -> str:
        async with self.resources.sessionmaker() as db:
            record = await repository.record_send_attempt(
                db, message.id, self.session.id, message.chat_id
            )
            if record.accepted_at is not None:  # sent before; the network keeps one copy
                await db.commit()
                return record.engine_message_id
            if message.chat_id == NOT_ON_WHATSAPP:
                await db.commit()
                raise SendFailed(
                    "recipient_not_on_whatsapp",
                    "This number is not on WhatsApp.",
                    transient=False,
                )
            if message.chat_id == FAILS_TWICE and record.attempts <= 2:
                await db.commit()
                raise SendFailed(
                    "rate_limited", "WhatsApp asked to slow down.", transient=True, retry_after=0.5
                )
            record.engine_message_id = "3EB0" + secrets.token_hex(8).upper()
            record.accepted_at = utcnow()
            record.next_ack = "delivered"
            voice_note = message.type == "audio" and message.content.get("voice")
            record.read_as = "played" if voice_note else "read"
            record.next_ack_at = utcnow() + timedelta(milliseconds=self.options.ack_delivered_ms)
            if message.chat_id == ECHO and message.type == "text":
                await repository.add_inbound(
                    db,
                    self.session.id,
                    {"from": "+12025550105", "from_name": "Echo", "type": "text",
                     "text": f"echo: {message.content.get('text', '')}"},
                )  # fmt: skip
            if message.chat_id == LOGS_OUT:
                await repository.unlink_device(db, self.session.id, by_phone=True)
            await db.commit()
        self.poke()
        return record.engine_message_id

    async def _report_due_acks(self) -> float:
        """Report the acks that are due; returns the seconds until the next one."""
        async with self.resources.sessionmaker() as db:
            due = [
                (r.message_id, r.engine_message_id, r.next_ack, r.recipient, r.read_as)
                for r in await repository.due_acks(db, self.session.id)
            ]
        for _, engine_id, status, _, _ in due:
            assert status is not None
            await self.events.message_ack(engine_id, status)
        read_at = utcnow() + timedelta(milliseconds=self.options.ack_read_ms)
        async with self.resources.sessionmaker() as db:
            for message_id, _, status, recipient, read_as in due:
                follows = status == "delivered" and recipient != NEVER_READS
                await repository.schedule_ack(
                    db, message_id, read_as if follows else None, read_at if follows else None
                )
            await db.commit()
            upcoming = await repository.next_ack_at(db, self.session.id)
        if upcoming is None:
            return POLL_SECONDS
        return max(0.0, (upcoming - utcnow()).total_seconds())

    # Reports open transactions of their own: each loop below reads what is due and lets its
    # connection go before reporting, so a busy host never holds two connections per
    # session (which starves the pool). Reporting twice after a crash is harmless: inbound
    # messages are stored once per id, and acks only move a message forward.

    async def _receive_waiting_messages(self) -> None:
        async with self.resources.sessionmaker() as db:
            waiting = [
                (row.id, row.payload) for row in await repository.take_inbound(db, self.session.id)
            ]
        for inbound_id, payload in waiting:
            await self.events.message_received(_inbound_message(inbound_id, payload))
        if waiting:
            async with self.resources.sessionmaker() as db:
                await repository.mark_received(db, [inbound_id for inbound_id, _ in waiting])
                await db.commit()

    async def logout(self) -> None:
        async with self.resources.sessionmaker() as db:
            await repository.unlink_device(db, self.session.id, by_phone=False)
            await db.commit()

    async def request_pairing_code(self, phone_number: str) -> str:
        if await self._linked():
            raise GatewayError(
                "The session is already linked.", code="session_not_ready", status_code=409
            )
        raw = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        async with self.resources.sessionmaker() as db:
            await repository.set_pairing_code(db, self.session.id, code, phone_number)
            await db.commit()
        return code

    async def edit(self, engine_message_id: str, chat_id: str, text: str) -> None:
        await self._check_own_message(
            engine_message_id, chat_id, EDIT_WINDOW, "message_not_editable"
        )

    async def revoke(self, engine_message_id: str, chat_id: str) -> None:
        await self._check_own_message(
            engine_message_id, chat_id, REVOKE_WINDOW, "message_not_revocable"
        )

    async def mark_read(self, chat_id: str) -> None:
        await self._check_linked()

    async def typing(self, chat_id: str, on: bool) -> None:
        await self._check_linked()

    async def _check_linked(self) -> None:
        if not await self._linked():
            raise GatewayError(
                "The session is not linked to a phone.", code="session_not_ready", status_code=409
            )

    async def _check_own_message(
        self, engine_message_id: str, chat_id: str, window: timedelta, too_late_code: str
    ) -> None:
        """The network changes only messages this session sent to ``chat_id``, and only
        within WhatsApp's time limit; it keeps no other trace of edits and revokes."""
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            record = await repository.accepted_send(db, self.session.id, engine_message_id)
        if record is None or record.recipient != chat_id:
            raise EngineFailure(
                f"The network has no message {engine_message_id} from this session in {chat_id}.",
                code="engine_message_unknown",
            )
        assert record.accepted_at is not None
        if utcnow() - record.accepted_at > window:
            hours = window.total_seconds() / 3600
            raise GatewayError(
                f"WhatsApp allows this only within {hours:g} hours of sending.",
                code=too_late_code,
                status_code=409,
            )


def _inbound_message(inbound_id: str, payload: dict[str, Any]) -> InboundMessage:
    sender = payload["from"]
    from_id = payload.get("from_lid") or whatsapp_id(sender)
    media = payload.get("media")
    return InboundMessage(
        engine_message_id=inbound_id,
        chat_id=payload.get("group_id") or from_id,
        from_id=from_id,
        from_phone_number=None if payload.get("from_lid") else sender,
        from_name=payload.get("from_name"),
        group_id=payload.get("group_id"),
        type=payload.get("type", "text"),
        text=payload.get("text"),
        media=InboundMedia.model_validate(media) if media else None,
        timestamp=utcnow(),
    )
