"""How long each kind of record is kept: the operator's defaults and maximum, and the
account's own choice within them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from gateway.config import Settings

# The kinds an account may set for itself; the rest (idempotency records, session
# tombstones, sandbox rows, orphaned files) are the operator's alone.
AccountKind = Literal["messages", "events", "webhook_deliveries"]
ACCOUNT_KINDS: tuple[AccountKind, ...] = ("messages", "events", "webhook_deliveries")


class HasRetention(Protocol):
    """An account, as a row or as the snapshot cached with its keys."""

    @property
    def retention_messages_days(self) -> int | None: ...
    @property
    def retention_events_days(self) -> int | None: ...
    @property
    def retention_webhook_deliveries_days(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """The operator's side. ``None`` days: kept forever; ``None`` maximum: none."""

    messages_days: int | None
    events_days: int | None
    webhook_deliveries_days: int | None
    max_days: int | None

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionPolicy:
        return cls(
            messages_days=settings.retention_messages_days or None,
            events_days=settings.retention_events_days or None,
            webhook_deliveries_days=settings.retention_webhook_deliveries_days or None,
            max_days=settings.retention_max_days,
        )

    def default(self, kind: AccountKind) -> int | None:
        days: int | None = getattr(self, f"{kind}_days")
        return days

    def effective(self, kind: AccountKind, own: int | None) -> int | None:
        """The days ``kind`` is kept for an account that chose ``own`` (``None``: none).
        A maximum lowered after the account chose applies at once."""
        days = own if own is not None else self.default(kind)
        if days is not None and self.max_days is not None:
            days = min(days, self.max_days)
        return days


def own_days(account: HasRetention, kind: AccountKind) -> int | None:
    days: int | None = getattr(account, f"retention_{kind}_days")
    return days
