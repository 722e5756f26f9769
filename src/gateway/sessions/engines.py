"""``GET /v1/engines``: the engines a session can run on and what each can do, so a
client adapts before it meets a 501."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.engines.base import Capability
from gateway.engines.registry import ENGINES
from gateway.kit.errors import ERROR_RESPONSES

router = APIRouter(prefix="/engines", tags=["Sessions"], responses=ERROR_RESPONSES)

Reader = Annotated[Principal, scoped("sessions", Access.read)]

DESCRIPTIONS = {
    "sandbox": "A simulated WhatsApp network for tests and trials: real QR and pairing "
    "codes, virtual contacts that ack and reply, magic numbers for every failure mode.",
    "cloud": "Meta's WhatsApp Cloud API: an official business number, no QR code; "
    "templates outside the 24-hour customer-service window.",
}


class EngineOut(BaseModel):
    object: Literal["engine"] = "engine"
    name: str = Field(examples=["cloud"])
    description: str
    livemode: bool = Field(description="Reaches real WhatsApp users: test-mode keys cannot use it.")
    capabilities: list[Capability] = Field(
        description="What the engine can do in its default configuration."
    )


class EngineList(BaseModel):
    object: Literal["list"] = "list"
    data: list[EngineOut]
    has_more: Literal[False] = False


_ENGINES = EngineList(
    data=[
        EngineOut(
            name=name,
            description=DESCRIPTIONS.get(name, ""),
            livemode=name != "sandbox",
            capabilities=[c for c in Capability if engine.supports(c, {})],
        )
        for name, engine in sorted(ENGINES.items())
    ]
)


@router.get("", response_model=EngineList)
async def list_engines(caller: Reader) -> EngineList:
    """Every engine of this gateway with its capabilities (a session's own, as its
    config makes them, are on the session object)."""
    return _ENGINES
