from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from gateway.models import AuditEntry


class AuditActor(BaseModel):
    type: Literal["api_key", "admin", "system"] = Field(
        description="`api_key`: a key of the account; `admin`: the operator's token; "
        "`system`: the gateway itself (`id` names what: `stripe`, `retention` …)."
    )
    id: str | None = Field(
        default=None, description="The key's id (`key_…`), or what acted for the system."
    )
    via: str | None = Field(
        default=None, description="`dashboard` when the key acted through the dashboard."
    )


class AuditResource(BaseModel):
    type: str = Field(examples=["session"])
    id: str = Field(examples=["ses_01JA2B3C4D5E6F7G8H9J0KMNPQ"])


class AuditEntryOut(BaseModel):
    id: str = Field(examples=["aud_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    object: Literal["audit_entry"] = "audit_entry"
    account_id: str | None = Field(
        description="The account changed; `null` for a deployment-wide change (a plan)."
    )
    action: str = Field(examples=["session.created"])
    actor: AuditActor
    resource: AuditResource
    changes: dict[str, Any] = Field(
        description="Non-secret fields: their values for a creation or deletion, "
        '`{"field": {"from": …, "to": …}}` for a change.'
    )
    livemode: bool = Field(
        description="`false` when a test-mode key made the change; test keys see only those."
    )
    request_id: str | None = Field(description="The request that made the change.")
    ip_address: str | None = Field(description="The address the request came from.")
    created_at: datetime


def present(entry: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(
        id=entry.id,
        account_id=entry.account_id,
        action=entry.action,
        actor=AuditActor.model_validate(
            {"type": entry.actor_type, "id": entry.actor_id, "via": entry.actor_via}
        ),
        resource=AuditResource(type=entry.resource_type, id=entry.resource_id),
        changes=entry.changes,
        livemode=entry.livemode,
        request_id=entry.request_id,
        ip_address=entry.ip_address,
        created_at=entry.created_at,
    )
