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
    EngineResources,
    EngineSession,
    InboundMedia,
    InboundMessage,
    Me,
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
        """Receive messages until the phone logs the session out."""
        while await self._linked():
            await self._receive_waiting_messages()
            await self._pause(POLL_SECONDS)

    async def _receive_waiting_messages(self) -> None:
        async with self.resources.sessionmaker() as db:
            waiting = await repository.take_inbound(db, self.session.id)
            for row in waiting:
                await self.events.message_received(_inbound_message(row.id, row.payload))
                row.received_at = utcnow()
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
