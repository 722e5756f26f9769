"""engine notifications: one event per notification

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no default: adding it rewrites nothing, and every existing event keeps null.
    op.add_column("events", sa.Column("dedupe_key", sa.String(160), nullable=True))
    # Partial: only engine notifications carry a key, so the index stays small.
    op.create_index(
        "ux_events_session_id_dedupe_key",
        "events",
        ["session_id", "dedupe_key"],
        unique=True,
        postgresql_where=sa.text("dedupe_key IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ux_events_session_id_dedupe_key", table_name="events")
    op.drop_column("events", "dedupe_key")
