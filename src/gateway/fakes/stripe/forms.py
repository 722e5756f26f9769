"""Stripe's form encoding: ``a[b]=1``, ``items[0][price]=p``, ``expand[]=x`` into nested values.

Stripe's libraries send ``application/x-www-form-urlencoded`` bodies (and query strings on
GET) whose keys are bracketed paths; lists use ``[0]``, ``[1]`` … or ``[]``. An empty string
means "unset" for metadata keys and optional fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from gateway.fakes.stripe.errors import (
    invalid_value,
    parameter_invalid_empty,
    parameter_invalid_integer,
    parameter_missing,
    parameter_unknown,
)

KEY = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)$")
PART = re.compile(r"\[([^\[\]]*)\]")


def decode(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """``[("a[b][0][c]", "v")]`` → ``{"a": {"b": [{"c": "v"}]}}``."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = KEY.match(key)
        if match is None:
            raise invalid_value(key, f"Invalid parameter name: {key}")
        path = [match.group(1), *PART.findall(match.group(2))]
        node = root
        for part in path[:-1]:
            if part == "":
                part = str(len(node))  # `a[][b]` appends
            child = node.get(part)
            if not isinstance(child, dict):
                child = {}
                node[part] = child
            node = child
        last = path[-1]
        node[str(len(node)) if last == "" else last] = value
    decoded: dict[str, Any] = _lists(root)
    return decoded


def _lists(node: Any) -> Any:
    """Dicts whose keys are all indexes become lists, in index order."""
    if not isinstance(node, dict):
        return node
    converted = {k: _lists(v) for k, v in node.items()}
    if converted and all(k.isdigit() for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted


class Params:
    """The decoded parameters of one request, read by name and checked as Stripe checks."""

    def __init__(self, values: Mapping[str, Any], allowed: Iterable[str]) -> None:
        self.values = dict(values)
        self.values.pop("expand", None)
        allowed = set(allowed)
        for name in self.values:
            if name not in allowed:
                raise parameter_unknown(name)

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def string(self, name: str, *, required: bool = False) -> str | None:
        value = self.values.get(name)
        if value is None:
            if required:
                raise parameter_missing(name)
            return None
        if not isinstance(value, str):
            raise invalid_value(name, f"Invalid string: {name}")
        if value == "" and required:
            raise parameter_invalid_empty(name)
        return value or None

    def boolean(self, name: str) -> bool | None:
        value = self.values.get(name)
        if value is None:
            return None
        if value not in ("true", "false"):
            raise invalid_value(name, f"Invalid boolean: {value}")
        return bool(value == "true")

    def integer(self, name: str) -> int | None:
        return integer(self.values.get(name), name)

    def metadata(self, name: str = "metadata") -> dict[str, str] | None:
        return metadata(self.values.get(name), name)


def integer(value: Any, param: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise parameter_invalid_integer(param) from None


def metadata(value: Any, param: str) -> dict[str, str] | None:
    """A ``metadata[k]=v`` hash; ``metadata=`` (empty) clears it, ``metadata[k]=`` drops k."""
    if value is None:
        return None
    if value == "":
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise invalid_value(param, f"Invalid hash: {param}")
    return dict(value)


def merge_metadata(current: dict[str, str], update: dict[str, str] | None) -> dict[str, str]:
    if update is None:
        return current
    if not update:
        return {}
    merged = {**current, **update}
    return {k: v for k, v in merged.items() if v != ""}


def expand_paths(values: Mapping[str, Any]) -> list[str]:
    expand = values.get("expand")
    if expand is None:
        return []
    if isinstance(expand, str):
        return [expand]
    if isinstance(expand, list) and all(isinstance(p, str) for p in expand):
        return list(expand)
    raise invalid_value("expand", "Invalid array: expand")
