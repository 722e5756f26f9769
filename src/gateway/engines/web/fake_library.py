"""The ``fake`` WhatsApp client: the real neonize adapter over ``fake_neonize``."""

from __future__ import annotations

from typing import Any

from gateway.engines.web.clients import Emit
from gateway.engines.web.fake_neonize import EVENTS, FakeNewAClient
from gateway.engines.web.neonize_client import NeonizeClient


class FakeLibrary:
    events = EVENTS

    def prepare(self) -> None:
        return None

    def new_client(
        self, store: str, jid: Any, *, uuid: str, new_device: bool, options: dict[str, Any]
    ) -> FakeNewAClient:
        return FakeNewAClient(store, jid, uuid=uuid, new_device=new_device, options=options)

    async def stored_devices(self, store: str) -> list[str]:
        return await FakeNewAClient.stored_devices(store)


def FakeClient(session_id: str, emit: Emit) -> NeonizeClient:
    return NeonizeClient(session_id, emit, FakeLibrary())
