"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from sqlalchemy import text
from starlette.responses import Response

from gateway.kit.errors import envelope
from gateway.kit.responses import JsonResponse
from gateway.kit.state import app_state

router = APIRouter(tags=["Operations"])
CHECK_TIMEOUT = 2.0


@router.get("/healthz", operation_id="healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", operation_id="readyz", responses={503: {"description": "Not ready"}})
async def readyz(request: Request) -> Response:
    """PostgreSQL and Redis are reachable; 503 (with the failing check) otherwise."""
    state = app_state(request)

    async def postgres() -> None:
        async with state.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def redis() -> None:
        await state.redis.ping()

    checks: dict[str, str] = {}
    for name, check in (("postgres", postgres), ("redis", redis)):
        try:
            await asyncio.wait_for(check(), CHECK_TIMEOUT)
            checks[name] = "ok"
        except Exception as exc:
            checks[name] = f"unreachable: {type(exc).__name__}"
    failing = [name for name, result in checks.items() if result != "ok"]
    if not failing:
        return JsonResponse({"status": "ok", "checks": checks})
    body = envelope(
        type="api_error",
        code="not_ready",
        message=f"Not ready: {', '.join(failing)} unreachable.",
        request_id=getattr(request.state, "request_id", None),
    )
    return JsonResponse({**body, "checks": checks}, status_code=503)
