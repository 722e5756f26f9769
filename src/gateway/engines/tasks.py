"""Jobs that run on one engine host's own queue: calls into the engines it runs."""

from __future__ import annotations

from typing import Any

from gateway.engines.control import error_result
from gateway.kit.errors import GatewayError
from gateway.kit.jobs import JobContext
from gateway.messages.tasks import deliver_message


async def engine_request_pairing_code(
    ctx: JobContext, session_id: str, phone_number: str
) -> dict[str, Any]:
    """Ask the engine running ``session_id`` here for a pairing code."""
    from gateway.engines.host import EngineHost

    host: EngineHost = ctx["host"]
    runner = host.runners.get(session_id)
    if runner is None:
        return error_result(
            GatewayError(
                "The session is not running right now; retry in a moment.",
                code="session_not_ready",
                status_code=409,
            )
        )
    try:
        return {"code": await runner.engine.request_pairing_code(phone_number)}
    except GatewayError as exc:
        return error_result(exc)


HOST_FUNCTIONS = [engine_request_pairing_code, deliver_message]
