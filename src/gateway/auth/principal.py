"""Who is calling: the authenticated key and its account, as cached per API process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gateway.kit.client_address import IPNetwork


@dataclass(frozen=True, slots=True)
class AccountSnapshot:
    """The account as ``GET /v1/account`` shows it, read with the key and cached with it
    (every change to the account invalidates its keys' entries)."""

    id: str
    name: str
    email: str | None
    default_rate_limit: str | None
    created_at: datetime
    # The account's own retention days; ``None``: the operator's default.
    retention_messages_days: int | None = None
    retention_events_days: int | None = None
    retention_webhook_deliveries_days: int | None = None


@dataclass(frozen=True, slots=True)
class Principal:
    key_id: str
    account_id: str
    mode: str
    scopes: dict[str, str]
    session_id: str | None
    rate_limit: str
    revoked: bool
    account: AccountSnapshot
    # The account's plan, so that a plan's edit (its rate limit) drops the entry.
    plan_id: str | None = None
    # Parsed once per cache entry, not per request. ``None``: any address.
    allowed_networks: tuple[IPNetwork, ...] | None = None
    # POSIX seconds, so the check per request is one float comparison. ``None``: never.
    expires_at: float | None = None

    @property
    def is_test(self) -> bool:
        return self.mode == "test"
