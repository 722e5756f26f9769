"""What the web engine's parts share: the session's running child and calls to it.

``WebEngine`` is put together from parts (linking and running in ``engine``, messaging in
``messaging``, contacts, chats and groups in ``directory``); each derives from
``ChildCalls`` and reaches the child only through ``_call``, which turns the child's
errors into the API's: a session with no child running is not ready (409, transient for
sends), a ``ClientError`` code the part maps is answered as mapped, anything else is an
engine failure (502) carrying the client's code.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from gateway.engines.base import EngineFailure, EngineResources, EngineSession
from gateway.engines.web.process import ChildCallFailed, ChildProcess
from gateway.kit.errors import GatewayError
from gateway.media import repository as media_repository
from gateway.media.repository import Reach as MediaReach
from gateway.media.storage import storage_for


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

    async def _stored_media(self, media_id: str) -> bytes | None:
        """The bytes of the account's stored file ``media_id``; None when it has no such
        file (``StorageError`` when the storage cannot be read)."""
        async with self.resources.sessionmaker() as db:
            row = await media_repository.get(db, MediaReach(self.session.account_id), media_id)
        if row is None:
            return None
        return await storage_for(self.resources.settings).get(row.storage_key)

    @contextlib.asynccontextmanager
    async def _staged(self, content: bytes, prefix: str) -> AsyncIterator[Path]:
        """``content`` as a file in the session's directory, for the child to read while
        the block lasts (files travel as paths, never inside a line)."""
        workdir = self._workdir
        if workdir is None:
            raise SessionNotRunning("The session is not running: start it first.")
        path = workdir / f"{prefix}-{secrets.token_hex(8)}"
        await asyncio.to_thread(path.write_bytes, content)
        try:
            yield path
        finally:
            await asyncio.to_thread(path.unlink, missing_ok=True)
