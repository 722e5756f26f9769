"""Key scopes: an access level per resource."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Access(StrEnum):
    none = "none"
    read = "read"
    write = "write"


# Resources a key can be scoped to; later features add theirs here.
RESOURCES: tuple[str, ...] = (
    "account",
    "api_keys",
    "sessions",
    "messages",
    "contacts",
    "groups",
    "events",
    "webhooks",
    "media",
)

_RANK = {Access.none: 0, Access.read: 1, Access.write: 2}


def full_access() -> dict[str, str]:
    return {resource: Access.write.value for resource in RESOURCES}


def normalise(requested: Mapping[str, str] | None) -> dict[str, str]:
    """Omitted scopes mean full access; given scopes mean exactly those (others none)."""
    if requested is None:
        return full_access()
    return {r: Access(requested.get(r) or Access.none).value for r in RESOURCES}


def allows(scopes: dict[str, str], resource: str, needed: Access) -> bool:
    return _RANK[Access(scopes.get(resource, "none"))] >= _RANK[needed]


def exceeding(granted: dict[str, str], requested: dict[str, str]) -> list[str]:
    """Resources where ``requested`` asks for more than ``granted`` has."""
    return [r for r in RESOURCES if not allows(granted, r, Access(requested.get(r, "none")))]
