from __future__ import annotations

from datetime import datetime
from ipaddress import ip_network
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, create_model

from gateway.auth.keys import KeyMode
from gateway.auth.scopes import RESOURCES, Access
from gateway.kit.time import utcnow

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


MAX_ALLOWED_IPS = 100


def normalise_network(entry: str) -> str:
    """An address or CIDR as the API shows it: compressed, a network of one as the bare
    address. A CIDR with host bits set is refused rather than widened or narrowed: which
    one was meant cannot be told, and guessing wrong locks someone out or lets them in."""
    text = entry.strip()
    try:
        network = ip_network(text)
    except ValueError:
        try:
            wider = ip_network(text, strict=False)
        except ValueError:
            raise ValueError(f"'{entry}' is not an IPv4 or IPv6 address or CIDR.") from None
        raise ValueError(f"'{entry}' has host bits set; did you mean {wider.compressed}?") from None
    if network.prefixlen == network.max_prefixlen:
        return str(network.network_address)
    return network.compressed


def _in_the_future(value: datetime | None) -> datetime | None:
    if value is not None and value <= utcnow():
        raise ValueError("must be in the future.")
    return value


AllowedIp = Annotated[str, Field(max_length=64), AfterValidator(normalise_network)]
AllowedIps = Annotated[
    list[AllowedIp] | None,
    Field(
        min_length=1,
        max_length=MAX_ALLOWED_IPS,
        description=(
            "IPv4/IPv6 addresses or CIDRs (`203.0.113.7`, `10.0.0.0/8`, `2001:db8::/32`) the "
            f"key may be used from, at most {MAX_ALLOWED_IPS}; from anywhere else a request "
            "gets 403 `ip_not_allowed`. `null`: any address."
        ),
        examples=[["203.0.113.7", "10.0.0.0/8"]],
    ),
]
ExpiresAt = Annotated[
    AwareDatetime | None,
    AfterValidator(_in_the_future),
    Field(
        description=(
            "When the key stops working (401 `api_key_expired`), in the future, with a "
            "timezone. `null`: never."
        ),
    ),
]


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
    allowed_ips: AllowedIps = None
    expires_at: ExpiresAt = None


class ApiKeyUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    scopes: ScopesIn | None = None
    rate_limit: str | None = Field(
        default=None, max_length=64, description=RATE_LIMIT_DESCRIPTION + " `null` clears it."
    )
    allowed_ips: AllowedIps = None
    expires_at: ExpiresAt = None


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
    allowed_ips: list[str] | None = Field(
        description="Addresses and CIDRs the key may be used from; `null`: any."
    )
    expires_at: datetime | None = Field(description="When the key stops working; `null`: never.")
    created_at: datetime
    last_used_at: datetime | None = Field(description="Accurate to about a minute.")
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    secret: str = Field(
        description="The key itself. Shown only in this response: store it now.",
        examples=["gw_test_4eC39HqLyjWDarjtT1zdp7dcAbC123"],
    )
