"""accounts: retention settings; webhook_deliveries indexed by event

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL: the operator's default (GATEWAY_RETENTION_*_DAYS), which may change later.
    for kind in ("messages", "events", "webhook_deliveries"):
        op.add_column("accounts", sa.Column(f"retention_{kind}_days", sa.Integer(), nullable=True))
    # Purging an event deletes its deliveries (ON DELETE CASCADE) and first checks that none
    # is pending: without an index each of those is a scan of the whole deliveries table.
    op.create_index(
        "ix_webhook_deliveries_event_id", "webhook_deliveries", ["event_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_event_id", table_name="webhook_deliveries")
    for kind in ("webhook_deliveries", "events", "messages"):
        op.drop_column("accounts", f"retention_{kind}_days")
