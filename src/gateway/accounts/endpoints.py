from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from gateway.accounts import service
from gateway.accounts.schemas import (
    AccountCreate,
    AccountCreated,
    AccountOut,
    AccountSelfUpdate,
    AccountUpdate,
    AdminAccountOut,
    present_account,
    rendered_account,
)
from gateway.api_keys.endpoints import present as present_key
from gateway.api_keys.schemas import ApiKeyCreated
from gateway.auth.dependencies import admin_router as make_admin_router
from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.kit.errors import ERROR_RESPONSES
from gateway.kit.pagination import ListResponse, PageParams, page_of
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.kit.state import app_state
from gateway.retention.policy import RetentionPolicy

router = APIRouter(tags=["Account"], route_class=TransactionalRoute, responses=ERROR_RESPONSES)
admin_router = make_admin_router("/admin/accounts")

AccountId = Annotated[str, Path(description="The account's id (`acct_…`).", max_length=64)]


def _policy(request: Request) -> RetentionPolicy:
    return RetentionPolicy.from_settings(app_state(request).settings)


@router.get("/account", response_model=AccountOut)
async def retrieve_account(
    request: Request, caller: Annotated[Principal, scoped("account", Access.read)]
) -> Response:
    """The account the calling key belongs to."""
    # Read with the key and cached with it: no query while the key is cached, and the
    # body is rendered once per version of the account.
    body = rendered_account(caller.account, _policy(request))
    return Response(body, media_type="application/json")


@router.patch("/account", response_model=AccountOut)
async def update_account(
    request: Request,
    body: AccountSelfUpdate,
    caller: Annotated[Principal, scoped("account", Access.write)],
    db: DbSession,
) -> AccountOut:
    """Change the account's own settings: how long its records are kept (`retention`).
    Needs a live-mode key with `account: write` that is not restricted to a session."""
    policy = _policy(request)
    account = await service.update_own_account(db, caller, body, policy)
    return present_account(account, policy, AccountOut)


@admin_router.post("", status_code=status.HTTP_201_CREATED, response_model=AccountCreated)
async def admin_create_account(
    request: Request, body: AccountCreate, db: DbSession
) -> AccountCreated:
    """Create an account with its first API key (the key's secret is shown only here)."""
    account, key, plaintext = await service.create_account(
        db,
        secret=app_state(request).settings.secret,
        name=body.name,
        email=body.email,
        default_rate_limit=body.default_rate_limit,
        key_name=body.api_key.name,
        key_mode=body.api_key.mode,
        plan_id=body.plan_id,
    )
    first_key = ApiKeyCreated.model_validate({**present_key(key).model_dump(), "secret": plaintext})
    shown = present_account(account, _policy(request), AdminAccountOut)
    return AccountCreated.model_validate({**shown.model_dump(), "api_key": first_key})


@admin_router.get("", response_model=ListResponse[AdminAccountOut])
async def admin_list_accounts(
    request: Request, db: DbSession, page: PageParams
) -> ListResponse[AdminAccountOut]:
    items, has_more = page_of(await service.list_accounts(db, page), page)
    policy = _policy(request)
    data = [present_account(a, policy, AdminAccountOut) for a in items]
    return ListResponse(data=data, has_more=has_more)


@admin_router.get("/{account_id}", response_model=AdminAccountOut)
async def admin_retrieve_account(
    request: Request, account_id: AccountId, db: DbSession
) -> AdminAccountOut:
    account = await service.get_account(db, account_id)
    return present_account(account, _policy(request), AdminAccountOut)


@admin_router.patch("/{account_id}", response_model=AdminAccountOut)
async def admin_update_account(
    request: Request, account_id: AccountId, body: AccountUpdate, db: DbSession
) -> AdminAccountOut:
    """Change an account's name, email, default rate limit, plan or retention. A new plan
    applies at once on every API process."""
    policy = _policy(request)
    account = await service.update_account(db, account_id, body, policy)
    return present_account(account, policy, AdminAccountOut)
