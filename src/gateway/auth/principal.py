"""Who is calling: the authenticated key, as cached per API process."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principal:
    key_id: str
    account_id: str
    mode: str
    scopes: dict[str, str]
    session_id: str | None
    rate_limit: str
    revoked: bool

    @property
    def is_test(self) -> bool:
        return self.mode == "test"
