"""usage: live messages counted per account and period from their rows

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Reconciliation and GET /v1/usage count an account's outbound messages of a period.
    op.create_index(
        "ix_messages_outbound_account_id_created_at",
        "messages",
        ["account_id", "created_at"],
        postgresql_where=sa.text("direction = 'outbound'"),
    )


def downgrade() -> None:
    op.drop_index("ix_messages_outbound_account_id_created_at", table_name="messages")
