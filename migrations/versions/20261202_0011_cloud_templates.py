"""cloud templates: message templates synced from the WABA

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 00:40:00
"""

from collections.abc import Sequence

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
