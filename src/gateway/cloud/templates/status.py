"""Meta's verdicts on templates (``message_template_status_update`` notifications):
the stored template takes the new status and a ``template.status`` event tells the
developer."""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.cloud import repository as numbers_repository
from gateway.cloud.templates import repository
from gateway.cloud.templates.schemas import template_out
from gateway.cloud.templates.sync import reason_of
from gateway.events.service import publish_about
from gateway.events.types import EventType
from gateway.kit.ids import new_id
from gateway.kit.time import utcnow
from gateway.models import CloudTemplate, Session

log = structlog.get_logger(__name__)

# Meta's events that are not a status of their own: what the template's status becomes
# (a paused or disabled template that Meta reinstates can be sent again).
_EVENT_STATUS = {"REINSTATED": "APPROVED"}


def _text(value: Any, limit: int) -> str | None:
    return str(value)[:limit] if value not in (None, "") else None


async def apply_template_status(db: AsyncSession, session: Session, value: dict[str, Any]) -> None:
    """Apply one ``message_template_status_update`` change of ``session``'s WABA: update
    the stored template (or store it, from what the notification says, when it was never
    synced) and publish ``template.status`` with the template, ``previous_status`` and
    ``reason``. Flushes; the caller's unit of work commits."""
    event = str(value.get("event") or "").upper()
    name = _text(value.get("message_template_name"), 512)
    language = _text(value.get("message_template_language"), 15)
    if not event or name is None or language is None:
        log.warning("templates.status.unreadable", session_id=session.id, event=event)
        return
    status = _EVENT_STATUS.get(event, event)[:30]
    reason = reason_of(value.get("reason"))
    graph_id = _text(value.get("message_template_id"), 40) or ""
    row = await repository.get_by_name(db, session.id, name, language, lock=True)
    previous = row.status if row is not None else None
    if row is None:
        row = await _store_unknown(db, session, value, name, language, graph_id, status, reason)
    if row.status == status and previous is not None and row.rejected_reason == reason:
        return  # Meta repeats notifications: nothing changed, nothing to tell
    row.status = status
    row.rejected_reason = reason
    row.synced_at = utcnow()
    if graph_id:
        row.graph_id = graph_id
    category = _text(value.get("message_template_category"), 30)
    if category:
        row.category = category.upper()
    await db.flush()  # updated_at comes back with the UPDATE (eager defaults)
    await publish_about(
        db,
        session,
        EventType.template_status,
        {
            "template": template_out(row).model_dump(mode="json"),
            "previous_status": previous,
            "reason": reason,
        },
    )


async def _store_unknown(
    db: AsyncSession,
    session: Session,
    value: dict[str, Any],
    name: str,
    language: str,
    graph_id: str,
    status: str,
    reason: str | None,
) -> CloudTemplate:
    number = await numbers_repository.get_number(db, session.id)
    values: dict[str, Any] = {
        "id": new_id("tpl"),
        "session_id": session.id,
        "account_id": session.account_id,
        "waba_id": number.waba_id if number is not None else "",
        "graph_id": graph_id,
        "name": name,
        "language": language,
        "category": (_text(value.get("message_template_category"), 30) or "UTILITY").upper(),
        "status": status,
        "rejected_reason": reason,
        # Unknown until the next sync: a send of it is checked by Meta alone meanwhile.
        "components": [],
        "synced_at": utcnow(),
    }
    row = await repository.insert_if_missing(db, values)
    if row is None:  # stored meanwhile by a sync or the creation: update that one
        row = await repository.get_by_name(db, session.id, name, language, lock=True)
        assert row is not None
    return row
