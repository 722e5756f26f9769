"""What every part of the sandbox engine shares: its options, the link to the simulated
phone, and wake-ups."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, ClassVar

from gateway.engines.base import (
    Capability,
    Engine,
    EngineEvents,
    EngineResources,
    EngineSession,
)
from gateway.kit.errors import GatewayError
from gateway.kit.phone import whatsapp_id
from gateway.sandbox import repository
from gateway.sessions.schemas import SandboxConfig


class SandboxCore(Engine):
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
