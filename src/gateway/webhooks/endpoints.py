from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, status

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.kit.errors import ERROR_RESPONSES
from gateway.kit.pagination import ListResponse, PageParams, page_of
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.kit.state import app_state
from gateway.models import WebhookEndpoint
from gateway.webhooks import service
from gateway.webhooks.schemas import (
    RotateSecret,
    WebhookCreate,
    WebhookDeleted,
    WebhookOut,
    WebhookUpdate,
    WebhookWithSecret,
)

router = APIRouter(
    prefix="/webhooks", tags=["Webhooks"], route_class=TransactionalRoute, responses=ERROR_RESPONSES
)

Reader = Annotated[Principal, scoped("webhooks", Access.read)]
Writer = Annotated[Principal, scoped("webhooks", Access.write)]
EndpointId = Annotated[str, Path(description="The endpoint's id (`whk_…`).", max_length=64)]


def present(endpoint: WebhookEndpoint) -> WebhookOut:
    return WebhookOut(
        id=endpoint.id,
        url=endpoint.url,
        event_types=list(endpoint.event_types),
        session_ids=list(endpoint.session_ids) if endpoint.session_ids is not None else None,
        headers=dict(endpoint.headers),
        description=endpoint.description,
        waha_hmac=endpoint.waha_hmac,
        enabled=endpoint.enabled,
        disabled_reason=endpoint.disabled_reason,
        previous_secret_expires_at=endpoint.previous_secret_expires_at,
        created_at=endpoint.created_at,
        updated_at=endpoint.updated_at,
    )


def with_secret(endpoint: WebhookEndpoint, secret: str) -> WebhookWithSecret:
    return WebhookWithSecret(**present(endpoint).model_dump(), secret=secret)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=WebhookWithSecret)
async def create_webhook(
    request: Request, body: WebhookCreate, caller: Writer, db: DbSession
) -> WebhookWithSecret:
    """Register an endpoint. Its signing `secret` is in this response only."""
    endpoint, secret = await service.create_endpoint(db, caller, body, app_state(request).settings)
    return with_secret(endpoint, secret)


@router.get("", response_model=ListResponse[WebhookOut])
async def list_webhooks(
    caller: Reader, db: DbSession, page: PageParams
) -> ListResponse[WebhookOut]:
    items, has_more = page_of(await service.list_endpoints(db, caller, page), page)
    return ListResponse(data=[present(e) for e in items], has_more=has_more)


@router.get("/{endpoint_id}", response_model=WebhookOut)
async def retrieve_webhook(endpoint_id: EndpointId, caller: Reader, db: DbSession) -> WebhookOut:
    return present(await service.get_endpoint(db, caller, endpoint_id))


@router.patch("/{endpoint_id}", response_model=WebhookOut)
async def update_webhook(
    request: Request, endpoint_id: EndpointId, body: WebhookUpdate, caller: Writer, db: DbSession
) -> WebhookOut:
    """Change what an endpoint receives; `enabled: true` re-enables a disabled one."""
    settings = app_state(request).settings
    return present(await service.update_endpoint(db, caller, endpoint_id, body, settings))


@router.delete("/{endpoint_id}", response_model=WebhookDeleted)
async def delete_webhook(endpoint_id: EndpointId, caller: Writer, db: DbSession) -> WebhookDeleted:
    return WebhookDeleted(id=await service.delete_endpoint(db, caller, endpoint_id))


@router.post("/{endpoint_id}/rotate-secret", response_model=WebhookWithSecret)
async def rotate_webhook_secret(
    request: Request,
    endpoint_id: EndpointId,
    caller: Writer,
    db: DbSession,
    body: RotateSecret | None = None,
) -> WebhookWithSecret:
    """A new signing secret (shown only here); the old one keeps signing alongside it for
    `grace_seconds` (default 24 hours)."""
    endpoint, secret = await service.rotate_secret(
        db, caller, endpoint_id, body or RotateSecret(), app_state(request).settings
    )
    return with_secret(endpoint, secret)
