from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class ApiKey(TimestampMixin, Base):
    __tablename__ = "api_keys"
    __table_args__ = (Index("ix_api_keys_account_id_id", "account_id", "id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(8))  # "live" | "test"
    # HMAC-SHA256 of the whole key, keyed with the server secret: the key itself is never
    # stored, and a database leak alone does not let anyone brute-force it offline.
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The id of the server secret key that made ``secret_hash`` (``kit/crypto.key_id``);
    # NULL: made before ids were recorded. A key hashed under an old key of the keyring is
    # re-hashed under the current one on its next use (``auth/service.py``).
    secret_key_id: Mapped[str | None] = mapped_column(String(8))
    last4: Mapped[str] = mapped_column(String(4))
    scopes: Mapped[dict[str, str]] = mapped_column(JSONB)
    session_id: Mapped[str | None] = mapped_column(String(40))
    rate_limit: Mapped[str | None] = mapped_column(String(64))
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # Addresses and CIDRs the key may be used from, normalised; NULL: anywhere.
    allowed_ips: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    expires_at: Mapped[datetime | None]

    @property
    def redacted(self) -> str:
        return f"gw_{self.mode}_…{self.last4}"
