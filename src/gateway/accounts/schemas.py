from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from gateway.api_keys.schemas import RATE_LIMIT_DESCRIPTION, ApiKeyCreated
from gateway.auth.keys import KeyMode
from gateway.auth.principal import AccountSnapshot
from gateway.models import Account
from gateway.retention.policy import RetentionPolicy
from gateway.retention.schemas import Retention, RetentionUpdate, present_retention


class AccountOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(examples=["acct_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    object: Literal["account"] = "account"
    name: str
    email: str | None
    default_rate_limit: str | None = Field(description=RATE_LIMIT_DESCRIPTION)
    created_at: datetime
    retention: Retention


class AdminAccountOut(AccountOut):
    """The account as the operator sees it: with its plan."""

    plan_id: str = Field(examples=["plan_01JA2B3C4D5E6F7G8H9J0KMNPQ"])


Shown = TypeVar("Shown", bound=AccountOut)


def present_account(
    account: Account | AccountSnapshot, policy: RetentionPolicy, model: type[Shown]
) -> Shown:
    """``account`` as ``model`` shows it, its retention worked out under ``policy``."""
    fields = {
        name: getattr(account, name)
        for name in model.model_fields
        if name not in {"object", "retention"}
    }
    return model.model_validate({**fields, "retention": present_retention(account, policy)})


@lru_cache(maxsize=16_384)
def rendered_account(account: AccountSnapshot, policy: RetentionPolicy) -> bytes:
    """The account object as JSON, rendered once per version of the cached account (a
    changed account is a new snapshot, so it is rendered anew)."""
    return present_account(account, policy, AccountOut).model_dump_json().encode()


class FirstKey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="Default key", min_length=1, max_length=200)
    mode: KeyMode = KeyMode.test


class AccountCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    email: EmailStr | None = None
    default_rate_limit: str | None = Field(
        default=None, max_length=64, description=RATE_LIMIT_DESCRIPTION
    )
    api_key: FirstKey = Field(default_factory=FirstKey, description="The account's first key.")
    plan_id: str | None = Field(
        default=None, max_length=64, description="The account's plan; omitted: the default plan."
    )


class AccountUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: EmailStr | None = None
    default_rate_limit: str | None = Field(
        default=None, max_length=64, description=RATE_LIMIT_DESCRIPTION + " `null` clears it."
    )
    plan_id: str | None = Field(
        default=None,
        max_length=64,
        description="Move the account to this plan; it applies at once. A lower plan deletes "
        "nothing: what is over its limits keeps working, only creating more is refused.",
    )
    retention: RetentionUpdate | None = Field(
        default=None, description="Change how long the account's records are kept."
    )


class AccountSelfUpdate(BaseModel):
    """What an account may change about itself."""

    model_config = ConfigDict(extra="forbid")

    retention: RetentionUpdate | None = Field(
        default=None,
        description="Change how long the account's records are kept: shorter than the "
        "operator's default, or longer up to `retention.maximum_days`.",
    )


class AccountCreated(AdminAccountOut):
    api_key: ApiKeyCreated = Field(description="The first key, with its secret shown only here.")
