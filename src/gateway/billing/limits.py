"""What an account's plan allows: the limits every check reads.

``PlanLimits`` is the plan's limits as the quota checks see them (``None``: unlimited).
``limits_for`` answers an account's, from a short in-process cache so that a check on a
hot path costs no PostgreSQL round trip; a plan change reaches every API process within
the cache's lifetime (see ``plans``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanLimits:
    plan_id: str
    plan_name: str
    rate_limit: str | None  # `limits` notation for keys without their own
    messages_per_month: int | None  # included in the plan
    overage_allowed: bool  # sends past the included messages go on, billed as overage
    sessions: int | None
    webhook_endpoints: int | None
    api_keys: int | None
    media_storage_bytes: int | None
