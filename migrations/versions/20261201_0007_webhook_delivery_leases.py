"""webhook delivery leases

A delivery is claimed with a lease (``leased_until``) in a short transaction instead of a
row lock held through the POST; the sweep re-sends deliveries whose lease ran out.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "webhook_deliveries",
        sa.Column("leased_until", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("webhook_deliveries", "leased_until")
