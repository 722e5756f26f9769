"""Magic recipients: a ``to`` number that always produces one Graph error (see the package doc).

``1555`` + a mode digit + the error code on six digits: ``0`` answers the error on the POST,
``1`` accepts the send and reports the error in a ``failed`` status webhook. ``15559000000``
never answers (until the fake closes), for client timeouts. 555 numbers are fictional, so
no real customer can be hit by accident.
"""

from __future__ import annotations

from gateway.fakes.graph.errors import CATALOGUE
from gateway.fakes.graph.state import ScriptedFailure

PREFIX = "1555"
HANGS = "15559000000"
SYNC, ASYNC = "0", "1"


def magic_number(code: int, *, asynchronous: bool = False) -> str:
    """The recipient that fails with ``code`` (on the POST, or later by webhook)."""
    return f"{PREFIX}{ASYNC if asynchronous else SYNC}{code:06d}"


def magic_failure(digits: str) -> ScriptedFailure | None:
    if len(digits) != 11 or not digits.startswith(PREFIX) or digits[4] not in (SYNC, ASYNC):
        return None
    code = int(digits[5:])
    if code not in CATALOGUE:
        return None
    return ScriptedFailure(code, 1, "async" if digits[4] == ASYNC else "sync")
