"""secret key rotation: api_keys.secret_key_id

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 00:00:00

The id (``kit/crypto.key_id``, 8 hex characters) of the server secret key that made an
API key's ``secret_hash``, so ``gateway secrets status`` can tell how many keys still
depend on an old key of the keyring. NULL: a hash made before ids were recorded (by
whichever key was current then); authentication stamps it on the key's next use.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("api_keys", sa.Column("secret_key_id", sa.String(8), nullable=True))


def downgrade() -> None:
    op.drop_column("api_keys", "secret_key_id")
