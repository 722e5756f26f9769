"""Webhook endpoints: where an account's events go. Secrets are generated here, shown
once (on create and rotate) and kept encrypted with the server secret."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit import service as audit
from gateway.auth.principal import Principal
from gateway.billing.plans import ensure_room_for_webhook_endpoint
from gateway.config import Settings
from gateway.events.service import publish
from gateway.events.types import EventType
from gateway.kit import crypto
from gateway.kit.aftercommit import enqueue_after_commit
from gateway.kit.errors import Conflict, NotFound, PermissionDenied
from gateway.kit.ids import new_id
from gateway.kit.pagination import Page
from gateway.kit.safehttp import check_url
from gateway.kit.time import utcnow
from gateway.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from gateway.webhooks import repository
from gateway.webhooks.cache import invalidate_after_commit
from gateway.webhooks.fanout import delivery_job_id
from gateway.webhooks.schemas import RotateSecret, WebhookCreate, WebhookUpdate


class WebhookEndpointDisabled(Conflict):
    code = "webhook_endpoint_disabled"


SECRET_PURPOSE = "webhook-signing-secret"  # noqa: S105 - a key-derivation label


def _account_of(caller: Principal) -> str:
    # Endpoints receive every session's events: a key restricted to one session cannot
    # manage them without seeing beyond its session.
    if caller.session_id is not None:
        raise PermissionDenied("A key restricted to one session cannot manage webhooks.")
    return caller.account_id


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 24 random bytes, base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def seal(settings: Settings, secret: str) -> bytes:
    return crypto.encrypt(settings.secret, SECRET_PURPOSE, secret.encode())


def unseal(settings: Settings, sealed: bytes) -> str:
    return crypto.decrypt(settings.secrets, SECRET_PURPOSE, sealed).decode()


async def create_endpoint(
    db: AsyncSession, caller: Principal, body: WebhookCreate, settings: Settings
) -> tuple[WebhookEndpoint, str]:
    account_id = _account_of(caller)
    await check_url(body.url, allow_private=settings.private_targets_allowed, param="url")
    await ensure_room_for_webhook_endpoint(db, account_id)
    secret = new_secret()
    endpoint = await repository.add(
        db,
        WebhookEndpoint(
            id=new_id("whk"),
            account_id=account_id,
            url=body.url,
            description=body.description,
            event_types=body.event_types,
            session_ids=body.session_ids,
            headers=body.headers,
            waha_hmac=body.waha_hmac,
            enabled=True,
            secret=seal(settings, secret),
        ),
    )
    audit.record(db, "webhook_endpoint.created", "webhook_endpoint", endpoint.id,
                 changes=audited(endpoint))  # fmt: skip
    invalidate_after_commit(db, account_id)
    return endpoint, secret


def audited(endpoint: WebhookEndpoint) -> dict[str, Any]:
    """What the audit log shows of an endpoint: custom headers by name only, since
    receivers often authenticate with them; never a secret."""
    return {
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": endpoint.event_types,
        "session_ids": endpoint.session_ids,
        "header_names": sorted(endpoint.headers or {}),
        "waha_hmac": endpoint.waha_hmac,
        "enabled": endpoint.enabled,
    }


async def get_endpoint(db: AsyncSession, caller: Principal, endpoint_id: str) -> WebhookEndpoint:
    endpoint = await repository.get(db, _account_of(caller), endpoint_id)
    if endpoint is None:
        raise NotFound("webhook endpoint", endpoint_id)
    return endpoint


async def list_endpoints(
    db: AsyncSession, caller: Principal, page: Page
) -> Sequence[WebhookEndpoint]:
    return await repository.list_page(db, _account_of(caller), page)


async def update_endpoint(
    db: AsyncSession,
    caller: Principal,
    endpoint_id: str,
    changes: WebhookUpdate,
    settings: Settings,
) -> WebhookEndpoint:
    endpoint = await get_endpoint(db, caller, endpoint_id)
    before = audited(endpoint)
    if changes.url is not None:
        await check_url(changes.url, allow_private=settings.private_targets_allowed, param="url")
        endpoint.url = changes.url
    if changes.event_types is not None:
        endpoint.event_types = changes.event_types
    if "session_ids" in changes.model_fields_set:
        endpoint.session_ids = changes.session_ids
    if changes.headers is not None:
        endpoint.headers = changes.headers
    if "description" in changes.model_fields_set:
        endpoint.description = changes.description
    if changes.waha_hmac is not None:
        endpoint.waha_hmac = changes.waha_hmac
    if changes.enabled is not None:
        endpoint.enabled = changes.enabled
        endpoint.disabled_reason = None if changes.enabled else "disabled through the API"
    endpoint.updated_at = utcnow()
    await db.flush()
    audit.record(db, "webhook_endpoint.updated", "webhook_endpoint", endpoint.id,
                 changes=audit.diff(before, audited(endpoint)))  # fmt: skip
    invalidate_after_commit(db, endpoint.account_id)
    return endpoint


async def delete_endpoint(db: AsyncSession, caller: Principal, endpoint_id: str) -> str:
    endpoint = await get_endpoint(db, caller, endpoint_id)
    await repository.remove(db, endpoint)
    audit.record(db, "webhook_endpoint.deleted", "webhook_endpoint", endpoint.id,
                 changes=audited(endpoint))  # fmt: skip
    invalidate_after_commit(db, endpoint.account_id)
    return endpoint.id


async def rotate_secret(
    db: AsyncSession, caller: Principal, endpoint_id: str, body: RotateSecret, settings: Settings
) -> tuple[WebhookEndpoint, str]:
    """A new secret; the old one keeps signing alongside it for ``grace_seconds``, so a
    receiver can switch without dropping a delivery."""
    endpoint = await get_endpoint(db, caller, endpoint_id)
    secret = new_secret()
    if body.grace_seconds > 0:
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = utcnow() + timedelta(seconds=body.grace_seconds)
    else:
        endpoint.previous_secret = None
        endpoint.previous_secret_expires_at = None
    endpoint.secret = seal(settings, secret)
    endpoint.updated_at = utcnow()
    await db.flush()
    audit.record(db, "webhook_endpoint.secret_rotated", "webhook_endpoint", endpoint.id,
                 changes={"grace_seconds": body.grace_seconds})  # fmt: skip
    return endpoint, secret


# -- the delivery log ------------------------------------------------------------------


async def list_deliveries(
    db: AsyncSession, caller: Principal, endpoint_id: str, page: Page, **filters: str | None
) -> Sequence[WebhookDelivery]:
    endpoint = await get_endpoint(db, caller, endpoint_id)
    return await repository.delivery_page(db, endpoint.id, page, **filters)


async def get_delivery(
    db: AsyncSession, caller: Principal, endpoint_id: str, delivery_id: str, *, lock: bool = False
) -> tuple[WebhookDelivery, Sequence[WebhookAttempt]]:
    endpoint = await get_endpoint(db, caller, endpoint_id)
    delivery = await repository.get_delivery(db, endpoint.id, delivery_id, lock=lock)
    if delivery is None:
        raise NotFound("webhook delivery", delivery_id)
    return delivery, await repository.attempts_of(db, delivery.id)


def _resend(db: AsyncSession, delivery: WebhookDelivery) -> None:
    delivery.status = "pending"
    delivery.next_attempt_at = utcnow()
    # An attempt in flight does not hold the resend back: the new attempt goes out now,
    # and the old one, when it ends, is only logged (it no longer holds the lease).
    delivery.leased_until = None
    delivery.updated_at = utcnow()
    enqueue_after_commit(
        db, "deliver_webhook", delivery.id, job_id=delivery_job_id(delivery.id, delivery.attempts)
    )


async def _enabled_endpoint(
    db: AsyncSession, caller: Principal, endpoint_id: str
) -> WebhookEndpoint:
    endpoint = await get_endpoint(db, caller, endpoint_id)
    if not endpoint.enabled:
        raise WebhookEndpointDisabled(
            "The endpoint is disabled; re-enable it (enabled: true) first.", param="id"
        )
    return endpoint


async def retry_delivery(
    db: AsyncSession, caller: Principal, endpoint_id: str, delivery_id: str
) -> WebhookDelivery:
    """Send a delivery again now (a succeeded one too: the receiver asked for it)."""
    endpoint = await _enabled_endpoint(db, caller, endpoint_id)
    delivery = await repository.get_delivery(db, endpoint.id, delivery_id, lock=True)
    if delivery is None:
        raise NotFound("webhook delivery", delivery_id)
    _resend(db, delivery)
    await db.flush()
    audit.record(db, "webhook_delivery.retried", "webhook_delivery", delivery.id,
                 changes={"endpoint_id": endpoint.id})  # fmt: skip
    return delivery


async def recover(db: AsyncSession, caller: Principal, endpoint_id: str, since: datetime) -> int:
    """Re-send every failed delivery of the endpoint created since ``since``."""
    endpoint = await _enabled_endpoint(db, caller, endpoint_id)
    failed = await repository.failed_since(db, endpoint.id, since)
    for delivery in failed:
        _resend(db, delivery)
    await db.flush()
    audit.record(db, "webhook_endpoint.recovered", "webhook_endpoint", endpoint.id,
                 changes={"since": since, "deliveries": len(failed)})  # fmt: skip
    return len(failed)


async def send_test_event(db: AsyncSession, caller: Principal, endpoint_id: str) -> WebhookDelivery:
    """A ``webhook.test`` event, delivered to this endpoint only."""
    endpoint = await get_endpoint(db, caller, endpoint_id)
    event = await publish(
        db,
        account_id=endpoint.account_id,
        type=EventType.webhook_test,
        session=None,
        data={"message": "This is a test event from the gateway."},
        livemode=not caller.is_test,
        fan_out_to=[endpoint.id],
    )
    delivery = await repository.delivery_of(db, endpoint.id, event.id)
    assert delivery is not None
    audit.record(db, "webhook_endpoint.tested", "webhook_endpoint", endpoint.id,
                 changes={"event_id": event.id})  # fmt: skip
    return delivery
