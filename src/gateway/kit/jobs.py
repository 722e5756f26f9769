"""The job wrapper: one transaction per job, after-commit pushes, like a request."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
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


@asynccontextmanager
async def job_transaction(ctx: JobContext) -> AsyncIterator[AsyncSession]:
    """One of several units of work in a job (a purge in batches, each batch short):
    committed when the block ends, rolled back when it raises, its after-commit pushes
    flushed only after the commit, as ``transactional_job`` does for a whole job."""
    async with ctx["sessionmaker"]() as db:
        actor.bind(db, actor.system("job"))
        try:
            yield db
            await db.commit()
        except BaseException:
            await db.rollback()
            discard_after_commit(db)
            raise
        await run_after_commit(db, ctx["redis"])
