from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from gateway.auth.dependencies import admin_router as make_admin_router
from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.billing import usage
from gateway.billing.usage_schemas import Usage
from gateway.kit.errors import ERROR_RESPONSES
from gateway.kit.routing import DbSession, TransactionalRoute

router = APIRouter(tags=["Usage"], route_class=TransactionalRoute, responses=ERROR_RESPONSES)
admin_router = make_admin_router("/admin/accounts")

Reader = Annotated[Principal, scoped("account", Access.read)]
AccountId = Annotated[str, Path(description="The account's id (`acct_…`).", max_length=64)]


@router.get("/usage", response_model=Usage)
async def retrieve_usage(caller: Reader, db: DbSession) -> Usage:
    """The calling key's account: messages of the current and previous billing periods
    (calendar months, UTC) by status, session and day, and what the account holds, each
    against its plan's limit. Counted from the stored rows."""
    return await usage.account_usage(db, caller.account_id)


@admin_router.get("/{account_id}/usage", response_model=Usage)
async def retrieve_account_usage(account_id: AccountId, db: DbSession) -> Usage:
    """An account's usage, as `GET /v1/usage` shows it to the account."""
    return await usage.account_usage(db, account_id)
