"""The base of every event a child reports (``protocol``'s and the parts' own)."""

from __future__ import annotations

from pydantic import BaseModel


class EventData(BaseModel):
    """An event's data; ``type`` (a ``Literal`` default in each subclass) names it on the
    wire."""

    type: str
