"""events commit order

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:10:00

Events list by (xid, seq): the publishing transaction's id, then insertion order, both
filled by the server. Existing events keep their id order: they share xid 0 (below every
real transaction) and are numbered by id.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_INDEXES = {
    "ix_events_account_id_id": ["account_id", "id"],
    "ix_events_account_id_type_id": ["account_id", "type", "id"],
    "ix_events_account_id_session_id_id": ["account_id", "session_id", "id"],
}
_NEW_INDEXES = {
    "ix_events_account_id_xid_seq": ["account_id", "xid", "seq"],
    "ix_events_account_id_type_xid_seq": ["account_id", "type", "xid", "seq"],
    "ix_events_account_id_session_id_xid_seq": ["account_id", "session_id", "xid", "seq"],
}


def upgrade() -> None:
    for name in _OLD_INDEXES:
        op.drop_index(name, table_name="events")
    # A constant default first (no rewrite), then the real one for new rows.
    op.execute("ALTER TABLE events ADD COLUMN xid xid8 NOT NULL DEFAULT '0'")
    op.execute("ALTER TABLE events ALTER COLUMN xid SET DEFAULT pg_current_xact_id()")
    op.add_column("events", sa.Column("seq", sa.BigInteger(), nullable=True))
    op.execute(
        "UPDATE events SET seq = numbered.n"
        " FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM events) AS numbered"
        " WHERE events.id = numbered.id"
    )
    op.alter_column("events", "seq", nullable=False)
    op.execute("ALTER TABLE events ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY")
    op.execute(
        "SELECT setval(pg_get_serial_sequence('events', 'seq'),"
        " (SELECT coalesce(max(seq), 0) + 1 FROM events), false)"
    )
    for name, columns in _NEW_INDEXES.items():
        op.create_index(name, "events", columns, unique=False)


def downgrade() -> None:
    for name in _NEW_INDEXES:
        op.drop_index(name, table_name="events")
    op.drop_column("events", "seq")
    op.drop_column("events", "xid")
    for name, columns in _OLD_INDEXES.items():
        op.create_index(name, "events", columns, unique=False)
