from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, status

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.billing.plans import PLAN_LIMIT_RESPONSES
from gateway.events.types import EventType
from gateway.kit.errors import ERROR_RESPONSES
from gateway.kit.pagination import ListResponse, PageParams, page_of
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.kit.state import app_state
from gateway.models import WebhookDelivery, WebhookEndpoint
from gateway.webhooks import service
from gateway.webhooks.schemas import (
    AttemptOut,
    DeliveryOut,
    DeliveryWithAttempts,
    Recovered,
    RecoverRequest,
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


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookWithSecret,
    responses=PLAN_LIMIT_RESPONSES,
)
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


DeliveryId = Annotated[str, Path(description="The delivery's id (`dlv_…`).", max_length=64)]


def present_delivery(delivery: WebhookDelivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        endpoint_id=delivery.endpoint_id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        status=delivery.status,  # type: ignore[arg-type]
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at if delivery.status == "pending" else None,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        succeeded_at=delivery.succeeded_at,
        created_at=delivery.created_at,
    )


@router.post(
    "/{endpoint_id}/test", status_code=status.HTTP_202_ACCEPTED, response_model=DeliveryOut
)
async def test_webhook(endpoint_id: EndpointId, caller: Writer, db: DbSession) -> DeliveryOut:
    """Send a `webhook.test` event to this endpoint only; follow it in its deliveries."""
    return present_delivery(await service.send_test_event(db, caller, endpoint_id))


@router.get("/{endpoint_id}/deliveries", response_model=ListResponse[DeliveryOut])
async def list_webhook_deliveries(
    endpoint_id: EndpointId,
    caller: Reader,
    db: DbSession,
    page: PageParams,
    delivery_status: Annotated[
        Literal["pending", "succeeded", "failed"] | None, Query(alias="status")
    ] = None,
    event_type: Annotated[EventType | None, Query()] = None,
) -> ListResponse[DeliveryOut]:
    """The endpoint's deliveries, newest first."""
    rows = await service.list_deliveries(
        db,
        caller,
        endpoint_id,
        page,
        status=delivery_status,
        event_type=event_type.value if event_type else None,
    )
    items, has_more = page_of(rows, page)
    return ListResponse(data=[present_delivery(d) for d in items], has_more=has_more)


@router.get("/{endpoint_id}/deliveries/{delivery_id}", response_model=DeliveryWithAttempts)
async def retrieve_webhook_delivery(
    endpoint_id: EndpointId, delivery_id: DeliveryId, caller: Reader, db: DbSession
) -> DeliveryWithAttempts:
    """One delivery with every attempt: when, the status code, latency, the answer."""
    delivery, attempts = await service.get_delivery(db, caller, endpoint_id, delivery_id)
    return DeliveryWithAttempts(
        **present_delivery(delivery).model_dump(),
        attempt_log=[
            AttemptOut(
                attempted_at=a.attempted_at,
                status_code=a.status_code,
                latency_ms=a.latency_ms,
                response_excerpt=a.response_excerpt,
                error=a.error,
            )
            for a in attempts
        ],
    )


@router.post("/{endpoint_id}/deliveries/{delivery_id}/retry", response_model=DeliveryOut)
async def retry_webhook_delivery(
    endpoint_id: EndpointId, delivery_id: DeliveryId, caller: Writer, db: DbSession
) -> DeliveryOut:
    """Send the delivery again now."""
    return present_delivery(await service.retry_delivery(db, caller, endpoint_id, delivery_id))


@router.post("/{endpoint_id}/recover", response_model=Recovered)
async def recover_webhook_deliveries(
    endpoint_id: EndpointId, body: RecoverRequest, caller: Writer, db: DbSession
) -> Recovered:
    """Re-send every failed delivery since a time (after fixing a broken receiver)."""
    retried = await service.recover(db, caller, endpoint_id, body.since)
    return Recovered(endpoint_id=endpoint_id, retried=retried)
