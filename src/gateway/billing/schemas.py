from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gateway.api_keys.schemas import RATE_LIMIT_DESCRIPTION

UNLIMITED = " `null`: unlimited."
# The columns' ranges (INTEGER, BIGINT): a larger limit is a 422 naming it, not a failed insert.
INT4_MAX = 2**31 - 1
INT8_MAX = 2**63 - 1


class PlanOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(examples=["plan_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    object: Literal["plan"] = "plan"
    name: str = Field(examples=["Free"])
    stripe_price_id: str | None = Field(
        description="The Stripe price of the subscription; `null` for a free plan.",
        examples=["price_1QabcDEFghiJKLmn"],
    )
    stripe_overage_price_id: str | None = Field(
        description="The metered Stripe price that messages past the included ones are billed at."
    )
    rate_limit: str | None = Field(
        description=RATE_LIMIT_DESCRIPTION + " For keys without a limit of their own."
    )
    messages_per_month: int | None = Field(description="Messages included per month." + UNLIMITED)
    overage_allowed: bool = Field(
        description="Whether sends past the included messages go on, billed as overage."
    )
    sessions: int | None = Field(
        description="Sessions on real engines (sandbox ones do not count)." + UNLIMITED
    )
    webhook_endpoints: int | None = Field(description="Webhook endpoints." + UNLIMITED)
    api_keys: int | None = Field(
        description="Unrevoked live-mode keys (test-mode ones do not count)." + UNLIMITED
    )
    media_storage_bytes: int | None = Field(description="Stored media, in bytes." + UNLIMITED)
    is_default: bool = Field(description="The plan new accounts get; exactly one plan is.")
    created_at: datetime


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    stripe_price_id: str | None = Field(default=None, max_length=255)
    stripe_overage_price_id: str | None = Field(default=None, max_length=255)
    rate_limit: str | None = Field(default=None, max_length=64, description=RATE_LIMIT_DESCRIPTION)
    messages_per_month: int | None = Field(
        default=None, ge=0, le=INT8_MAX, description="Omitted: unlimited."
    )
    overage_allowed: bool = False
    sessions: int | None = Field(default=None, ge=0, le=INT4_MAX, description="Omitted: unlimited.")
    webhook_endpoints: int | None = Field(
        default=None, ge=0, le=INT4_MAX, description="Omitted: unlimited."
    )
    api_keys: int | None = Field(default=None, ge=0, le=INT4_MAX, description="Omitted: unlimited.")
    media_storage_bytes: int | None = Field(
        default=None, ge=0, le=INT8_MAX, description="Omitted: unlimited."
    )
    is_default: bool = Field(
        default=False, description="Make it the default (the previous default no longer is)."
    )


class PlanUpdate(BaseModel):
    """Only the fields sent change; `null` makes a limit unlimited."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100)
    stripe_price_id: str | None = Field(default=None, max_length=255)
    stripe_overage_price_id: str | None = Field(default=None, max_length=255)
    rate_limit: str | None = Field(default=None, max_length=64, description=RATE_LIMIT_DESCRIPTION)
    messages_per_month: int | None = Field(default=None, ge=0, le=INT8_MAX)
    overage_allowed: bool | None = None
    sessions: int | None = Field(default=None, ge=0, le=INT4_MAX)
    webhook_endpoints: int | None = Field(default=None, ge=0, le=INT4_MAX)
    api_keys: int | None = Field(default=None, ge=0, le=INT4_MAX)
    media_storage_bytes: int | None = Field(default=None, ge=0, le=INT8_MAX)
    is_default: bool | None = Field(
        default=None,
        description="`true` makes it the default; the default cannot be unset, only replaced.",
    )


class PlanDeleted(BaseModel):
    id: str
    object: Literal["plan"] = "plan"
    deleted: Literal[True] = True
