"""Usage counters in Redis: live messages per account and billing period, test-mode
messages per account and day.

A billing period is a calendar month in UTC (``2026-12``). The counter of a period is a
hash ``gateway:usage:{account_id}:{YYYY-MM}:messages`` with two fields: ``n``, the live
outbound messages accepted (reserved before the row is stored, given back if it is not),
and ``at``, when the last one was reserved (what reconciliation needs to know whether a
send may still be in flight). It expires 35 days after its period ends.

Only live messages count against the plan: the messages of sessions whose engine reaches
real WhatsApp users (``livemode``, as events say it). Sandbox sends, which are all that
test-mode keys can make, are free; they are bounded by ``test_messages_per_day`` per
account and UTC day, in a counter of their own that is never reconciled (a lost one only
restarts a day's allowance).

The counters are a cache of what PostgreSQL holds: ``usage_tasks.reconcile_usage`` rebuilds
them from the message rows, and the rows are what overage is billed from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

KEY_PREFIX = "gateway:usage"
# How long a counter outlives its period: the previous period stays readable.
COUNTER_TTL_AFTER_PERIOD = timedelta(days=35)


@dataclass(frozen=True, slots=True)
class Period:
    """A billing period: a calendar month in UTC."""

    start: datetime
    end: datetime

    @property
    def name(self) -> str:
        return f"{self.start.year:04d}-{self.start.month:02d}"

    def previous(self) -> Period:
        return period_of(self.start - timedelta(days=1))


def period_of(at: datetime) -> Period:
    at = at.astimezone(UTC)
    start = datetime(at.year, at.month, 1, tzinfo=UTC)
    end = datetime(at.year + at.month // 12, at.month % 12 + 1, 1, tzinfo=UTC)
    return Period(start, end)


def parse_period(name: str) -> Period:
    """The period named ``YYYY-MM``; ``ValueError`` for anything else."""
    return period_of(datetime.strptime(name, "%Y-%m").replace(tzinfo=UTC))


def messages_key(account_id: str, period: Period) -> str:
    return f"{KEY_PREFIX}:{account_id}:{period.name}:messages"


def test_messages_key(account_id: str, day: datetime) -> str:
    return f"{KEY_PREFIX}:{account_id}:{day.astimezone(UTC):%Y-%m-%d}:test_messages"


def next_day(at: datetime) -> datetime:
    at = at.astimezone(UTC)
    return datetime(at.year, at.month, at.day, tzinfo=UTC) + timedelta(days=1)


def expires_at(period_end: datetime) -> int:
    return int((period_end + COUNTER_TTL_AFTER_PERIOD).timestamp())


class Script:
    """A Lua script run by its digest, loaded again when Redis lost it (a restart)."""

    def __init__(self, source: str) -> None:
        self.source = source.encode()
        self.sha = hashlib.sha1(self.source).hexdigest()  # noqa: S324 - how Redis names scripts

    async def __call__(self, redis: Redis, keys: list[str], args: list[int | str]) -> Any:
        values = [*keys, *(str(a) for a in args)]
        try:
            return await redis.evalsha(self.sha, len(keys), *values)  # type: ignore[misc]
        except NoScriptError:
            return await redis.eval(self.source.decode(), len(keys), *values)  # type: ignore[misc]


# The rate limit's window and the usage counter, in one round trip.
# KEYS: rate-limit window, usage counter.
# ARGV: window seconds, requests the window allows, messages allowed (-1: unlimited),
#       1 if sends go on past them (overage), the counter's expiry (unix), now (unix).
# Returns {requests in the window, messages counted, 1 if this send was counted}. A request
# over the rate limit counts nothing; a send past the allowance without overage is given
# back at once, so a refused send is never counted.
ADMIT_SEND = Script(
    """
local requests = redis.call('INCRBY', KEYS[1], 1)
if requests == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if requests > tonumber(ARGV[2]) then
  return {requests, tonumber(redis.call('HGET', KEYS[2], 'n') or '0'), 0}
end
local n = redis.call('HINCRBY', KEYS[2], 'n', 1)
local allowed = tonumber(ARGV[3])
if allowed >= 0 and n > allowed and ARGV[4] == '0' then
  n = redis.call('HINCRBY', KEYS[2], 'n', -1)
  return {requests, n, 0}
end
redis.call('HSET', KEYS[2], 'at', ARGV[6])
redis.call('EXPIREAT', KEYS[2], ARGV[5])
return {requests, n, 1}
"""
)

# Set a period's counter from the rows (KEYS: the counter; ARGV: messages counted, when
# the count's snapshot was taken (unix), settle seconds, expiry (unix)). Raised to the
# count when below it (increments lost with Redis); lowered to it only when no send was
# reserved in the settle time before the snapshot, so that every reservation it holds
# has been stored or given back by then and the count is exact. A counter above the count
# with recent sends is left alone: those sends are in flight, not counted twice.
RECONCILE = Script(
    """
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '-1')
local at = tonumber(redis.call('HGET', KEYS[1], 'at') or '0')
local counted = tonumber(ARGV[1])
if n < counted or (n > counted and at < tonumber(ARGV[2]) - tonumber(ARGV[3])) then
  redis.call('HSET', KEYS[1], 'n', counted)
  redis.call('EXPIREAT', KEYS[1], ARGV[4])
  return counted
end
return n
"""
)


async def give_back(redis: Redis, key: str) -> None:
    """Undo one reservation (the send was refused or not stored)."""
    await redis.hincrby(key, "n", -1)  # type: ignore[misc]


async def read_messages(redis: Redis, account_id: str, period: Period) -> int | None:
    """The counter's value; ``None`` when Redis has none (lost, or nothing sent yet)."""
    raw = await redis.hget(messages_key(account_id, period), "n")  # type: ignore[misc]
    return None if raw is None else int(raw)
