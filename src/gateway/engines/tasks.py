"""Jobs that run on one engine host's own queue: calls into the engines it runs.

Each returns a dict, with ``{"error": …}`` in place of raising a ``GatewayError``, so that
``control.call_host`` can raise the same error on the API side."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Concatenate, ParamSpec

from arq.worker import func
from pydantic import BaseModel

from gateway.engines.base import Engine
from gateway.engines.control import error_result
from gateway.kit.errors import GatewayError
from gateway.kit.jobs import JobContext
from gateway.messages.tasks import deliver_message

P = ParamSpec("P")
HostCall = Callable[Concatenate[JobContext, str, P], Coroutine[Any, Any, dict[str, Any]]]


def on_engine(
    call: Callable[Concatenate[Engine, P], Awaitable[dict[str, Any]]],
) -> HostCall[P]:
    """Run ``call`` with the engine of the session (the job's first argument) running on
    this host; its errors become the result."""

    @functools.wraps(call)
    async def job(
        ctx: JobContext, session_id: str, /, *args: P.args, **kwargs: P.kwargs
    ) -> dict[str, Any]:
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
            return await call(runner.engine, *args, **kwargs)
        except GatewayError as exc:
            return error_result(exc)

    return job


@on_engine
async def engine_request_pairing_code(engine: Engine, phone_number: str) -> dict[str, Any]:
    """Ask the engine for a pairing code."""
    return {"code": await engine.request_pairing_code(phone_number)}


@on_engine
async def engine_edit_message(
    engine: Engine, engine_message_id: str, chat_id: str, text: str
) -> dict[str, Any]:
    """Replace the text of a message the session sent."""
    await engine.edit(engine_message_id, chat_id, text)
    return {}


@on_engine
async def engine_revoke_message(
    engine: Engine, engine_message_id: str, chat_id: str
) -> dict[str, Any]:
    """Delete a message the session sent, for everyone."""
    await engine.revoke(engine_message_id, chat_id)
    return {}


@on_engine
async def engine_mark_read(engine: Engine, chat_id: str) -> dict[str, Any]:
    """Mark a chat read."""
    await engine.mark_read(chat_id)
    return {}


@on_engine
async def engine_typing(engine: Engine, chat_id: str, on: bool) -> dict[str, Any]:
    """Start or stop showing "typing…" in a chat."""
    await engine.typing(chat_id, on)
    return {}


# The engine's directory operations (contacts, chats, groups) the API may call by name.
ENGINE_OPERATIONS = frozenset(
    {
        "contacts", "contact", "check_numbers", "profile_picture", "about", "block", "lid",
        "lid_by_phone", "chats", "chat", "archive_chat", "mark_chat_unread", "delete_chat",
        "groups", "group", "create_group", "update_group", "update_participants",
        "leave_group", "group_invite", "group_preview", "join_group",
    }
)  # fmt: skip


@on_engine
async def engine_operation(
    engine: Engine, operation: str, kwargs: dict[str, Any]
) -> dict[str, Any]:
    """Run one of the engine's directory operations; the result travels as JSON."""
    if operation not in ENGINE_OPERATIONS:
        raise GatewayError(f"Unknown engine operation '{operation}'.", status_code=500)
    result = await getattr(engine, operation)(**kwargs)
    return {"result": _as_json(result)}


def _as_json(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    return value


HOST_FUNCTIONS: list[Any] = [
    engine_operation,
    engine_request_pairing_code,
    engine_edit_message,
    engine_revoke_message,
    engine_mark_read,
    engine_typing,
    # One per accepted message, and nobody reads its result: not stored.
    func(deliver_message, keep_result=0),
]
