"""A number's send rate, across every worker: one Redis token bucket per phone number.

Meta meters each number (80 messages/s by default, more once upgraded) and answers
130429 past it; a burst that ignores this only earns retries. Each send reserves the next
slot in one round trip (GCRA: the key holds the theoretical arrival time of the next
message) and sleeps until it; a bucket of one second's worth lets a quiet number send a
short burst at once.
"""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

KEY_PREFIX = "gateway:cloud:rate:"

# KEYS[1] the number's key; ARGV[1] microseconds per message, ARGV[2] burst (messages).
# Returns how many microseconds to wait before sending the reserved message.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2]) * interval
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - now - burst + interval
if wait < 0 then wait = 0 end
tat = tat + interval
redis.call('SET', KEYS[1], tostring(tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
return wait
"""


class SendRate:
    def __init__(self, redis: Redis, phone_number_id: str, per_second: int) -> None:
        self._redis = redis
        self._key = KEY_PREFIX + phone_number_id
        self._interval_us = max(1, 1_000_000 // per_second)
        self._burst = per_second
        self._script = redis.register_script(_RESERVE)

    async def take(self) -> float:
        """Wait for this number's next slot; returns how long it waited (seconds)."""
        wait_us = int(await self._script(keys=[self._key], args=[self._interval_us, self._burst]))
        if wait_us > 0:
            await asyncio.sleep(wait_us / 1_000_000)
        return wait_us / 1_000_000
