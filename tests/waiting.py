"""Waiting for what a user would see: poll until it holds, fail with the last value."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]],
    check: Callable[[T], bool],
    *,
    within: float = 5.0,
    every: float = 0.05,
) -> T:
    """Call ``probe`` until ``check`` accepts its value; fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        value = await probe()
        if check(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not there after {within}s: {value!r}")
        await asyncio.sleep(every)
