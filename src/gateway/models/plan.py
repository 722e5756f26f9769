from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class Plan(TimestampMixin, Base):
    """What an account may do and what it pays for it. Limits are ``None`` for unlimited.
    Exactly one plan is the default: the one new accounts get."""

    __tablename__ = "plans"
    __table_args__ = (
        # At most one default; the service keeps it at exactly one.
        Index(
            "uq_plans_is_default", "is_default", unique=True, postgresql_where=text("is_default")
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # Stripe prices: the subscription's (None for a free plan) and the metered overage's.
    stripe_price_id: Mapped[str | None] = mapped_column(String(255))
    stripe_overage_price_id: Mapped[str | None] = mapped_column(String(255))
    # `limits` notation, for keys without a limit of their own.
    rate_limit: Mapped[str | None] = mapped_column(String(64))
    messages_per_month: Mapped[int | None] = mapped_column(BigInteger)
    overage_allowed: Mapped[bool] = mapped_column(Boolean, server_default="false")
    sessions: Mapped[int | None] = mapped_column(Integer)
    webhook_endpoints: Mapped[int | None] = mapped_column(Integer)
    api_keys: Mapped[int | None] = mapped_column(Integer)
    media_storage_bytes: Mapped[int | None] = mapped_column(BigInteger)
    is_default: Mapped[bool] = mapped_column(Boolean, server_default="false")
