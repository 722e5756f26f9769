"""The child process that runs one web session: ``python -m gateway.engines.web.child``.

A Go panic inside neonize kills its process and cannot be caught, so each session's
WhatsApp client runs here, away from the engine host and its other sessions. The child
reads commands on stdin and writes answers and events on a private copy of its stdout
(``protocol``); everything else it or native code writes goes to stderr, the logs.

A child never outlives its host: it exits when its stdin reaches EOF (the host closed
the pipe, or died), when told to ``stop``, on SIGTERM, and (Linux) when its parent dies,
by ``PR_SET_PDEATHSIG``. It runs in a session of its own, so a Ctrl-C meant for the
worker does not reach it before the host has stopped it in order.

Commands are carried out concurrently (a slow send does not hold up a pairing code),
each answered when done; events are written as the client emits them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import os
import signal
import sys
from typing import Any

import structlog

from gateway.engines.web import protocol
from gateway.engines.web.clients import (
    CLIENT_ENV,
    DEFAULT_CLIENT,
    ClientError,
    WhatsAppClient,
    build_client,
)
from gateway.engines.web.protocol import (
    Answer,
    Command,
    ErrorInfo,
    Event,
    EventData,
    Op,
    Ready,
)
from gateway.kit.logging import configure_logging

log = structlog.get_logger(__name__)

PR_SET_PDEATHSIG = 1


def take_protocol_stdout() -> int:
    """A private copy of stdout for the protocol; fd 1 then points at stderr, so that
    whatever anything prints (Python or native code) cannot corrupt the protocol."""
    protocol_fd = os.dup(1)  # not inheritable: the client's own children never get it
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return protocol_fd


def die_with_parent(parent_pid: int | None) -> None:
    """Be killed when the host dies (Linux; best effort elsewhere: stdin's EOF)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError) as exc:
            log.warning("web.child.pdeathsig_unavailable", error=str(exc))
    # The host may have died before prctl: then this child was re-parented already.
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)


class Channel:
    """The child's end of the protocol."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer

    async def write(self, message: Answer | Event | Ready) -> None:
        # One write per line: a line is in the buffer whole, even if the writer is
        # cancelled while it drains.
        self._writer.write(protocol.encode(message))
        await self._writer.drain()

    async def emit(self, data: EventData) -> None:
        await self.write(Event.of(data))


class Child:
    def __init__(self, session_id: str, client_name: str, channel: Channel) -> None:
        self.session_id = session_id
        self.client_name = client_name
        self.channel = channel
        self.client: WhatsAppClient = build_client(client_name, session_id, channel.emit)
        self.stopping = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    async def serve(self, reader: asyncio.StreamReader) -> None:
        await self.channel.write(Ready(pid=os.getpid(), client=self.client_name))
        reading = asyncio.create_task(self._read_commands(reader))
        stopping = asyncio.create_task(self.stopping.wait())
        try:
            await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (reading, stopping, *self._tasks):
                task.cancel()
            await asyncio.gather(reading, stopping, *self._tasks, return_exceptions=True)
            await self.client.close()

    async def _read_commands(self, reader: asyncio.StreamReader) -> None:
        while True:
            try:
                line = await protocol.read_line(reader)
            except protocol.BadLine as exc:
                log.warning("web.child.bad_line", session_id=self.session_id, error=str(exc))
                continue
            if line is None:
                log.info("web.child.stdin_closed", session_id=self.session_id)
                return  # the host is gone, or done with us
            try:
                message = protocol.decode(line)
            except protocol.BadLine as exc:
                log.warning("web.child.bad_line", session_id=self.session_id, error=str(exc))
                continue
            if not isinstance(message, Command):
                log.warning("web.child.unexpected", session_id=self.session_id, kind=message.kind)
                continue
            task = asyncio.create_task(self._answer(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _answer(self, command: Command) -> None:
        try:
            result = await self._carry_out(command)
            answer = Answer(id=command.id, ok=True, result=result)
        except ClientError as exc:
            error = ErrorInfo(code=exc.code, message=exc.message, transient=exc.transient)
            answer = Answer(id=command.id, ok=False, error=error)
        except (KeyError, TypeError, ValueError) as exc:
            error = ErrorInfo(code="bad_command", message=f"{type(exc).__name__}: {exc}")
            answer = Answer(id=command.id, ok=False, error=error)
        except Exception as exc:
            log.exception("web.child.command_failed", session_id=self.session_id, op=command.op)
            error = ErrorInfo(code="client_error", message=str(exc)[:500], transient=True)
            answer = Answer(id=command.id, ok=False, error=error)
        await self.channel.write(answer)
        if command.op == Op.stop:
            self.stopping.set()

    async def _carry_out(self, command: Command) -> Any:
        args = command.args
        match command.op:
            case Op.start:
                await self.client.start(dict(args.get("options") or {}))
                return None
            case Op.pair_phone:
                return {"code": await self.client.pair_phone(str(args["phone_number"]))}
            case Op.probe:
                await self.client.probe()
                return None
            case Op.logout:
                await self.client.logout()
                return None
            case Op.stop:
                return None
        extra = self.client.extra_ops().get(command.op)
        if extra is None:
            raise ClientError("unknown_op", f"No op {command.op!r}.")
        return await extra(args)


async def run_child(session_id: str, client_name: str, protocol_fd: int) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=protocol.MAX_LINE_BYTES + 1)
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(0, "rb", buffering=0)
    )
    transport, stream_protocol = await loop.connect_write_pipe(
        asyncio.streams.FlowControlMixin, os.fdopen(protocol_fd, "wb", buffering=0)
    )
    writer = asyncio.StreamWriter(transport, stream_protocol, None, loop)
    child = Child(session_id, client_name, Channel(writer))
    loop.add_signal_handler(signal.SIGTERM, child.stopping.set)
    try:
        await child.serve(reader)
    finally:
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        writer.close()
    log.info("web.child.stopped", session_id=session_id)


def main(argv: list[str] | None = None) -> None:
    protocol_fd = take_protocol_stdout()
    parser = argparse.ArgumentParser(prog="gateway.engines.web.child")
    parser.add_argument("--session-id", required=True)
    parser.add_argument("--client", default=os.environ.get(CLIENT_ENV) or DEFAULT_CLIENT)
    parser.add_argument("--parent-pid", type=int, default=None)
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--log-format", default="json")
    args = parser.parse_args(argv)
    configure_logging(args.log_level, args.log_format)
    structlog.contextvars.bind_contextvars(session_id=args.session_id, child_pid=os.getpid())
    die_with_parent(args.parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the host stops us, in order
    asyncio.run(run_child(args.session_id, args.client, protocol_fd))


if __name__ == "__main__":
    main()
