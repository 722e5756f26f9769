from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class ChatDeleted(BaseModel):
    id: str
    object: Literal["chat"] = "chat"
    deleted: Literal[True] = True
