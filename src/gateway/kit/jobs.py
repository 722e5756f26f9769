"""The job wrapper: one transaction per job, after-commit pushes, like a request."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit import actor
from gateway.kit.aftercommit import discard_after_commit, run_after_commit

P = ParamSpec("P")
R = TypeVar("R")
JobContext = dict[str, Any]


def transactional_job(
    fn: Callable[Concatenate[JobContext, AsyncSession, P], Awaitable[R]],
) -> Callable[Concatenate[JobContext, P], Coroutine[Any, Any, R]]:
    """Give the job a database session; commit when it returns, roll back when it raises,
    and push the jobs it enqueued only after the commit."""

    @functools.wraps(fn)
    async def job(ctx: JobContext, /, *args: P.args, **kwargs: P.kwargs) -> R:
        async with ctx["sessionmaker"]() as db:
            # What a job changes is audited as the gateway's own doing, named by the job.
            actor.bind(db, actor.system(fn.__name__))
            try:
                result = await fn(ctx, db, *args, **kwargs)
                await db.commit()
            except BaseException:
                await db.rollback()
                discard_after_commit(db)
                raise
            await run_after_commit(db, ctx["redis"])
            return result

    return job
