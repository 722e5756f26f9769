from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, status

from gateway.api_keys import service
from gateway.api_keys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut, ApiKeyUpdate
from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.billing.plans import PLAN_LIMIT_RESPONSES
from gateway.kit.errors import ERROR_RESPONSES
from gateway.kit.pagination import ListResponse, PageParams, page_of
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.kit.state import app_state
from gateway.models import ApiKey

router = APIRouter(
    prefix="/api-keys", tags=["API keys"], route_class=TransactionalRoute, responses=ERROR_RESPONSES
)

Reader = Annotated[Principal, scoped("api_keys", Access.read)]
Writer = Annotated[Principal, scoped("api_keys", Access.write)]
KeyId = Annotated[str, Path(description="The key's id (`key_…`).", max_length=64)]


def present(key: ApiKey) -> ApiKeyOut:
    return ApiKeyOut.model_validate(key)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    responses=PLAN_LIMIT_RESPONSES,
)
async def create_api_key(
    request: Request, body: ApiKeyCreate, caller: Writer, db: DbSession
) -> ApiKeyCreated:
    """Create a key. Its `secret` is in this response only: store it now."""
    key, plaintext = await service.create_key_as(
        db,
        caller,
        settings=app_state(request).settings,
        name=body.name,
        mode=body.mode,
        scopes=body.scopes,
        session_id=body.session_id,
        rate_limit=body.rate_limit,
        allowed_ips=body.allowed_ips,
        expires_at=body.expires_at,
    )
    return ApiKeyCreated.model_validate({**present(key).model_dump(), "secret": plaintext})


@router.get("", response_model=ListResponse[ApiKeyOut])
async def list_api_keys(caller: Reader, db: DbSession, page: PageParams) -> ListResponse[ApiKeyOut]:
    """The account's keys, newest first, revoked ones included."""
    items, has_more = page_of(await service.list_keys(db, service.reach_of(caller), page), page)
    return ListResponse(data=[present(k) for k in items], has_more=has_more)


@router.get("/{key_id}", response_model=ApiKeyOut)
async def retrieve_api_key(key_id: KeyId, caller: Reader, db: DbSession) -> ApiKeyOut:
    return present(await service.get_key(db, service.reach_of(caller), key_id))


@router.patch("/{key_id}", response_model=ApiKeyOut)
async def update_api_key(
    key_id: KeyId, body: ApiKeyUpdate, caller: Writer, db: DbSession
) -> ApiKeyOut:
    """Rename a key, change its scopes, its rate limit, the addresses it may be used from
    or when it expires. Takes effect within a second."""
    return present(await service.update_key(db, caller, key_id, body))


@router.post("/{key_id}/revoke", response_model=ApiKeyOut)
async def revoke_api_key(key_id: KeyId, caller: Writer, db: DbSession) -> ApiKeyOut:
    """Revoke a key for good; every API process refuses it within a second."""
    return present(await service.revoke_key(db, service.reach_of(caller), key_id))
