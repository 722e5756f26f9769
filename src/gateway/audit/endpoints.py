"""``GET /v1/audit-log`` for the account, ``GET /admin/audit-log`` for the operator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from gateway.audit import service
from gateway.audit.schemas import AuditEntryOut, present
from gateway.auth.dependencies import admin_router as make_admin_router
from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.kit.errors import ERROR_RESPONSES, PermissionDenied
from gateway.kit.pagination import ListResponse, PageParams, page_of
from gateway.kit.routing import DbSession, TransactionalRoute

router = APIRouter(tags=["Audit log"], route_class=TransactionalRoute, responses=ERROR_RESPONSES)
admin_router = make_admin_router("/admin/audit-log")

ActionFilter = Annotated[
    str | None,
    Query(
        max_length=64,
        pattern=r"^[a-z_]+(\.[a-z_]+)*(\.\*)?$",
        description="Only this action (`session.created`), or a family (`session.*`).",
    ),
]
ResourceFilter = Annotated[
    str | None, Query(max_length=80, description="Only entries about this object (its id).")
]
ActorFilter = Annotated[
    str | None,
    Query(max_length=64, description="Only changes by this key (`key_…`), or `admin`."),
]
SinceFilter = Annotated[
    datetime | None, Query(description="Only entries made at or after this time.")
]


def _listed(entries: list[AuditEntryOut], has_more: bool) -> ListResponse[AuditEntryOut]:
    return ListResponse(data=entries, has_more=has_more)


@router.get("/audit-log", response_model=ListResponse[AuditEntryOut])
async def list_audit_log(
    caller: Annotated[Principal, scoped("account", Access.read)],
    db: DbSession,
    page: PageParams,
    action: ActionFilter = None,
    resource_id: ResourceFilter = None,
    actor: ActorFilter = None,
    since: SinceFilter = None,
) -> ListResponse[AuditEntryOut]:
    """Every change made to the account, newest first: by its keys (the dashboard too),
    by the operator and by the gateway itself. Entries are never changed or removed.
    A test-mode key sees what test-mode keys did; a key restricted to one session cannot
    read the log, which covers the whole account."""
    if caller.session_id is not None:
        raise PermissionDenied(
            "The audit log covers the whole account; a key restricted to one session "
            "cannot read it."
        )
    rows = await service.list_entries(
        db,
        page,
        account_id=caller.account_id,
        test_only=caller.is_test,
        action=action,
        resource_id=resource_id,
        actor_id=actor,
        since=since,
    )
    items, has_more = page_of(rows, page)
    return _listed([present(e) for e in items], has_more)


@admin_router.get("", response_model=ListResponse[AuditEntryOut])
async def admin_list_audit_log(
    db: DbSession,
    page: PageParams,
    account_id: Annotated[
        str | None, Query(max_length=64, description="Only this account's entries.")
    ] = None,
    action: ActionFilter = None,
    resource_id: ResourceFilter = None,
    actor: ActorFilter = None,
    since: SinceFilter = None,
) -> ListResponse[AuditEntryOut]:
    """Every account's audit log and the deployment-wide changes (plans), newest first."""
    rows = await service.list_entries(
        db,
        page,
        account_id=account_id,
        action=action,
        resource_id=resource_id,
        actor_id=actor,
        since=since,
    )
    items, has_more = page_of(rows, page)
    return _listed([present(e) for e in items], has_more)
