from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from gateway.retention.policy import ACCOUNT_KINDS, HasRetention, RetentionPolicy, own_days

# The settings' bound: a hundred years is "forever" for any purpose, and keeps the
# interval arithmetic of the purge far from overflowing.
MAX_DAYS = 36_500


class Retention(BaseModel):
    """How long the account's records are kept before the purge deletes them: what the
    account chose, else the operator's default, within the operator's maximum."""

    messages_days: int | None = Field(
        description="Days a finished message (sent, delivered, read, failed, cancelled, "
        "received) is kept after it was created; `null`: forever. Queued, sending and "
        "scheduled messages are never deleted.",
        examples=[90],
    )
    events_days: int | None = Field(
        description="Days an event is kept (`/v1/events`, replays); `null`: forever. Deleting "
        "an event deletes its webhook deliveries; one with a delivery pending is kept.",
        examples=[30],
    )
    webhook_deliveries_days: int | None = Field(
        description="Days a finished webhook delivery and its attempts are kept; `null`: "
        "forever. Pending deliveries are never deleted.",
        examples=[30],
    )
    maximum_days: int | None = Field(
        description="The longest the operator allows for any of them; `null`: no maximum.",
        examples=[None],
    )


def present_retention(account: HasRetention, policy: RetentionPolicy) -> Retention:
    return Retention(
        **{f"{k}_days": policy.effective(k, own_days(account, k)) for k in ACCOUNT_KINDS},
        maximum_days=policy.max_days,
    )


_SET = " `null`: back to the operator's default."


class RetentionUpdate(BaseModel):
    """Days to keep each kind of record; omitted kinds keep their setting."""

    model_config = ConfigDict(extra="forbid")

    messages_days: int | None = Field(
        default=None, ge=1, le=MAX_DAYS, description="Days finished messages are kept." + _SET
    )
    events_days: int | None = Field(
        default=None, ge=1, le=MAX_DAYS, description="Days events are kept." + _SET
    )
    webhook_deliveries_days: int | None = Field(
        default=None,
        ge=1,
        le=MAX_DAYS,
        description="Days finished webhook deliveries are kept." + _SET,
    )
