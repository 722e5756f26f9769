"""The 24-hour customer-service window: Meta lets a business send a free-form message
only within 24 hours of the customer's last message; outside it, only a template.

The gateway knows when each contact last wrote (``conversation_windows``, written as
Meta's webhook reports inbound messages), so it refuses such a send when it is made,
with a clear error, instead of accepting it and failing minutes later with Graph's
131047, as the peers that wrap the Cloud API do.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.cloud import repository
from gateway.kit.errors import InvalidRequest
from gateway.kit.time import utcnow

WINDOW = timedelta(hours=24)
# Kinds of message Meta allows outside the window.
ALWAYS_ALLOWED = frozenset({"template"})


class OutsideCustomerServiceWindow(InvalidRequest):
    status_code = 422
    code = "outside_customer_service_window"


async def require_open(
    sessionmaker: async_sessionmaker[AsyncSession], session_id: str, chat_id: str, kind: str
) -> None:
    """422 unless a message of ``kind`` may go to ``chat_id`` now."""
    if kind in ALWAYS_ALLOWED:
        return
    contact = chat_id.partition("@")[0]
    async with sessionmaker() as db:
        last = await repository.last_inbound_at(db, session_id, contact)
    if last is None or utcnow() - last >= WINDOW:
        since = "has never written" if last is None else f"last wrote at {last.isoformat()}"
        raise OutsideCustomerServiceWindow(
            f"Outside the 24-hour customer-service window: the contact {since}. Only a "
            "template message (type: template) can start the conversation.",
            param="type",
        )
