"""How the API reaches engine hosts without talking to engines: nudges (Redis pub/sub, a
hint to reconcile now, or to an engine to look at its network now; hosts also reconcile
on a timer and sweep their engines slowly, so a lost nudge only delays) and calls to the
host holding a session's lease (an arq job on that host's own queue)."""

from __future__ import annotations

from typing import Any

import structlog
from arq.connections import ArqRedis
from arq.jobs import Job
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.engines.base import EngineFailure
from gateway.kit.aftercommit import publish_after_commit
from gateway.kit.errors import GatewayError

log = structlog.get_logger(__name__)

NUDGE_CHANNEL = "gateway:hosts:nudge"
# A nudge "engine:<session id>" is for the session's engine only; a bare session id asks
# the host for a pass too.
ENGINE_NUDGE_PREFIX = "engine:"


def host_queue(host_id: str) -> str:
    """The arq queue only the engine host ``host_id`` consumes."""
    return f"gateway:host:{host_id}"


def nudge_hosts_after_commit(db: AsyncSession, session_id: str) -> None:
    """Ask engine hosts to look at ``session_id`` now rather than at their next pass."""
    publish_after_commit(db, NUDGE_CHANNEL, session_id)


def poke_engine_after_commit(db: AsyncSession, session_id: str) -> None:
    """Tell the engine running ``session_id`` that its side changed (the sandbox's phone
    linked or logged out, a message is waiting for it): it looks at once, and idle engines
    need not poll."""
    publish_after_commit(db, NUDGE_CHANNEL, f"{ENGINE_NUDGE_PREFIX}{session_id}")


async def call_host(
    redis: ArqRedis, host_id: str, function: str, *args: Any, wait_seconds: float = 10.0
) -> dict[str, Any]:
    """Run ``function`` on the engine host ``host_id`` and return its result. Host
    functions return ``{"error": {...}}`` rather than raise, so the error survives the
    trip through Redis with its status and code."""
    job: Job | None = await redis.enqueue_job(function, *args, _queue_name=host_queue(host_id))
    if job is None:  # pragma: no cover - only with a duplicate job id, which we never pass
        raise EngineFailure("The engine host did not accept the request.")
    try:
        result: dict[str, Any] = await job.result(timeout=wait_seconds, poll_delay=0.02)
    except TimeoutError:
        await job.abort(timeout=0)
        raise EngineFailure(
            "The engine host did not answer in time; retry.", code="engine_timeout", status_code=504
        ) from None
    except Exception as exc:
        # Host functions answer errors rather than raise them, so this is a job that
        # failed on the host (a bug, or a host without the function during a rolling
        # upgrade): the caller gets a 502 it may retry, never the host's exception.
        log.warning("host.call_failed", host_id=host_id, function=function, error=repr(exc))
        raise EngineFailure("The engine host failed to answer; retry.") from None
    error = result.get("error")
    if error:
        raise GatewayError(
            error["message"],
            code=error["code"],
            status_code=error["status_code"],
            type=error["type"],
            param=error.get("param"),
        )
    return result


def error_result(error: GatewayError) -> dict[str, Any]:
    """The result a host function returns for ``error``."""
    return {
        "error": {
            "message": error.message,
            "code": error.code,
            "status_code": error.status_code,
            "type": error.type,
            "param": error.param,
        }
    }
