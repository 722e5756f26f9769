"""Retention: what an account keeps, and the purge that deletes the rest.

The operator sets defaults and may cap them (``GATEWAY_RETENTION_*``); an account may
choose its own days for messages, events and webhook deliveries, shorter or, up to the
operator's maximum, longer. The purge (``retention/tasks.py``) applies them in batches.
"""

from __future__ import annotations

from gateway.kit.errors import InvalidRequest
from gateway.models import Account
from gateway.retention.policy import ACCOUNT_KINDS, RetentionPolicy
from gateway.retention.schemas import RetentionUpdate


class RetentionAboveMaximum(InvalidRequest):
    code = "retention_above_maximum"


def apply_retention(
    account: Account, changes: RetentionUpdate, policy: RetentionPolicy, *, param: str
) -> None:
    """Set the days ``changes`` names on ``account`` (``None``: the operator's default),
    each within the operator's maximum. ``param`` is where the object sits in the body."""
    for kind in ACCOUNT_KINDS:
        field = f"{kind}_days"
        if field not in changes.model_fields_set:
            continue
        days: int | None = getattr(changes, field)
        if days is not None and policy.max_days is not None and days > policy.max_days:
            raise RetentionAboveMaximum(
                f"{param}.{field} can be at most {policy.max_days} days on this gateway.",
                param=f"{param}.{field}",
            )
        setattr(account, f"retention_{field}", days)
