"""The host's side of a web session's child process: spawn it, talk to it, end it.

``ChildProcess.spawn`` starts ``python -m gateway.engines.web.child`` and waits for its
``ready`` line. A reader task then reads the child's stdout: answers resolve the call
waiting on their id, events queue up for ``events()`` (the engine handles them in its own
task, in order, so a slow report never holds up the answers). When stdout ends the child
is gone: waiting calls fail with ``ChildGone`` (transient: the send may be retried, under
the same WhatsApp id) and ``events()`` ends.

``close()`` ends the child whatever state it is in: ``stop``, then SIGTERM after a grace
period, then SIGKILL, and reaps it; cancelling ``close()`` itself kills at once. Nothing
is left behind: no process, no zombie, no open pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import sys
from collections.abc import AsyncIterator, Mapping
from typing import Any

import structlog

from gateway.engines.web import protocol
from gateway.engines.web.protocol import Answer, Command, Event, Op, Ready

log = structlog.get_logger(__name__)

READY_TIMEOUT_SECONDS = 15.0
CALL_TIMEOUT_SECONDS = 30.0
STOP_GRACE_SECONDS = 3.0


class ChildCallFailed(Exception):
    """A command the child did not carry out: its error, or a timeout."""

    def __init__(self, code: str, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = transient


class ChildGone(ChildCallFailed):
    """The child exited (crashed, or was stopped) before it answered."""

    def __init__(self, message: str) -> None:
        super().__init__("engine_unavailable", message, transient=True)


class ChildProcess:
    def __init__(self, process: asyncio.subprocess.Process, session_id: str) -> None:
        self.process = process
        self.session_id = session_id
        self.pid = process.pid
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self._events: asyncio.Queue[Event | None] = asyncio.Queue()
        self._ready: asyncio.Future[Ready] = asyncio.get_running_loop().create_future()
        self._gone = asyncio.Event()
        self.bad_lines = 0  # lines from the child that were not messages (skipped)
        self._reader = asyncio.create_task(self._read(), name=f"web-child-{session_id}")

    @classmethod
    async def spawn(
        cls,
        session_id: str,
        client: str,
        *,
        log_level: str = "INFO",
        log_format: str = "json",
        env: Mapping[str, str] | None = None,
        ready_timeout: float = READY_TIMEOUT_SECONDS,
    ) -> ChildProcess:
        """A running child for ``session_id``, driving the client called ``client``."""
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "gateway.engines.web.child",
            "--session-id", session_id, "--client", client, "--parent-pid", str(os.getpid()),
            "--log-level", log_level, "--log-format", log_format,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=None,  # the child's logs join the host's
            env=dict(env) if env is not None else None,
            limit=protocol.MAX_LINE_BYTES + 1,
            start_new_session=True,
        )  # fmt: skip
        child = cls(process, session_id)
        try:
            ready = await asyncio.wait_for(asyncio.shield(child._ready), ready_timeout)
        except BaseException:
            await child.close()
            raise
        log.info("web.child.started", session_id=session_id, pid=ready.pid, client=ready.client)
        return child

    @property
    def alive(self) -> bool:
        return not self._gone.is_set()

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    # The timeout is the call's own: it becomes a transient error, not a cancellation.
    async def call(
        self,
        op: Op | str,
        /,
        *,
        timeout: float = CALL_TIMEOUT_SECONDS,  # noqa: ASYNC109
        **args: Any,
    ) -> Any:
        """Have the child carry out ``op``; its result, or ``ChildCallFailed``."""
        if not self.alive or self.process.stdin is None:
            raise ChildGone(f"The session's process exited ({self.returncode}).")
        command = Command(id=next(self._ids), op=str(op), args=args)
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting[command.id] = answer
        try:
            self.process.stdin.write(protocol.encode(command))
            await self.process.stdin.drain()
            return await asyncio.wait_for(answer, timeout)
        except (ConnectionError, BrokenPipeError):
            raise ChildGone("The session's process closed its input.") from None
        except TimeoutError:
            raise ChildCallFailed(
                "engine_timeout", f"No answer to {op} in {timeout:g}s.", transient=True
            ) from None
        finally:
            self._waiting.pop(command.id, None)

    async def events(self) -> AsyncIterator[Event]:
        """The child's events, in order, until it exits."""
        while True:
            event = await self._events.get()
            if event is None:
                return
            yield event

    async def wait(self) -> int:
        """Until the child has exited; its return code."""
        await self._gone.wait()
        return await self.process.wait()

    async def close(self, grace: float = STOP_GRACE_SECONDS) -> int:
        """End the child (stop, SIGTERM, SIGKILL, each given ``grace`` seconds), reap it."""
        try:
            if self.alive and self.process.returncode is None:
                with contextlib.suppress(ChildCallFailed):
                    await self.call(Op.stop, timeout=grace)
                if not await self._exited_within(grace):
                    log.warning("web.child.terminating", session_id=self.session_id, pid=self.pid)
                    with contextlib.suppress(ProcessLookupError):
                        self.process.terminate()
                    if not await self._exited_within(grace):
                        log.warning("web.child.killing", session_id=self.session_id, pid=self.pid)
                        self._kill()
            await self.process.wait()
            # The reader ends at stdout's EOF, which follows the exit.
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        except BaseException:
            self._kill()  # cancelled mid-way: do not leave it running, nor unreaped
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(asyncio.shield(self.process.wait()), grace)
            raise
        finally:
            if self.process.stdin is not None:
                self.process.stdin.close()
        return self.process.returncode if self.process.returncode is not None else -9

    def _kill(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()

    async def _exited_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(asyncio.shield(self.process.wait()), seconds)
        except TimeoutError:
            return False
        return True

    async def _read(self) -> None:
        assert self.process.stdout is not None
        try:
            while True:
                try:
                    line = await protocol.read_line(self.process.stdout)
                    if line is None:
                        break
                    message = protocol.decode(line)
                except protocol.BadLine as exc:
                    self.bad_lines += 1
                    log.warning("web.child.bad_line", session_id=self.session_id, error=str(exc))
                    continue
                self._take(message)
        finally:
            self._gone.set()
            self._events.put_nowait(None)
            gone = ChildGone("The session's process exited.")
            for waiting in self._waiting.values():
                if not waiting.done():
                    waiting.set_exception(gone)
            if not self._ready.done():
                self._ready.set_exception(ChildGone("The session's process exited at start-up."))

    def _take(self, message: Command | Answer | Event | Ready) -> None:
        if isinstance(message, Answer):
            waiting = self._waiting.get(message.id)
            if waiting is None or waiting.done():
                return  # the call timed out meanwhile
            if message.ok:
                waiting.set_result(message.result)
            else:
                error = message.error or protocol.ErrorInfo(code="client_error", message="")
                waiting.set_exception(
                    ChildCallFailed(error.code, error.message, transient=error.transient)
                )
        elif isinstance(message, Event):
            self._events.put_nowait(message)
        elif isinstance(message, Ready):
            if not self._ready.done():
                self._ready.set_result(message)
        else:
            log.warning("web.child.unexpected", session_id=self.session_id, kind=message.kind)
