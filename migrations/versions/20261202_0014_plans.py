"""plans: what an account may do (count limits, messages, storage, its Stripe prices);
every account on one, the default (Free) for the accounts there are

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 12:00:00

Seeds three plans, since there are none before this revision: Free (the default) and two
paid examples whose Stripe price ids are placeholders (``price_…``) for the operator to
replace with the prices of their own Stripe account (``PATCH /admin/plans/{id}``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from ulid import ULID

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MIB = 1024 * 1024
GIB = 1024 * MIB

# Frozen here (not imported from the app): a landed migration must seed what it seeded.
SEEDED_PLANS = [
    {
        "name": "Free",
        "stripe_price_id": None,
        "stripe_overage_price_id": None,
        "rate_limit": "10/second",
        "messages_per_month": 1_000,
        "overage_allowed": False,
        "sessions": 1,
        "webhook_endpoints": 2,
        "api_keys": 3,
        "media_storage_bytes": 100 * MIB,
        "is_default": True,
    },
    {
        "name": "Starter",
        "stripe_price_id": "price_starter_monthly",
        "stripe_overage_price_id": "price_starter_overage",
        "rate_limit": "50/second",
        "messages_per_month": 10_000,
        "overage_allowed": True,
        "sessions": 3,
        "webhook_endpoints": 5,
        "api_keys": 10,
        "media_storage_bytes": 1 * GIB,
        "is_default": False,
    },
    {
        "name": "Pro",
        "stripe_price_id": "price_pro_monthly",
        "stripe_overage_price_id": "price_pro_overage",
        "rate_limit": "100/second",
        "messages_per_month": 100_000,
        "overage_allowed": True,
        "sessions": 20,
        "webhook_endpoints": 20,
        "api_keys": 50,
        "media_storage_bytes": 10 * GIB,
        "is_default": False,
    },
]


def upgrade() -> None:
    plans = op.create_table(
        "plans",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("stripe_price_id", sa.String(length=255), nullable=True),
        sa.Column("stripe_overage_price_id", sa.String(length=255), nullable=True),
        sa.Column("rate_limit", sa.String(length=64), nullable=True),
        sa.Column("messages_per_month", sa.BigInteger(), nullable=True),
        sa.Column("overage_allowed", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=True),
        sa.Column("webhook_endpoints", sa.Integer(), nullable=True),
        sa.Column("api_keys", sa.Integer(), nullable=True),
        sa.Column("media_storage_bytes", sa.BigInteger(), nullable=True),
        sa.Column("is_default", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("name", name=op.f("uq_plans_name")),
    )
    op.create_index(
        "uq_plans_is_default",
        "plans",
        ["is_default"],
        unique=True,
        postgresql_where=sa.text("is_default"),
    )
    seeded = [{"id": f"plan_{ULID()}", **plan} for plan in SEEDED_PLANS]
    op.bulk_insert(plans, seeded)

    op.add_column("accounts", sa.Column("plan_id", sa.String(length=40), nullable=True))
    op.execute(
        sa.text("UPDATE accounts SET plan_id = :plan_id").bindparams(plan_id=seeded[0]["id"])
    )
    op.alter_column("accounts", "plan_id", nullable=False)
    op.create_foreign_key(
        op.f("fk_accounts_plan_id_plans"),
        "accounts",
        "plans",
        ["plan_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_index(op.f("ix_accounts_plan_id"), "accounts", ["plan_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_accounts_plan_id"), table_name="accounts")
    op.drop_constraint(op.f("fk_accounts_plan_id_plans"), "accounts", type_="foreignkey")
    op.drop_column("accounts", "plan_id")
    op.drop_index("uq_plans_is_default", table_name="plans")
    op.drop_table("plans")
