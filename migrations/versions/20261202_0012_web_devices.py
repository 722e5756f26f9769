"""web devices: which whatsmeow device a web session is, and whatsmeow's own schema

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 05:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # whatsmeow creates and upgrades its tables itself, in a schema of their own, so
    # that they never meet ours.
    op.execute("CREATE SCHEMA IF NOT EXISTS whatsmeow")
    op.create_table(
        "web_devices",
        sa.Column("session_id", sa.String(length=40), nullable=False),
        sa.Column("account_id", sa.String(length=40), nullable=False),
        sa.Column("jid", sa.String(length=100), nullable=False),
        sa.Column("client", sa.String(length=40), nullable=False),
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
            name=op.f("fk_web_devices_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_web_devices_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_web_devices")),
    )


def downgrade() -> None:
    op.drop_table("web_devices")
    op.execute("DROP SCHEMA IF EXISTS whatsmeow CASCADE")
