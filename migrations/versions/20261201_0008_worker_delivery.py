"""worker delivery: no schema change

Batched claims, bulk outcomes and bulk acks run on the indexes that exist: the partial
ix_messages_pending (claims, each session's next due row, the sweep), the unique
(session_id, engine_message_id) index (acks), ix_sandbox_sends_acks_due and
ix_sandbox_inbound_pending (the sandbox's sweep, one query for all of a host's sessions).
The revision stays, so the chain 0005 → 0008 is the same everywhere.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 21:10:00
"""

from collections.abc import Sequence

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
