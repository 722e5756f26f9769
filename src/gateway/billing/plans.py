"""Plans: what an account may do. The operator manages them (``/admin/plans``); every
account is on exactly one, and exactly one plan is the default new accounts get.

``limits_for`` answers an account's limits from a per-process cache, so a check on a hot
path (the message quota, the rate limit) costs no PostgreSQL round trip. The cache rides
the key cache's invalidation channel: an account's change (its plan among them) is
already published there as ``account:<id>``, and a plan's edit adds ``plan:<id>``, so
every API process drops what changed at once.

The count limits (sessions, webhook endpoints, API keys) are checked where the object is
created, in its transaction: ``ensure_room_for_*`` takes a per-account lock and then reads
the plan and the count in one statement, so two concurrent creates at the limit cannot
both pass, and a plan changed a moment ago is already the one that applies. A downgrade
deletes nothing: objects over the new limit keep working, only creating more is refused.

Test mode is free and bounded by the operator rather than the plan: sandbox sessions and
test-mode keys do not count against the plan's ``sessions`` and ``api_keys`` (a developer
on the Free plan can still build against the sandbox), but there may be at most
``test_mode_sessions`` and ``test_mode_api_keys`` of them. Webhook endpoints have no mode
(each receives the account's events), so all of them count.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.audit import service as audit
from gateway.auth.cache import CHANNEL as INVALIDATIONS
from gateway.auth.cache import NEGATIVE_MAX_AGE
from gateway.billing import plans_repository as repository
from gateway.billing.limits import PlanLimits
from gateway.billing.schemas import PlanCreate, PlanUpdate
from gateway.config import Settings
from gateway.kit.aftercommit import publish_after_commit
from gateway.kit.cache import InvalidatedCache
from gateway.kit.errors import Conflict, ErrorEnvelope, GatewayError, NotFound
from gateway.kit.ids import new_id
from gateway.kit.pagination import Page
from gateway.models import Plan
from gateway.ratelimit.service import validate_rate_limit

if TYPE_CHECKING:
    from gateway.kit.state import AppState

__all__ = [
    "PLAN_LIMIT_RESPONSES",
    "PlanCache",
    "PlanLimitReached",
    "PlanLimits",
    "limits_for",
    "plan_cache",
]


class PlanLimitReached(GatewayError):
    status_code = 402
    code = "plan_limit_reached"


class PlanNameTaken(Conflict):
    code = "plan_name_taken"


class PlanInUse(Conflict):
    code = "plan_in_use"


class DefaultPlanRequired(Conflict):
    code = "default_plan_required"


# Declared on the operations that create counted objects.
PLAN_LIMIT_RESPONSES: dict[int | str, dict[str, Any]] = {
    402: {
        "model": ErrorEnvelope,
        "description": "The account's plan allows no more of these (`plan_limit_reached`; "
        "`param` names the limit).",
    }
}

# The plan a database without any gets as its default (the migration seeds the same one):
# every account must be on a plan, so creating an account never fails for want of one.
BUILT_IN_DEFAULT: dict[str, Any] = {
    "name": "Free",
    "stripe_price_id": None,
    "stripe_overage_price_id": None,
    "rate_limit": "10/second",
    "messages_per_month": 1_000,
    "overage_allowed": False,
    "sessions": 1,
    "webhook_endpoints": 2,
    "api_keys": 3,
    "media_storage_bytes": 100 * 1024 * 1024,
}

# How each count limit is named in messages: (singular, plural).
_NOUNS = {
    "sessions": ("session", "sessions"),
    "webhook_endpoints": ("webhook endpoint", "webhook endpoints"),
    "api_keys": ("live API key", "live API keys"),
}
_TEST_MODE_NOUNS = {
    "sessions": ("sandbox session", "sandbox sessions", "delete one"),
    "api_keys": ("test-mode API key", "test-mode API keys", "revoke one"),
}


# --- the limits cache -------------------------------------------------------------------


def _names(kind: str, ident: str, account_id: str, limits: PlanLimits | None) -> bool:
    if kind == "account":
        return account_id == ident
    if kind == "plan":
        return limits is not None and limits.plan_id == ident
    return False  # "key:<id>": a key's change leaves its account's plan as it was


class PlanCache(InvalidatedCache[str, PlanLimits]):
    """Plan limits by account id, on the key cache's invalidation channel: dropped by
    ``account:<id>`` (the account changed plan), ``plan:<id>`` (the plan was edited) or
    ``*``."""

    def __init__(self, *, max_age: float, max_entries: int = 50_000) -> None:
        super().__init__(
            INVALIDATIONS,
            max_age=max_age,
            negative_max_age=NEGATIVE_MAX_AGE,
            max_entries=max_entries,
            matches=_names,
        )


def plan_cache(state: AppState) -> PlanCache:
    """The process's plan cache (one of the caches the app keeps by invalidations)."""
    for cache in state.caches:
        if isinstance(cache, PlanCache):
            return cache
    raise LookupError("the app keeps no PlanCache")


async def limits_for(
    account_id: str, *, reads: async_sessionmaker[AsyncSession], cache: PlanCache
) -> PlanLimits:
    """The limits of the account's plan; no query while they are cached. ``reads`` is the
    app's autocommit sessionmaker (``AppState.autocommit_sessionmaker``), ``cache`` its
    ``plan_cache(state)``. An unknown account is ``NotFound``."""
    found, limits = cache.get(account_id)
    if not found:
        generation = cache.generation
        async with reads() as db:
            limits = await repository.limits_of_account(db, account_id)
        cache.put(account_id, limits, generation)
    if limits is None:
        raise NotFound("account", account_id)
    return limits


def invalidate_plan_after_commit(db: AsyncSession, plan_id: str) -> None:
    publish_after_commit(db, INVALIDATIONS, f"plan:{plan_id}")


# --- count limits -----------------------------------------------------------------------


async def _ensure_room(
    db: AsyncSession, account_id: str, limit: str, *, test_mode_bound: int | None = None
) -> None:
    await repository.lock_account_counts(db, account_id)
    found = await repository.count_with_limit(
        db, account_id, limit, test_mode=test_mode_bound is not None
    )
    if found is None:
        raise NotFound("account", account_id)
    plan_name, allowed, existing = found
    if test_mode_bound is not None:
        if existing >= test_mode_bound:
            one, many, remedy = _TEST_MODE_NOUNS[limit]
            raise PlanLimitReached(
                f"Test mode allows {_amount(test_mode_bound, one, many)} per account; "
                f"{remedy} to create another.",
                param=limit,
            )
        return
    if allowed is not None and existing >= allowed:
        one, many = _NOUNS[limit]
        more = "more" if allowed else "one"
        raise PlanLimitReached(
            f"The {plan_name} plan allows {_amount(allowed, one, many)}; upgrade to create {more}.",
            param=limit,
        )


def _amount(count: int, one: str, many: str) -> str:
    if count == 0:
        return f"no {many}"
    return f"{count} {one if count == 1 else many}"


async def ensure_room_for_session(
    db: AsyncSession, settings: Settings, account_id: str, *, engine: str
) -> None:
    """402 unless the account may have one more session on ``engine`` (sandbox sessions
    are bounded by ``test_mode_sessions`` instead of the plan). Holds the account's count
    lock until the transaction ends."""
    bound = settings.test_mode_sessions if engine == "sandbox" else None
    await _ensure_room(db, account_id, "sessions", test_mode_bound=bound)


async def ensure_room_for_webhook_endpoint(db: AsyncSession, account_id: str) -> None:
    """402 unless the account's plan allows one more webhook endpoint."""
    await _ensure_room(db, account_id, "webhook_endpoints")


async def ensure_room_for_api_key(
    db: AsyncSession, settings: Settings, account_id: str, *, mode: str
) -> None:
    """402 unless the account may have one more unrevoked key in ``mode`` (test-mode keys
    are bounded by ``test_mode_api_keys`` instead of the plan)."""
    bound = settings.test_mode_api_keys if mode == "test" else None
    await _ensure_room(db, account_id, "api_keys", test_mode_bound=bound)


# --- the admin's plans ------------------------------------------------------------------


async def default_plan_id(db: AsyncSession) -> str:
    """The plan new accounts get. A database without one (emptied by hand) gets the
    built-in Free plan back as its default."""
    plan = await repository.default_plan(db)
    if plan is None:
        await repository.insert_default_unless_any(db, {"id": new_id("plan"), **BUILT_IN_DEFAULT})
        plan = await repository.default_plan(db)
        assert plan is not None  # inserted, or a concurrent insert won
    return plan.id


async def get_plan(db: AsyncSession, plan_id: str, *, param: str = "id") -> Plan:
    plan = await repository.get(db, plan_id)
    if plan is None:
        raise NotFound("plan", plan_id, param=param)
    return plan


async def list_plans(db: AsyncSession, page: Page) -> Sequence[Plan]:
    return await repository.list_page(db, page)


async def create_plan(db: AsyncSession, body: PlanCreate) -> Plan:
    if await repository.name_taken(db, body.name):
        raise PlanNameTaken(f"A plan named '{body.name}' already exists.", param="name")
    values = body.model_dump()
    values["rate_limit"] = validate_rate_limit(body.rate_limit, "rate_limit")
    plan = Plan(id=new_id("plan"), **values)
    if plan.is_default:
        await repository.clear_default(db, besides=plan.id)
    db.add(plan)
    await _flush_unless_name_taken(db, body.name)
    audit.record(db, "plan.created", "plan", plan.id, changes=body.model_dump(mode="json"))
    return plan


async def update_plan(db: AsyncSession, plan_id: str, changes: PlanUpdate) -> Plan:
    plan = await repository.get(db, plan_id, lock=True)
    if plan is None:
        raise NotFound("plan", plan_id)
    fields = sorted(PlanUpdate.model_fields)
    before = audit.fields_of(plan, fields)
    if changes.name is not None and changes.name != plan.name:
        if await repository.name_taken(db, changes.name, besides=plan.id):
            raise PlanNameTaken(f"A plan named '{changes.name}' already exists.", param="name")
        plan.name = changes.name
    for field in changes.model_fields_set - {"name", "is_default"}:
        value = getattr(changes, field)
        if field == "rate_limit":
            value = validate_rate_limit(value, "rate_limit")
        elif field == "overage_allowed" and value is None:
            continue
        setattr(plan, field, value)
    if changes.is_default is True and not plan.is_default:
        await repository.clear_default(db, besides=plan.id)
        plan.is_default = True
    elif changes.is_default is False and plan.is_default:
        raise DefaultPlanRequired(
            "One plan is always the default: make another plan the default instead.",
            param="is_default",
        )
    invalidate_plan_after_commit(db, plan.id)
    await _flush_unless_name_taken(db, plan.name)
    audit.record(db, "plan.updated", "plan", plan.id,
                 changes=audit.diff(before, audit.fields_of(plan, fields)))  # fmt: skip
    return plan


async def delete_plan(db: AsyncSession, plan_id: str) -> str:
    plan = await repository.get(db, plan_id, lock=True)
    if plan is None:
        raise NotFound("plan", plan_id)
    if plan.is_default:
        raise DefaultPlanRequired(
            "The default plan cannot be deleted: make another plan the default first."
        )
    if await repository.has_accounts(db, plan.id):
        raise PlanInUse("Accounts are on this plan: move them to another plan first.")
    try:
        await repository.delete(db, plan)
    except IntegrityError:  # an account moved onto it meanwhile
        raise PlanInUse("Accounts are on this plan: move them to another plan first.") from None
    audit.record(db, "plan.deleted", "plan", plan_id, changes={"name": plan.name})
    return plan_id


async def _flush_unless_name_taken(db: AsyncSession, name: str) -> None:
    try:
        await db.flush()
    except IntegrityError as exc:  # a concurrent create or rename took the name
        if "uq_plans_name" in str(exc.orig):
            raise PlanNameTaken(f"A plan named '{name}' already exists.", param="name") from None
        if "uq_plans_is_default" in str(exc.orig):
            raise Conflict(
                "Another plan was made the default at the same time; retry.",
                param="is_default",
            ) from None
        raise
