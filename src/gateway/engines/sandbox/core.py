"""What every part of the sandbox engine shares: its options, the link to the simulated
phone, and wake-ups.

The engine never polls: it sleeps until poked (the host relays a nudge: the phone linked
or logged out, a message waits; or the host's sweep found something) or until its next
ack falls due."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.engines.base import (
    Capability,
    Engine,
    EngineEvents,
    EngineResources,
    EngineSession,
)
from gateway.kit.aftercommit import run_after_commit
from gateway.kit.errors import GatewayError
from gateway.kit.phone import whatsapp_id
from gateway.sandbox import repository
from gateway.sessions.schemas import SandboxConfig


class SandboxCore(Engine):
    name: ClassVar[str] = "sandbox"
    # Everything but what only Meta's Cloud API has (interactive messages, templates).
    capabilities: ClassVar[frozenset[Capability]] = frozenset(Capability) - {
        Capability.send_interactive,
        Capability.send_template,
        Capability.templates,
    }

    def __init__(
        self, session: EngineSession, events: EngineEvents, resources: EngineResources
    ) -> None:
        super().__init__(session, events, resources)
        self.options = SandboxConfig.model_validate(session.config.get("sandbox", {}))
        self._wake = asyncio.Event()
        # Set by a poke: the network changed, look at the phone and the waiting messages.
        self._look = True

    @classmethod
    def supports(cls, capability: Capability, config: dict[str, Any]) -> bool:
        unsupported = config.get("sandbox", {}).get("unsupported", [])
        return capability in cls.capabilities and capability.value not in unsupported

    def poke(self) -> None:
        self._look = True
        self._wake.set()

    async def _pause(self, seconds: float | None) -> None:
        """Sleep until woken, or ``seconds`` have passed (None: until woken)."""
        if seconds is None:
            await self._wake.wait()
        else:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(seconds, 0))
        self._wake.clear()

    async def _commit(self, db: AsyncSession) -> None:
        """Commit, then push what the transaction deferred (wake-ups of other sessions'
        engines, for changes the network made for them)."""
        await db.commit()
        await run_after_commit(db, self.resources.redis)

    async def _linked(self) -> bool:
        async with self.resources.sessionmaker() as db:
            device = await repository.get_device(db, self.session.id)
        return device is not None and device.linked_at is not None

    async def _me(self) -> str:
        """The phone-number id of the session's simulated phone; 409 unless linked."""
        async with self.resources.sessionmaker() as db:
            device = await repository.get_device(db, self.session.id)
        if device is None or device.linked_at is None or device.phone_number is None:
            raise GatewayError(
                "The session is not linked to a phone.", code="session_not_ready", status_code=409
            )
        return whatsapp_id(device.phone_number)

    async def _check_linked(self) -> None:
        await self._me()
