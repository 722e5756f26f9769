"""cloud engine: numbers and their sealed credentials, uploaded media, conversation windows

Also messages.error_engine_code: the engine's own code of a failure (a Graph error code).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 00:31:00.621339
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cloud_media",
        sa.Column("media_id", sa.String(length=40), nullable=False),
        sa.Column("phone_number_id", sa.String(length=40), nullable=False),
        sa.Column("graph_media_id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media.id"],
            name=op.f("fk_cloud_media_media_id_media"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("media_id", "phone_number_id", name=op.f("pk_cloud_media")),
    )
    op.create_table(
        "cloud_numbers",
        sa.Column("session_id", sa.String(length=40), nullable=False),
        sa.Column("account_id", sa.String(length=40), nullable=False),
        sa.Column("phone_number_id", sa.String(length=40), nullable=False),
        sa.Column("waba_id", sa.String(length=40), nullable=False),
        sa.Column("verify_token_digest", sa.LargeBinary(), nullable=False),
        sa.Column("credentials", sa.LargeBinary(), nullable=False),
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
            name=op.f("fk_cloud_numbers_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_cloud_numbers_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_cloud_numbers")),
    )
    op.create_index(
        "ix_cloud_numbers_phone_number_id", "cloud_numbers", ["phone_number_id"], unique=False
    )
    op.create_index(
        "ix_cloud_numbers_verify_token_digest",
        "cloud_numbers",
        ["verify_token_digest"],
        unique=False,
    )
    op.create_index("ix_cloud_numbers_waba_id", "cloud_numbers", ["waba_id"], unique=False)
    op.create_table(
        "conversation_windows",
        sa.Column("session_id", sa.String(length=40), nullable=False),
        sa.Column("contact", sa.String(length=40), nullable=False),
        sa.Column("last_inbound_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_conversation_windows_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "contact", name=op.f("pk_conversation_windows")),
    )
    op.add_column("messages", sa.Column("error_engine_code", sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column("messages", "error_engine_code")
    op.drop_table("conversation_windows")
    op.drop_index("ix_cloud_numbers_waba_id", table_name="cloud_numbers")
    op.drop_index("ix_cloud_numbers_verify_token_digest", table_name="cloud_numbers")
    op.drop_index("ix_cloud_numbers_phone_number_id", table_name="cloud_numbers")
    op.drop_table("cloud_numbers")
    op.drop_table("cloud_media")
