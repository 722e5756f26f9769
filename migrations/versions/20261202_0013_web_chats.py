"""web chats: a web session's chat list from history sync and its own changes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_chats",
        sa.Column("session_id", sa.String(length=40), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=40), nullable=False),
        sa.Column("whatsapp_jid", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("listed", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("archived", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("pinned", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("marked_unread", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("unread_base", sa.Integer(), server_default="0", nullable=False),
        sa.Column("read_after", sa.String(length=40), nullable=True),
        sa.Column("cleared_after", sa.String(length=40), nullable=True),
        sa.Column("synced_last_message", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("synced_activity_at", sa.DateTime(timezone=True), nullable=True),
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
            name=op.f("fk_web_chats_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_web_chats_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "chat_id", name=op.f("pk_web_chats")),
    )


def downgrade() -> None:
    op.drop_table("web_chats")
