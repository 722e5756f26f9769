"""Pulling a WABA's templates from Meta into ``cloud_templates``.

Graph is read first, page by page, with no database connection held; the rows are then
written in one statement, so a sync either replaces the session's templates or leaves
them as they were.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.cloud.templates import repository
from gateway.engines.cloud.graph import Graph, GraphUnavailable
from gateway.kit.ids import new_id
from gateway.models import CloudNumber

FIELDS = "id,name,language,status,category,components,rejected_reason,parameter_format"
PAGE_SIZE = 100
# Meta allows a WABA at most 6,000 templates; anything past this many pages is a loop.
MAX_PAGES = 100


async def fetch_templates(graph: Graph, waba_id: str) -> list[dict[str, Any]]:
    """Every template of the WABA, as Graph lists them (``GraphError`` or
    ``GraphUnavailable`` when it fails)."""
    templates: list[dict[str, Any]] = []
    params: dict[str, Any] = {"fields": FIELDS, "limit": PAGE_SIZE}
    for _ in range(MAX_PAGES):
        answer = await graph.request("GET", f"{waba_id}/message_templates", params=params)
        data = answer.get("data")
        if not isinstance(data, list):
            raise GraphUnavailable("Graph listed templates without data")
        templates.extend(item for item in data if isinstance(item, dict))
        paging = answer.get("paging") or {}
        after = (paging.get("cursors") or {}).get("after")
        if not paging.get("next") or not after:
            return templates
        params = {**params, "after": after}
    raise GraphUnavailable("Graph's template list did not end")


def reason_of(value: Any) -> str | None:
    """Meta's rejection reason, None for its ``"NONE"``."""
    if not value or str(value).upper() == "NONE":
        return None
    return str(value)[:200]


def row_values(number: CloudNumber, template: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A ``cloud_templates`` row for a template as Graph lists it."""
    components = template.get("components")
    return {
        "id": new_id("tpl"),
        "session_id": number.session_id,
        "account_id": number.account_id,
        "waba_id": number.waba_id,
        "graph_id": str(template.get("id") or ""),
        "name": str(template["name"]),
        "language": str(template["language"]),
        "category": str(template.get("category") or "UTILITY").upper(),
        "parameter_format": str(template.get("parameter_format") or "POSITIONAL").upper(),
        "status": str(template.get("status") or "PENDING").upper(),
        "rejected_reason": reason_of(template.get("rejected_reason")),
        "components": components if isinstance(components, list) else [],
        "synced_at": now,
    }


async def store_templates(
    db: AsyncSession, number: CloudNumber, fetched: list[dict[str, Any]], now: datetime
) -> None:
    """Make the session's stored templates the ``fetched`` ones."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for template in fetched:
        if isinstance(template.get("name"), str) and isinstance(template.get("language"), str):
            row = row_values(number, template, now)
            rows[(row["name"], row["language"])] = row  # Graph never repeats one; be sure
    await repository.replace_synced(db, number.session_id, list(rows.values()), now)
