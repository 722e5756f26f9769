"""Pushing arq jobs in one round trip.

arq's ``enqueue_job`` costs three round trips (WATCH, EXISTS, MULTI/EXEC) per job. Here a
Lua script does the same check-and-set atomically, and every job and publication a
transaction collected goes out in one pipeline: one round trip for all of them. The jobs
are ordinary arq jobs (the same keys, serialisation, score and expiry), so any arq worker
runs them and a deterministic job id still deduplicates concurrent pushes.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

from arq.constants import expires_extra_ms, job_key_prefix, result_key_prefix
from arq.jobs import serialize_job
from redis.asyncio import Redis
from redis.exceptions import NoScriptError, ResponseError

from gateway.kit.channels import scoped

# The queue every worker consumes; engine hosts also consume one of their own each.
QUEUE_NAME = "gateway:queue"

# KEYS: job key, result key, queue; ARGV: job id, score (ms), expiry (ms), serialised job.
_ENQUEUE = b"""
if redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then return 0 end
redis.call('PSETEX', KEYS[1], ARGV[3], ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
return 1
"""
_ENQUEUE_SHA = hashlib.sha1(_ENQUEUE).hexdigest()  # noqa: S324 - how Redis names scripts


@dataclass(frozen=True)
class PendingJob:
    function: str
    args: tuple[Any, ...] = ()
    job_id: str | None = None
    queue_name: str | None = None
    defer_until: datetime | None = None


@dataclass(frozen=True)
class PendingPublish:
    channel: str
    message: str


def _enqueue_args(job: PendingJob, now_ms: int) -> tuple[Any, ...]:
    job_id = job.job_id or uuid4().hex
    score = now_ms if job.defer_until is None else int(job.defer_until.timestamp() * 1000)
    expires_ms = max(score - now_ms, 0) + expires_extra_ms
    payload = serialize_job(job.function, job.args, {}, None, now_ms, serializer=pickle.dumps)
    keys = (job_key_prefix + job_id, result_key_prefix + job_id, job.queue_name or QUEUE_NAME)
    return (_ENQUEUE_SHA, 3, *keys, job_id, score, expires_ms, payload)


async def push(redis: Redis, items: Sequence[PendingJob | PendingPublish]) -> list[Any]:
    """Enqueue the jobs and publish the messages, in order, in one round trip (two more the
    first time after Redis lost its scripts). Returns Redis's answer per item: for a job
    1 if enqueued, 0 if a job with its id is queued or ran recently."""
    results: list[Any] = [None] * len(items)
    todo = list(range(len(items)))
    now_ms = int(time.time() * 1000)
    for attempt in (1, 2):
        # As a context, so a cancelled push still gives its connection back.
        async with redis.pipeline(transaction=False) as pipe:
            for index in todo:
                item = items[index]
                if isinstance(item, PendingJob):
                    pipe.execute_command("EVALSHA", *_enqueue_args(item, now_ms))
                else:
                    pipe.publish(scoped(redis, item.channel), item.message)
            answers = await pipe.execute(raise_on_error=False) if todo else []
        for index, answer in zip(todo, answers, strict=True):
            results[index] = answer
        missing = [i for i, answer in zip(todo, answers, strict=True) if _no_script(answer)]
        if not missing or attempt == 2:
            break
        # Redis restarted (or never saw the script): load it and push only what failed.
        await redis.script_load(_ENQUEUE)
        todo = missing
    for answer in results:
        if isinstance(answer, ResponseError):
            raise answer
    return results


def _no_script(answer: object) -> bool:
    return isinstance(answer, NoScriptError) or (
        isinstance(answer, ResponseError) and str(answer).startswith("NOSCRIPT")
    )
