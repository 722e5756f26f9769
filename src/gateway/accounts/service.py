"""Accounts: the tenants. Created by the operator (admin API, CLI) or on first start."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.accounts import repository
from gateway.accounts.schemas import AccountSelfUpdate, AccountUpdate
from gateway.api_keys.service import create_key
from gateway.audit import service as audit
from gateway.auth.cache import invalidate_account_after_commit
from gateway.auth.keys import KeyMode
from gateway.auth.principal import Principal
from gateway.billing.plans import default_plan_id, get_plan
from gateway.kit.errors import NotFound, PermissionDenied
from gateway.kit.ids import new_id
from gateway.kit.pagination import Page
from gateway.models import Account, ApiKey
from gateway.ratelimit.service import validate_rate_limit
from gateway.retention.policy import RetentionPolicy
from gateway.retention.service import apply_retention


async def create_account(
    db: AsyncSession,
    *,
    secret: bytes,
    name: str,
    email: str | None = None,
    default_rate_limit: str | None = None,
    key_name: str = "Default key",
    key_mode: KeyMode = KeyMode.test,
    plan_id: str | None = None,
) -> tuple[Account, ApiKey, str]:
    """Create an account with its first key; returns the key itself, shown only once.
    The account is on ``plan_id``, or on the default plan."""
    if plan_id is not None:
        plan_id = (await get_plan(db, plan_id, param="plan_id")).id
    account = await repository.add(
        db,
        Account(
            id=new_id("acct"),
            name=name,
            email=email,
            default_rate_limit=validate_rate_limit(default_rate_limit, "default_rate_limit"),
            plan_id=plan_id or await default_plan_id(db),
        ),
    )
    audit.record(db, "account.created", "account", account.id, changes=audited(account),
                 account_id=account.id)  # fmt: skip
    key, plaintext = await create_key(
        db, account_id=account.id, secret=secret, name=key_name, mode=key_mode
    )
    return account, key, plaintext


AUDITED_FIELDS = (
    "name", "email", "default_rate_limit", "plan_id",
    "retention_messages_days", "retention_events_days", "retention_webhook_deliveries_days",
)  # fmt: skip


def audited(account: Account) -> dict[str, object]:
    return audit.fields_of(account, AUDITED_FIELDS)


async def get_account(db: AsyncSession, account_id: str) -> Account:
    account = await repository.get(db, account_id)
    if account is None:
        raise NotFound("account", account_id)
    return account


async def list_accounts(db: AsyncSession, page: Page) -> Sequence[Account]:
    return await repository.list_page(db, page)


async def update_account(
    db: AsyncSession, account_id: str, changes: AccountUpdate, policy: RetentionPolicy
) -> Account:
    account = await get_account(db, account_id)
    before = audited(account)
    if changes.name is not None:
        account.name = changes.name
    if "email" in changes.model_fields_set:
        account.email = changes.email
    if "default_rate_limit" in changes.model_fields_set:
        account.default_rate_limit = validate_rate_limit(
            changes.default_rate_limit, "default_rate_limit"
        )
    if changes.plan_id is not None:
        # Nothing over the new plan's limits is deleted; only creating more is refused.
        account.plan_id = (await get_plan(db, changes.plan_id, param="plan_id")).id
    if changes.retention is not None:
        apply_retention(account, changes.retention, policy, param="retention")
    # Keys of the account cache the account with them (and their effective limit); the
    # plan cache drops the account's limits on the same message.
    invalidate_account_after_commit(db, account.id)
    await db.flush()
    audit.record(db, "account.updated", "account", account.id,
                 changes=audit.diff(before, audited(account)), account_id=account.id)  # fmt: skip
    return account


async def update_own_account(
    db: AsyncSession, caller: Principal, changes: AccountSelfUpdate, policy: RetentionPolicy
) -> Account:
    """The account's own changes, made with one of its keys (``account: write``)."""
    # What is kept applies to the live data and to every session: a test-mode key, or one
    # restricted to a session, must not decide it.
    if caller.is_test:
        raise PermissionDenied(
            "Only a live-mode key (gw_live_…) can change the account's settings.",
            code="livemode_required",
        )
    if caller.session_id is not None:
        raise PermissionDenied(
            "A key restricted to one session cannot change the account's settings."
        )
    account = await get_account(db, caller.account_id)
    before = audited(account)
    if changes.retention is not None:
        apply_retention(account, changes.retention, policy, param="retention")
    invalidate_account_after_commit(db, account.id)
    await db.flush()
    audit.record(db, "account.updated", "account", account.id,
                 changes=audit.diff(before, audited(account)))  # fmt: skip
    return account


async def has_accounts(db: AsyncSession) -> bool:
    return await repository.any_exist(db)
