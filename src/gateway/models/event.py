from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Identity, Index, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import UserDefinedType

from gateway.models.base import Base


class TransactionId(UserDefinedType[int]):
    """PostgreSQL's ``xid8``: a 64-bit transaction id that never wraps around."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "xid8"


# Taught to reflection too (as GeoAlchemy does for its types), so comparing the models
# with the migrated schema sees this type instead of warning about an unknown one.
ischema_names["xid8"] = TransactionId


class Event(Base):
    """Something that happened, as delivered to webhooks, the stream and ``/v1/events``.
    The session is a snapshot (id, name, metadata): events outlive deleted sessions.

    ``/v1/events`` lists by (``xid``, ``seq``): the publishing transaction's id, then the
    order of insertion within it. Ids are made before the insert, so a transaction that
    took its id first may commit last; a reader that lists only events of transactions
    older than every one still running (``events/repository.py``) can therefore never
    see a later event appear before its cursor."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_account_id_xid_seq", "account_id", "xid", "seq"),
        Index("ix_events_account_id_type_xid_seq", "account_id", "type", "xid", "seq"),
        Index("ix_events_account_id_session_id_xid_seq", "account_id", "session_id", "xid", "seq"),
        # One event per engine notification: a notification reported again (a host that
        # crashed between reporting it and acknowledging it to its engine) adds nothing.
        Index(
            "ux_events_session_id_dedupe_key",
            "session_id",
            "dedupe_key",
            unique=True,
            postgresql_where=text("dedupe_key IS NOT NULL"),
        ),
    )
    # Both positions are filled by the server in the INSERT itself; the publisher never
    # reads them back, so no RETURNING is added to its statement.
    __mapper_args__ = {"eager_defaults": False}

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(40))
    # False for events of sandbox sessions (and account-level test events): test-mode keys
    # see only those.
    livemode: Mapped[bool] = mapped_column(Boolean, server_default="false")
    session_id: Mapped[str | None] = mapped_column(String(40))
    session: Mapped[dict[str, Any] | None] = mapped_column(JSONB(none_as_null=True))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # The engine's key of the notification the event reports (``engine:…``), unique per
    # session; null for events that are not engine notifications (or carry no key).
    dedupe_key: Mapped[str | None] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    xid: Mapped[int] = mapped_column(TransactionId(), server_default=text("pg_current_xact_id()"))
    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True))
