"""What the web engine's parts share: the session's running child and calls to it.

``WebEngine`` is put together from parts (linking and running in ``engine``, messaging in
``messaging``, contacts, chats and groups in ``directory``); each derives from
``ChildCalls`` and reaches the child only through ``_call``, which turns the child's
errors into the API's: a session with no child running is not ready (409, transient for
sends), a ``ClientError`` code the part maps is answered as mapped, anything else is an
engine failure (502) carrying the client's code.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from gateway.engines.base import EngineFailure, EngineResources, EngineSession
from gateway.engines.web.process import ChildCallFailed, ChildProcess
from gateway.kit.errors import GatewayError


class SessionNotRunning(GatewayError):
    status_code = 409
    type = "invalid_request_error"
    code = "session_not_ready"


class ChildCalls:
    session: EngineSession
    resources: EngineResources
    name: ClassVar[str]
    _child: ChildProcess | None
    # The session's private directory, shared with its child: files travel as paths in it.
    _workdir: Path | None

    def _running_child(self) -> ChildProcess:
        child = self._child
        if child is None or not child.alive:
            raise SessionNotRunning("The session is not running: start it first.")
        return child

    async def _call(
        self,
        op: str,
        /,
        *,
        errors: Mapping[str, type[GatewayError] | GatewayError] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the call's own
        **args: Any,
    ) -> Any:
        """The child's answer to ``op``. A failure whose code is in ``errors`` raises what
        it maps to (an error class is built with the client's message); any other is an
        ``EngineFailure`` with the client's code."""
        child = self._running_child()
        try:
            if timeout is None:
                return await child.call(op, **args)
            return await child.call(op, timeout=timeout, **args)
        except ChildCallFailed as exc:
            mapped = (errors or {}).get(exc.code)
            if isinstance(mapped, GatewayError):
                raise mapped from None
            if mapped is not None:
                raise mapped(exc.message) from None
            raise EngineFailure(exc.message, code=exc.code) from None
