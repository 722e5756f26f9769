"""The monthly message quota on the send path, in the rate limiter's round trip.

A send is admitted by one Lua script that counts the request against its key's rate limit
and reserves the message in the account's usage counter (``usage_counters``): no
PostgreSQL and no Redis round trip more than the rate limit already made. The plan's
limits come from the in-process plan cache. A reservation that does not end in a stored
message (the send is refused, replayed or fails) is given back, so the counter holds what
was accepted; whatever a crash leaves behind, reconciliation settles from the rows.

Past the included messages: without overage the send is refused (402 ``quota_exceeded``,
with the period's reset time and a ``Retry-After``); with overage it goes on, and the
messages past the included amount are overage, billed from the rows (``usage``).
Reaching 80 % and 100 % of the included messages queues a ``billing.quota.warning`` with
the send's own jobs (the same push), published once per period by ``usage_tasks``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.types import Scope

from gateway.auth.principal import Principal
from gateway.billing import usage_counters as counters
from gateway.billing.limits import PlanLimits
from gateway.billing.plans import limits_for, plan_cache
from gateway.kit.aftercommit import pending_job
from gateway.kit.errors import GatewayError, RateLimited
from gateway.kit.middleware import response_headers
from gateway.kit.queue import PendingJob
from gateway.kit.state import AppState
from gateway.ratelimit.service import RateLimiter, RateWindow

log = structlog.get_logger(__name__)

WARNING_THRESHOLDS = (80, 100)  # percent of the included messages
PUBLISH_QUOTA_WARNING = "publish_quota_warning"

PlanLookup = Callable[[str], Awaitable[PlanLimits]]


class QuotaExceeded(GatewayError):
    status_code = 402
    code = "quota_exceeded"


def warning_thresholds(included: int) -> dict[int, int]:
    """The message counts at which each warning is due: {count: percent}."""
    return {math.ceil(included * percent / 100): percent for percent in WARNING_THRESHOLDS}


@dataclass(frozen=True, slots=True)
class Reservation:
    """A message counted before its row is stored; given back if it never is."""

    redis: Redis
    key: str
    account_id: str
    period: counters.Period | None  # None for a test-mode send
    warnings: tuple[int, ...]  # the thresholds this send reached

    async def give_back(self) -> None:
        try:
            await counters.give_back(self.redis, self.key)
        except (RedisError, OSError) as exc:
            # Counted once too often until reconciliation settles the counter.
            log.warning("usage.give_back_failed", account_id=self.account_id, error=str(exc))

    def warning_jobs(self) -> list[PendingJob]:
        if self.period is None:
            return []
        name = self.period.name
        return [
            pending_job(
                PUBLISH_QUOTA_WARNING,
                self.account_id,
                name,
                percent,
                job_id=f"quota-warning:{self.account_id}:{name}:{percent}",
            )
            for percent in self.warnings
        ]


@dataclass(frozen=True)
class SendQuota:
    """What admitting a send needs: the limiter, the response's headers to fill, the
    caller, its plan, and the test-mode bound."""

    limiter: RateLimiter
    redis: Redis
    headers: MutableMapping[str, str]
    caller: Principal
    plan: PlanLookup
    test_messages_per_day: int

    async def rate_limit_only(self) -> None:
        """Count a request that never reached the quota (it was refused before)."""
        limit = await self.limiter.hit(f"key:{self.caller.key_id}", self.caller.rate_limit)
        if limit is not None:
            self.headers.update(limit.headers())

    async def admit(self, livemode: bool) -> Reservation | None:
        """Count the request and reserve the message, or raise ``RateLimited`` /
        ``QuotaExceeded``. ``None`` when Redis cannot be reached: the send goes on, uncounted
        until reconciliation (availability beats strictness, as for the rate limit)."""
        caller = self.caller
        window = self.limiter.window(f"key:{caller.key_id}", caller.rate_limit)
        now = datetime.now(UTC)
        if livemode:
            limits = await self.plan(caller.account_id)
            period = counters.period_of(now)
            key = counters.messages_key(caller.account_id, period)
            allowed, overage, resets = limits.messages_per_month, limits.overage_allowed, period.end
        else:
            limits, period = None, None
            key = counters.test_messages_key(caller.account_id, now)
            allowed, overage, resets = self.test_messages_per_day, False, counters.next_day(now)
        try:
            answer = await counters.ADMIT_SEND(
                self.redis,
                [window.key, key],
                [
                    window.window_seconds,
                    window.limit,
                    -1 if allowed is None else allowed,
                    int(overage),
                    counters.expires_at(resets),
                    int(time.time()),
                ],
            )
        except (RedisError, OSError) as exc:
            log.warning("usage.unavailable", account_id=caller.account_id, error=str(exc))
            return None
        requests, counted, reserved = (int(value) for value in answer)
        state = window.state(requests)
        self.headers.update(state.headers())
        if not state.allowed:
            raise _rate_limited(caller, window, state.reset_in())
        if not reserved:
            raise _quota_exceeded(limits, allowed or 0, resets)
        reached: tuple[int, ...] = ()
        if period is not None and allowed:
            percent = warning_thresholds(allowed).get(counted)
            reached = () if percent is None else (percent,)
        return Reservation(self.redis, key, caller.account_id, period, reached)


def _rate_limited(caller: Principal, window: RateWindow, reset_in: int) -> RateLimited:
    # The rate limiter's own words (auth/dependencies.py), for the same refusal.
    return RateLimited(
        f"Too many requests for this API key (limit {caller.rate_limit}); retry in {reset_in} s.",
        headers={"Retry-After": str(reset_in)},
    )


def _quota_exceeded(limits: PlanLimits | None, allowed: int, resets: datetime) -> QuotaExceeded:
    retry_after = max(1, math.ceil(resets.timestamp() - time.time()))
    at = resets.strftime("%Y-%m-%dT%H:%M:%SZ")
    # ``param`` names the limit, as ``plan_limit_reached`` does.
    if limits is None:
        param = "test_mode_messages_per_day"
        message = (
            f"Test mode allows {allowed} messages a day on sandbox sessions; "
            f"the allowance resets at {at}."
        )
    else:
        param = "messages_per_month"
        message = (
            f"The {limits.plan_name} plan includes {allowed} messages a month and does not "
            f"allow overage; the quota resets at {at}. Upgrade the plan to send more."
        )
    return QuotaExceeded(message, param=param, headers={"Retry-After": str(retry_after)})


def send_quota(state: AppState, scope: Scope, caller: Principal) -> SendQuota:
    """The request's ``SendQuota``, over the process's limiter, Redis and plan cache."""
    reads, cache = state.autocommit_sessionmaker, plan_cache(state)

    async def plan(account_id: str) -> PlanLimits:
        return await limits_for(account_id, reads=reads, cache=cache)

    return SendQuota(
        state.rate_limiter,
        state.redis,
        response_headers(scope),
        caller,
        plan,
        state.settings.test_mode_messages_per_day,
    )
