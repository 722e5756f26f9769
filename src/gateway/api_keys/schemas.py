from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from gateway.auth.keys import KeyMode
from gateway.auth.scopes import RESOURCES, Access

# One optional field per resource, so an unknown resource is "Received unknown parameter:
# scopes.<name>" and the OpenAPI document lists every resource.
_scope_fields: dict[str, Any] = {r: (Access | None, None) for r in RESOURCES}
ScopesIn = create_model(
    "ScopesIn",
    __config__=ConfigDict(extra="forbid"),
    __doc__="Access per resource. Omitted resources get `none`; omit `scopes` for full access.",
    **_scope_fields,
)
_scope_out_fields: dict[str, Any] = {r: (Access, Access.none) for r in RESOURCES}
ScopesOut = create_model("Scopes", **_scope_out_fields)

RATE_LIMIT_DESCRIPTION = (
    "Requests allowed per window, e.g. `100/second`, `5000/hour`, `1000 per 10 minutes`. "
    "Unset: the account's default, else the server's."
)


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="API key", min_length=1, max_length=200)
    mode: KeyMode | None = Field(
        default=None, description="`live` or `test`; defaults to the calling key's mode."
    )
    scopes: ScopesIn | None = None
    session_id: str | None = Field(
        default=None, description="Restrict the key to one session (`ses_…`)."
    )
    rate_limit: str | None = Field(default=None, max_length=64, description=RATE_LIMIT_DESCRIPTION)


class ApiKeyUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    scopes: ScopesIn | None = None
    rate_limit: str | None = Field(
        default=None, max_length=64, description=RATE_LIMIT_DESCRIPTION + " `null` clears it."
    )


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(examples=["key_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    object: Literal["api_key"] = "api_key"
    name: str
    mode: KeyMode
    redacted: str = Field(
        examples=["gw_test_…a1B2"], description="The key with all but 4 chars hidden."
    )
    scopes: ScopesOut
    session_id: str | None
    rate_limit: str | None
    created_at: datetime
    last_used_at: datetime | None = Field(description="Accurate to about a minute.")
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    secret: str = Field(
        description="The key itself. Shown only in this response: store it now.",
        examples=["gw_test_4eC39HqLyjWDarjtT1zdp7dcAbC123"],
    )
