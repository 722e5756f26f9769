"""The acks the simulated network owes a session, on in-memory timers.

A sent message is ``delivered`` after ``ack_delivered_ms``, then ``read`` (``played`` for
a voice note) after ``ack_read_ms``, unless its recipient never reads. The network's
record of each message (``sandbox_sends.next_ack``) says which ack is owed next, so an
engine started elsewhere (a takeover) reports what the previous one had not; the timers
themselves live here, so waiting for an ack costs no query.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OwedAck:
    """An ack the network will report for one message."""

    message_id: str
    engine_message_id: str
    status: str  # delivered | read | played
    recipient: str
    read_as: str  # what follows delivered: read, or played for a voice note
    # When it was first due (loop time): an ack the gateway cannot place is given up on
    # a while after that.
    first_due: float


@dataclass(order=True)
class _Timer:
    due: float
    order: int
    ack: OwedAck = field(compare=False)


class AckSchedule:
    """Owed acks by due time (the event loop's clock)."""

    def __init__(self) -> None:
        self._heap: list[_Timer] = []
        self._order = itertools.count()
        self._owed: set[tuple[str, str]] = set()

    def __len__(self) -> int:
        return len(self._heap)

    def add(self, ack: OwedAck, due: float) -> None:
        """Owe ``ack`` at ``due``; the same ack of a message owed twice is kept once."""
        key = (ack.message_id, ack.status)
        if key in self._owed:
            return
        self._owed.add(key)
        heapq.heappush(self._heap, _Timer(due, next(self._order), ack))

    def next_due(self) -> float | None:
        return self._heap[0].due if self._heap else None

    def pop_due(self, now: float) -> list[OwedAck]:
        """Every ack due by ``now``, earliest first."""
        due = []
        while self._heap and self._heap[0].due <= now:
            ack = heapq.heappop(self._heap).ack
            self._owed.discard((ack.message_id, ack.status))
            due.append(ack)
        return due
