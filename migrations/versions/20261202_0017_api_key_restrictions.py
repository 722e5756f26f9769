"""api_keys: allowed_ips and expires_at

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Normalised text, validated by the API: the networks are parsed once per cached key
    # in Python, so cidr[] would buy nothing but a type to convert.
    op.add_column("api_keys", sa.Column("allowed_ips", postgresql.ARRAY(sa.Text()), nullable=True))
    op.add_column("api_keys", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("api_keys", "expires_at")
    op.drop_column("api_keys", "allowed_ips")
