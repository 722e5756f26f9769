"""Text the database cannot store is refused at the door: a NUL character, or bytes that
are not UTF-8, in a path id, a query parameter or a JSON body field is a 422 naming the
parameter, before any route sees it.

PostgreSQL's text and JSONB types refuse NUL (``invalid byte sequence for encoding "UTF8":
0x00``), so such a value reaching a query fails the request; and a body that is not UTF-8
is not JSON. Checking here costs one scan of each part of the request; finding which
parameter holds the bad value (matching the route, walking the JSON) is done only for a
request that has one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.kit.middleware import send_error

NUL = "\x00"
_NUL_ESCAPE = b"\\u0000"
_PARAM = re.compile(r"\{(\w+)\}")


class InputGuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._templates: list[tuple[re.Pattern[str], list[str]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self._path_problem(scope) or _query_problem(scope)
        if problem is None and _has_json_body(scope):
            body, receive = await _buffered(receive)
            problem = _body_problem(body)
        if problem is None:
            await self.app(scope, receive, send)
            return
        code, param, message = problem
        request_id = scope.get("state", {}).get("request_id", "")
        await send_error(
            send, 422, "invalid_request_error", code, message, request_id, param,
            request_id_header=False,
        )  # fmt: skip

    def _path_problem(self, scope: Scope) -> Problem | None:
        raw: bytes | None = scope.get("raw_path")
        if raw is None:
            path: str = scope.get("path", "")
        elif b"%" not in raw and b"\x00" not in raw and raw.isascii():
            return None  # nothing escaped, nothing raw: nothing can be bad
        else:
            # The bytes as sent: servers decode the path with replacement characters,
            # which would hide bytes that are not UTF-8.
            path = unquote_to_bytes(raw.split(b"?", 1)[0]).decode("utf-8", "surrogateescape")
        reason = _bad(path)
        if reason is None:
            return None
        param = "path"
        for pattern, names in self._path_templates(scope):
            found = pattern.fullmatch(path)
            if found is not None:
                named = [n for n, v in zip(names, found.groups(), strict=True) if _bad(v)]
                if named:
                    param = named[0]
                    break
        return "parameter_invalid", param, f"Invalid {param}: {reason}."

    def _path_templates(self, scope: Scope) -> list[tuple[re.Pattern[str], list[str]]]:
        """The app's path templates (``/v1/sessions/{session_id}``) as patterns, from its
        OpenAPI document: made on the first bad path, kept after."""
        if self._templates is None:
            openapi = getattr(scope.get("app"), "openapi", None)
            paths: dict[str, Any] = openapi().get("paths", {}) if callable(openapi) else {}
            templates = []
            for template in paths:
                names = _PARAM.findall(template)
                if names:
                    parts = _PARAM.split(template)  # literal, name, literal …
                    regex = "".join(
                        "([^/]+)" if i % 2 else re.escape(part) for i, part in enumerate(parts)
                    )
                    templates.append((re.compile(regex, re.DOTALL), names))
            self._templates = templates
        return self._templates


Problem = tuple[str, str | None, str]  # (code, param, message)


def _bad(text: str) -> str | None:
    """What is wrong with ``text`` for the database: a NUL, or a lone surrogate (bytes
    that were not UTF-8, kept by ``surrogateescape``); ``None`` when nothing is."""
    if NUL in text:
        return "must not contain NUL characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid UTF-8"
    return None


def _query_problem(scope: Scope) -> Problem | None:
    query: bytes = scope.get("query_string", b"")
    if b"%" not in query and b"\x00" not in query and query.isascii():
        return None  # nothing escaped, nothing raw: nothing can be bad
    for pair in query.split(b"&"):
        name, _, value = pair.partition(b"=")
        decoded_name = _decode(name)
        reason = _bad(decoded_name) or _bad(_decode(value))
        if reason is not None:
            param = decoded_name.encode("utf-8", "replace").decode().replace(NUL, "")
            return "parameter_invalid", param or None, f"Invalid {param}: {reason}."
    return None


def _decode(raw: bytes) -> str:
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8", "surrogateescape")


def _has_json_body(scope: Scope) -> bool:
    if scope.get("method") not in ("POST", "PUT", "PATCH", "DELETE"):
        return False
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            media: bytes = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return False


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body (its size is bounded by the body-limit layer outside this one), and
    a ``receive`` that hands it on as one message."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            return b"", receive
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


def _body_problem(body: bytes) -> Problem | None:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _NUL_ESCAPE not in body and b"\x00" not in body:
            return None
    text = body.decode("utf-8", "surrogateescape")
    try:
        document = json.loads(text)
    except ValueError:
        if _bad(text) == "must be valid UTF-8":
            return "invalid_json", None, "The request body is not valid UTF-8."
        return None  # not JSON: the route's parser says so
    for param, reason in _walk(document, ""):
        return "parameter_invalid", param or None, f"Invalid {param or 'body'}: {reason}."
    return None


def _walk(value: Any, at: str) -> Iterator[tuple[str, str]]:
    """(param, reason) of every key or string in ``value`` the database cannot store; params
    spelt as validation errors spell them (``a.b``, ``items[2]``)."""
    if isinstance(value, str):
        reason = _bad(value)
        if reason is not None:
            yield at, reason
    elif isinstance(value, dict):
        for key, item in value.items():
            reason = _bad(key)
            name = f"{at}.{key}" if at else key
            if reason is not None:
                yield name.encode("utf-8", "replace").decode().replace(NUL, ""), reason
                continue
            yield from _walk(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{at}[{index}]")
