"""The event payloads, published in the OpenAPI document's ``webhooks`` section.

One entry per documented event type, named after it (``session.status``), whose request
body is the whole event with its typed ``data``: SDK generators make a class of each, and
receivers see exactly what they will be sent.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from starlette.responses import Response

from gateway.events.schemas import EVENT_MODELS, EVENT_PAYLOADS, EventBase
from gateway.events.types import EventType

_RESPONSES: dict[int | str, dict[str, str]] = {
    200: {"description": "Received: any 2xx status acknowledges the event."},
    # Also keeps FastAPI from documenting a 422 the receiver would never send.
    "default": {"description": "Any other status counts as a failed delivery."},
}


def webhook_operation_id(event_type: EventType) -> str:
    """``session.status`` -> ``event_session_status``: stable, and apart from the paths'
    operation ids, which are endpoint function names."""
    return "event_" + event_type.value.replace(".", "_")


def _receiver(model: type[EventBase]) -> Callable[..., Awaitable[None]]:
    async def receive_event(event: EventBase) -> None:
        """Documentation only: the gateway sends this request, it never serves it."""

    # The body's model differs per event type; FastAPI reads it from the annotations.
    receive_event.__annotations__ = {"event": model, "return": None}
    return receive_event


def register_event_docs(app: FastAPI) -> None:
    """Document every event type that has a payload model as a webhook of ``app``."""
    for event_type, model in EVENT_MODELS.items():
        operation_id = webhook_operation_id(event_type)
        app.webhooks.add_api_route(
            event_type.value,
            _receiver(model),
            methods=["POST"],
            name=operation_id,
            operation_id=operation_id,
            summary=event_type.value,
            description=inspect.getdoc(EVENT_PAYLOADS[event_type]) or "",
            tags=["Events"],
            response_class=Response,
            responses=_RESPONSES,
        )
