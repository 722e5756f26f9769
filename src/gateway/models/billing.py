from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class BillingCustomer(TimestampMixin, Base):
    """An account's Stripe customer (made once, on its first checkout or portal visit)
    and the state of its subscription as last read from Stripe.

    ``subscribed_plan_id`` is the plan the subscription pays for; the account's own
    ``plan_id`` is the plan in force, which is the default plan while the subscription is
    not live (cancelled, or past due beyond the grace period)."""

    __tablename__ = "billing_customers"

    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    stripe_customer_id: Mapped[str] = mapped_column(String(255), unique=True)
    subscription_id: Mapped[str | None] = mapped_column(String(255), index=True)
    # Stripe's status: incomplete, incomplete_expired, trialing, active, past_due,
    # canceled, unpaid, paused; None before the first subscription.
    subscription_status: Mapped[str | None] = mapped_column(String(32))
    price_id: Mapped[str | None] = mapped_column(String(255))
    subscribed_plan_id: Mapped[str | None] = mapped_column(
        ForeignKey("plans.id", ondelete="SET NULL"), index=True
    )
    current_period_end: Mapped[datetime | None]
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, server_default="false")
    # When the subscription was first seen past due (cleared when it is paid).
    past_due_since: Mapped[datetime | None]
    synced_at: Mapped[datetime | None]


class StripeEvent(Base):
    """An event Stripe sent to the webhook, stored by its id before Stripe gets its 200:
    a replay stores nothing, and a crash mid-processing leaves the row for the sweep."""

    __tablename__ = "stripe_events"
    __table_args__ = (
        Index(
            "ix_stripe_events_pending",
            "next_attempt_at",
            postgresql_where=text("processed_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(255), primary_key=True)  # Stripe's evt_…
    type: Mapped[str] = mapped_column(String(100))
    livemode: Mapped[bool] = mapped_column(Boolean)
    stripe_created: Mapped[datetime]
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    account_id: Mapped[str | None] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(server_default=func.now())
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(server_default=func.now())
    processed_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(32))  # synced | ignored | failed
    last_error: Mapped[str | None] = mapped_column(String(500))


class MeterReport(Base):
    """Overage units of one account and period reported to Stripe's meter, written before
    the report is sent: ``identifier`` is the meter event's identifier and idempotency
    key, so a report retried after a crash is the same event to Stripe. ``total`` is the
    period's overage reported once this row is (the units of every row up to it)."""

    __tablename__ = "meter_reports"
    __table_args__ = (
        Index(
            "uq_meter_reports_account_id_period_total", "account_id", "period", "total", unique=True
        ),
        Index(
            "ix_meter_reports_unreported",
            "created_at",
            postgresql_where=text("reported_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    units: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    stripe_customer_id: Mapped[str] = mapped_column(String(255))
    identifier: Mapped[str] = mapped_column(String(255), unique=True)
    event_timestamp: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    reported_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
