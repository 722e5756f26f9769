"""The audit log: every change made through the API or the admin API, one row each.

An entry is added to the session of the change itself, so it commits with it and a
rolled-back change leaves none. The actor (key or operator, request id, address) is the
one the request or job bound to that session (``kit/actor.py``).

``changes`` holds non-secret fields only: callers pass the fields they name, never a whole
row, so a new secret column cannot leak into the log by default.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit import repository
from gateway.kit import actor as actors
from gateway.kit.ids import new_id
from gateway.kit.pagination import Page
from gateway.models import AuditEntry


def record(
    db: AsyncSession,
    action: str,
    resource_type: str,
    resource_id: str,
    *,
    changes: Mapping[str, Any] | None = None,
    account_id: str | None = None,
) -> AuditEntry:
    """Add an entry for ``action`` on the resource to the session's transaction.

    ``account_id`` defaults to the acting key's account; the operator acting on an
    account passes it, and a deployment-wide change (a plan) leaves it ``None``."""
    who = actors.acting(db)
    entry = AuditEntry(
        id=new_id("aud"),
        account_id=account_id if account_id is not None else who.account_id,
        actor_type=who.type,
        actor_id=who.id,
        actor_via=who.via,
        livemode=who.livemode,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        changes=to_jsonable_python(dict(changes or {})),
        request_id=who.request_id,
        ip_address=who.ip_address,
    )
    db.add(entry)
    return entry


_PSEUDONYM_PURPOSE = b"gateway audit pseudonym\x00"


def personal(db: AsyncSession, identifier: str) -> str:
    """A contact's number, JID or LID as the audit log keeps it: a keyed pseudonym
    (``anon_…``), the same for one person across entries, that only someone holding the
    server secret can match to a number. So the log can say who was blocked without
    holding personal data, and erasing a contact leaves nothing readable in it. Group
    ids are not people's and are kept as they are."""
    if identifier.endswith("@g.us"):
        return identifier
    user, _, server = identifier.partition("@")
    person = f"lid:{user}" if server == "lid" else user.lstrip("+").split(":")[0]
    key = actors.acting(db).secret
    if key is None:  # no secret bound (a job): nothing of the person is kept at all
        return "anon"
    digest = hmac.new(key, _PSEUDONYM_PURPOSE + person.encode(), hashlib.sha256)
    return "anon_" + digest.hexdigest()[:24]


def fields_of(obj: object, names: Iterable[str]) -> dict[str, Any]:
    """The named attributes of ``obj``, for the ``changes`` of a creation or a deletion."""
    return {name: getattr(obj, name) for name in names}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """``{field: {"from": old, "to": new}}`` for the fields whose value changed."""
    return {
        name: {"from": before.get(name), "to": value}
        for name, value in after.items()
        if _comparable(before.get(name)) != _comparable(value)
    }


def _comparable(value: Any) -> Any:
    return to_jsonable_python(value)


async def list_entries(
    db: AsyncSession,
    page: Page,
    *,
    account_id: str | None,
    action: str | None = None,
    resource_id: str | None = None,
    actor_id: str | None = None,
    since: datetime | None = None,
    test_only: bool = False,
) -> Sequence[AuditEntry]:
    """Newest first. ``account_id=None`` lists every account's (the operator's view);
    ``test_only``: what test-mode keys did, all a test key may read."""
    return await repository.list_entries(
        db,
        page,
        account_id=account_id,
        test_only=test_only,
        action=action,
        resource_id=resource_id,
        actor_id=actor_id,
        since=since,
    )
