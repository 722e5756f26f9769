"""Prefixed, time-sortable object ids: ``acct_01J…`` (a ULID after the prefix)."""

from __future__ import annotations

import re

from ulid import ULID

PREFIXES = {
    "account": "acct",
    "api_key": "key",
    "session": "ses",
    "message": "msg",
    "event": "evt",
    "webhook": "whk",
    "delivery": "dlv",
    "media": "med",
    "request": "req",
}

_ULID = r"[0-9A-HJKMNP-TV-Z]{26}"


def new_id(prefix: str) -> str:
    """A new id for an object whose prefix is ``prefix`` (``"acct"``, ``"key"`` …)."""
    return f"{prefix}_{ULID()}"


def is_valid_id(value: str, prefix: str) -> bool:
    """Whether ``value`` is shaped like an id with ``prefix``; says nothing of existence."""
    return re.fullmatch(rf"{re.escape(prefix)}_{_ULID}", value) is not None
