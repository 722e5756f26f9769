"""Group commit: what many sessions of a host write at about the same moment goes into one
transaction. A writer waits for the batch in flight (and ``linger`` seconds more, if
given) while others join, so a busy host writes many items per transaction and an idle
one writes each at once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Batcher(Generic[T, R]):
    """``submit`` an item, get its result; ``flush`` writes a batch and returns one result
    per item, in order (an exception fails every item of the batch)."""

    def __init__(
        self, flush: Callable[[Sequence[T]], Awaitable[Sequence[R]]], *, linger: float = 0.0
    ) -> None:
        self._flush = flush
        self._linger = linger
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._arrived = asyncio.Event()
        # Set while nothing submitted waits to be written.
        self._drained = asyncio.Event()
        self._drained.set()
        self._task: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        self._drained.clear()
        self._arrived.set()
        return await future

    async def close(self, *, drain_seconds: float = 5.0) -> None:
        """Stop, after writing what was submitted (for at most ``drain_seconds``): a
        stopping outbox still records what it sent."""
        if self._task is not None and not self._task.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._drained.wait(), drain_seconds)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for _, future in self._waiting:
            future.cancel()
        self._waiting = []

    async def _run(self) -> None:
        while True:
            await self._arrived.wait()
            # Let the writers woken in the same moment join (and, with a linger, those
            # of the next few milliseconds).
            await asyncio.sleep(self._linger)
            self._arrived.clear()
            batch, self._waiting = self._waiting, []
            try:
                results = await self._flush([item for item, _ in batch])
            except Exception as exc:  # every writer of the batch gets it
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            finally:
                if not self._waiting:
                    self._drained.set()
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)
