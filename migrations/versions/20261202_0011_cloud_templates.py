"""cloud templates: message templates synced from the WABA

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cloud_templates",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("session_id", sa.String(length=40), nullable=False),
        sa.Column("account_id", sa.String(length=40), nullable=False),
        sa.Column("waba_id", sa.String(length=40), nullable=False),
        sa.Column("graph_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=512), nullable=False),
        sa.Column("language", sa.String(length=15), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column(
            "parameter_format", sa.String(length=10), server_default="POSITIONAL", nullable=False
        ),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("rejected_reason", sa.String(length=200), nullable=True),
        sa.Column(
            "components",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_cloud_templates_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_cloud_templates_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cloud_templates")),
        sa.UniqueConstraint(
            "session_id", "name", "language", name="uq_cloud_templates_session_id_name_language"
        ),
    )
    op.create_index(
        "ix_cloud_templates_session_id_id", "cloud_templates", ["session_id", "id"], unique=False
    )
    op.create_table(
        "cloud_template_syncs",
        sa.Column("session_id", sa.String(length=40), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_cloud_template_syncs_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_cloud_template_syncs")),
    )


def downgrade() -> None:
    op.drop_table("cloud_template_syncs")
    op.drop_index("ix_cloud_templates_session_id_id", table_name="cloud_templates")
    op.drop_table("cloud_templates")
