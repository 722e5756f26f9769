"""Prefixed, time-sortable object ids: ``acct_01J…`` (a ULID after the prefix).

ULIDs made in one process are strictly increasing, also within one millisecond, so that
objects created in a burst (a session's status changes) list in the order they happened.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from datetime import datetime

from ulid import ULID

_ULID = r"[0-9A-HJKMNP-TV-Z]{26}"
_RANDOM_BITS = 80
_lock = threading.Lock()
_last_ms = 0
_last_random = 0


def _next_ulid() -> ULID:
    global _last_ms, _last_random
    now_ms = time.time_ns() // 1_000_000
    with _lock:
        if now_ms <= _last_ms:
            now_ms = _last_ms
            random_part = _last_random + 1
            if random_part >= 1 << _RANDOM_BITS:
                now_ms, random_part = now_ms + 1, secrets.randbits(_RANDOM_BITS - 1)
        else:
            # Half the range, so increments within a millisecond never overflow in practice.
            random_part = secrets.randbits(_RANDOM_BITS - 1)
        _last_ms, _last_random = now_ms, random_part
    return ULID.from_bytes(now_ms.to_bytes(6, "big") + random_part.to_bytes(10, "big"))


def new_id(prefix: str) -> str:
    """A new id for an object whose prefix is ``prefix`` (``"acct"``, ``"key"`` …)."""
    return f"{prefix}_{_next_ulid()}"


def is_valid_id(value: str, prefix: str) -> bool:
    """Whether ``value`` is shaped like an id with ``prefix``; says nothing of existence."""
    return re.fullmatch(rf"{re.escape(prefix)}_{_ULID}", value) is not None


def id_floor(prefix: str, at: datetime) -> str:
    """The smallest id with ``prefix`` made at ``at``: every id below it was made before.
    An index on ids then serves as one on creation time."""
    ms = int(at.timestamp() * 1000)
    return f"{prefix}_{ULID.from_bytes(ms.to_bytes(6, 'big') + bytes(10))}"
