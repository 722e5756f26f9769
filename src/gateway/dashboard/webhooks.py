"""The webhook endpoints pages: endpoints, their deliveries and each attempt, retry and
recover. Each calls the webhooks' service as ``/v1/webhooks`` does, with the signed-in key
as the caller, so the API's rules hold: the account's endpoints only, no key restricted to
one session, the SSRF guard on every URL, the plan's limit on endpoints."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from gateway.auth.scopes import Access
from gateway.dashboard.auth import PATH, Submitted, Visitor, reading, writing
from gateway.dashboard.forms import abandon, page_after, parse
from gateway.dashboard.pages import DashboardRoute, redirect, render
from gateway.events.types import EventType
from gateway.kit.errors import GatewayError, InvalidRequest
from gateway.kit.pagination import page_of
from gateway.kit.routing import DbSession
from gateway.kit.state import app_state
from gateway.models import WebhookEndpoint
from gateway.webhooks import service
from gateway.webhooks.schemas import ALL_EVENTS, RotateSecret, WebhookCreate, WebhookUpdate

router = APIRouter(route_class=DashboardRoute)

WebhooksReader = Annotated[Visitor, Depends(reading("webhooks"))]
WebhooksWriter = Annotated[Submitted, Depends(writing("webhooks"))]
EndpointId = Annotated[str, Path(max_length=64)]
DeliveryId = Annotated[str, Path(max_length=64)]
EVENT_TYPES = [t.value for t in EventType]
DELIVERY_STATUSES = ["pending", "succeeded", "failed"]
_SINCE = TypeAdapter(datetime)
# What a finished action says on the page it leads to: fixed words, never request text.
NOTICES = {
    "saved": "Endpoint saved.",
    "test": "Test event sent: its delivery is at the top of the log.",
    "deleted": "Endpoint deleted.",
    "retry": "Sending the delivery again now.",
    "recovered": "Sending the failed deliveries again now.",
}


def _types_of(submitted: Submitted) -> list[str]:
    chosen = [v.strip() for v in submitted.form.getlist("event_types") if isinstance(v, str)]
    return [ALL_EVENTS] if not chosen or ALL_EVENTS in chosen else chosen


def _endpoint_form(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "url": endpoint.url,
        "description": endpoint.description or "",
        "event_types": list(endpoint.event_types),
        "enabled": endpoint.enabled,
    }


async def _list_page(
    request: Request,
    db: AsyncSession,
    visitor: Visitor,
    *,
    after: str | None = None,
    status_code: int = 200,
    error: GatewayError | None = None,
    form: dict[str, Any] | None = None,
    notice: str | None = None,
) -> Response:
    page = page_after(after, "whk")
    rows, has_more = page_of(await service.list_endpoints(db, visitor.principal, page), page)
    return render(
        request,
        "webhooks.html",
        status_code=status_code,
        endpoints=rows,
        next_cursor=rows[-1].id if has_more and rows else None,
        event_types=EVENT_TYPES,
        can_write=visitor.can("webhooks", Access.write),
        error=error,
        form=form or {"url": "", "description": "", "event_types": [ALL_EVENTS]},
        notice=notice,
    )


@router.get("/webhooks")
async def webhooks_page(
    request: Request,
    visitor: WebhooksReader,
    db: DbSession,
    after: Annotated[str | None, Query(max_length=64)] = None,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return await _list_page(request, db, visitor, after=after, notice=NOTICES.get(done or ""))


@router.post("/webhooks")
async def create_webhook(request: Request, submitted: WebhooksWriter, db: DbSession) -> Response:
    form = {
        "url": submitted.text("url"),
        "description": submitted.text("description"),
        "event_types": _types_of(submitted),
    }
    settings = app_state(request).settings
    try:
        body = parse(
            WebhookCreate,
            {
                "url": form["url"],
                "event_types": form["event_types"],
                "description": form["description"] or None,
            },
        )
        endpoint, secret = await service.create_endpoint(db, submitted.principal, body, settings)
    except GatewayError as exc:
        await abandon(db)
        return await _list_page(
            request, db, submitted.visitor, status_code=exc.status_code, error=exc, form=form
        )
    # The secret is on this page only: it is stored encrypted, and is not carried to
    # another page in a cookie or an address.
    return await _endpoint_page(
        request, db, submitted.visitor, endpoint.id, status_code=201, secret=secret
    )


async def _endpoint_page(
    request: Request,
    db: AsyncSession,
    visitor: Visitor,
    endpoint_id: str,
    *,
    status_code: int = 200,
    after: str | None = None,
    delivery_status: str = "",
    notice: str | None = None,
    secret: str | None = None,
    error: GatewayError | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    principal = visitor.principal
    endpoint = await service.get_endpoint(db, principal, endpoint_id)
    page = page_after(after, "dlv")
    wanted = delivery_status if delivery_status in DELIVERY_STATUSES else None
    rows, has_more = page_of(
        await service.list_deliveries(db, principal, endpoint.id, page, status=wanted), page
    )
    return render(
        request,
        "webhook.html",
        status_code=status_code,
        endpoint=endpoint,
        deliveries=rows,
        next_cursor=rows[-1].id if has_more and rows else None,
        delivery_status=wanted or "",
        delivery_statuses=DELIVERY_STATUSES,
        event_types=EVENT_TYPES,
        can_write=visitor.can("webhooks", Access.write),
        secret=secret,
        error=error,
        form=form or _endpoint_form(endpoint),
        notice=notice,
        now=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"),
    )


@router.get("/webhooks/{endpoint_id}")
async def webhook_page(
    request: Request,
    endpoint_id: EndpointId,
    visitor: WebhooksReader,
    db: DbSession,
    after: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[str, Query(max_length=20)] = "",
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    notice = NOTICES.get(done or "")
    return await _endpoint_page(
        request, db, visitor, endpoint_id, after=after, delivery_status=status, notice=notice
    )


@router.post("/webhooks/{endpoint_id}")
async def update_webhook(
    request: Request, endpoint_id: EndpointId, submitted: WebhooksWriter, db: DbSession
) -> Response:
    form = {
        "url": submitted.text("url"),
        "description": submitted.text("description"),
        "event_types": _types_of(submitted),
        "enabled": submitted.text("enabled") == "on",
    }
    settings = app_state(request).settings
    try:
        changes = parse(
            WebhookUpdate,
            {
                "url": form["url"],
                "event_types": form["event_types"],
                "description": form["description"] or None,
                # Only a change: saving a disabled endpoint keeps the reason it was disabled.
                "enabled": None
                if form["enabled"] == (submitted.text("was_enabled") == "on")
                else form["enabled"],
            },
        )
        await service.update_endpoint(db, submitted.principal, endpoint_id, changes, settings)
    except GatewayError as exc:
        await abandon(db)
        return await _endpoint_page(
            request,
            db,
            submitted.visitor,
            endpoint_id,
            status_code=exc.status_code,
            error=exc,
            form=form,
        )
    return redirect(f"{PATH}/webhooks/{endpoint_id}?done=saved")


@router.post("/webhooks/{endpoint_id}/rotate-secret")
async def rotate_webhook_secret(
    request: Request, endpoint_id: EndpointId, submitted: WebhooksWriter, db: DbSession
) -> Response:
    # The API's default overlap: the previous secret keeps signing alongside for a day.
    _, secret = await service.rotate_secret(
        db, submitted.principal, endpoint_id, RotateSecret(), app_state(request).settings
    )
    return await _endpoint_page(request, db, submitted.visitor, endpoint_id, secret=secret)


@router.post("/webhooks/{endpoint_id}/test")
async def test_webhook(
    endpoint_id: EndpointId, submitted: WebhooksWriter, db: DbSession
) -> Response:
    await service.send_test_event(db, submitted.principal, endpoint_id)
    return redirect(f"{PATH}/webhooks/{endpoint_id}?done=test")


@router.post("/webhooks/{endpoint_id}/delete")
async def delete_webhook(
    endpoint_id: EndpointId, submitted: WebhooksWriter, db: DbSession
) -> Response:
    await service.delete_endpoint(db, submitted.principal, endpoint_id)
    return redirect(f"{PATH}/webhooks?done=deleted")


@router.post("/webhooks/{endpoint_id}/recover")
async def recover_webhook_deliveries(
    endpoint_id: EndpointId, submitted: WebhooksWriter, db: DbSession
) -> Response:
    try:
        since = _SINCE.validate_python(submitted.text("since"))
    except ValidationError:
        raise InvalidRequest(
            "Invalid since: give a date and time, such as 2026-01-31T09:00 (UTC).",
            param="since",
        ) from None
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)  # the form's field has no zone: the page says UTC
    await service.recover(db, submitted.principal, endpoint_id, since)
    return redirect(f"{PATH}/webhooks/{endpoint_id}?done=recovered")


@router.get("/webhooks/{endpoint_id}/deliveries/{delivery_id}")
async def delivery_page(
    request: Request,
    endpoint_id: EndpointId,
    delivery_id: DeliveryId,
    visitor: WebhooksReader,
    db: DbSession,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    endpoint = await service.get_endpoint(db, visitor.principal, endpoint_id)
    delivery, attempts = await service.get_delivery(db, visitor.principal, endpoint.id, delivery_id)
    return render(
        request,
        "webhook_delivery.html",
        endpoint=endpoint,
        delivery=delivery,
        attempts=attempts,
        can_write=visitor.can("webhooks", Access.write),
        notice=NOTICES.get(done or ""),
    )


@router.post("/webhooks/{endpoint_id}/deliveries/{delivery_id}/retry")
async def retry_webhook_delivery(
    endpoint_id: EndpointId, delivery_id: DeliveryId, submitted: WebhooksWriter, db: DbSession
) -> Response:
    await service.retry_delivery(db, submitted.principal, endpoint_id, delivery_id)
    return redirect(f"{PATH}/webhooks/{endpoint_id}/deliveries/{delivery_id}?done=retry")
