"""The URL Meta's webhook calls for cloud sessions (set it as the app's callback URL).

No API key: Meta proves itself with the verify token (the handshake) and the signature
of every notification (``inbound.py``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from gateway.cloud import inbound
from gateway.kit.errors import ErrorEnvelope
from gateway.kit.rawbody import raw_body
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.kit.state import app_state

router = APIRouter(prefix="/cloud", tags=["Cloud API webhook"], route_class=TransactionalRoute)


class NotificationReceived(BaseModel):
    received: int = Field(description="How many changes were stored (a repeat stores none).")


def _error(description: str) -> dict[str, object]:
    return {"model": ErrorEnvelope, "description": description}


@router.get(
    "/webhook",
    response_class=PlainTextResponse,
    responses={
        200: {"content": {"text/plain": {"example": "1158201444"}}},
        403: _error("The verify token is no cloud session's."),
        422: _error("A `hub.*` parameter is missing or invalid."),
    },
)
async def verify_cloud_webhook(
    request: Request,
    db: DbSession,
    mode: Annotated[str, Query(alias="hub.mode", max_length=32)],
    verify_token: Annotated[str, Query(alias="hub.verify_token", max_length=256)],
    challenge: Annotated[str, Query(alias="hub.challenge", max_length=256)],
) -> PlainTextResponse:
    """Meta's subscription handshake: answers `hub.challenge` when `hub.verify_token` is
    the verify token of a cloud session's number."""
    answer = await inbound.verify_subscription(
        db, app_state(request).settings, mode=mode, verify_token=verify_token,
        challenge=challenge,
    )  # fmt: skip
    return PlainTextResponse(answer)


@router.post(
    "/webhook",
    response_model=NotificationReceived,
    responses={
        401: _error("`X-Hub-Signature-256` is missing or does not match the body."),
        413: _error("The body is larger than 1 MiB."),
        422: _error(
            "The body is not JSON (`invalid_json`), or a field holds a NUL character or "
            "bytes that are not UTF-8."
        ),
    },
)
async def receive_cloud_webhook(
    request: Request,
    db: DbSession,
    signature: Annotated[
        str | None,
        Header(alias="X-Hub-Signature-256", description="`sha256=<hex HMAC of the body>`."),
    ] = None,
) -> NotificationReceived:
    """A notification from Meta (statuses, received messages, template reviews …):
    stored before the 200, processed right after."""
    body = await raw_body(request, inbound.MAX_BODY_BYTES)
    stored = await inbound.receive(db, app_state(request).settings, body, signature)
    return NotificationReceived(received=stored)
