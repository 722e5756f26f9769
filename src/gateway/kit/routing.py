"""The route class every API router uses: it owns the request's transaction.

Commit before the response is sent (a client that got 201 can read what it created),
roll back on any error, store the idempotent outcome inside the same transaction, and push
jobs only after the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from gateway.kit import idempotency
from gateway.kit.aftercommit import discard_after_commit, run_after_commit
from gateway.kit.errors import GatewayError
from gateway.kit.handlers import render_error, render_validation_error
from gateway.kit.state import app_state

_READS = frozenset({"GET", "HEAD"})


class TransactionalRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint = super().get_route_handler()

        async def handle(request: Request) -> Response:
            state = app_state(request)
            async with state.sessionmaker() as db:
                request.state.db = db
                request.state.idempotency = None
                if request.method in _READS:
                    # Reads change nothing: no BEGIN/COMMIT round trips around them.
                    await db.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
                try:
                    response = await endpoint(request)
                except idempotency.IdempotentReplay as replay:
                    await db.rollback()
                    return replay.response
                except BaseException as exc:
                    await db.rollback()
                    discard_after_commit(db)
                    await _record_client_error(request, db, exc)
                    raise
                if response.status_code >= 500:
                    await db.rollback()
                    discard_after_commit(db)
                    return response
                ctx: idempotency.IdempotentRequest | None = request.state.idempotency
                if ctx is not None and idempotency.storable(response):
                    await idempotency.store(
                        db,
                        ctx,
                        response,
                        ttl=state.settings.idempotency_ttl_seconds,
                        secret=state.settings.secret,
                    )
                await db.commit()
                await run_after_commit(db, state.redis, state.key_cache.on_publish)
                return response

        return handle


async def _record_client_error(request: Request, db: AsyncSession, exc: BaseException) -> None:
    ctx: idempotency.IdempotentRequest | None = getattr(request.state, "idempotency", None)
    if ctx is None:
        return
    if isinstance(exc, GatewayError) and exc.status_code < 500:
        response = render_error(request, exc)
    elif isinstance(exc, RequestValidationError):
        response = render_validation_error(request, exc)
    else:
        return
    settings = app_state(request).settings
    await idempotency.store_error(
        db, ctx, response, ttl=settings.idempotency_ttl_seconds, secret=settings.secret
    )
    await db.commit()


async def get_db(request: Request) -> AsyncSession:
    """The request's database session; its transaction is committed by the route class.
    (``async`` so FastAPI calls it inline instead of in a worker thread.)"""
    db: AsyncSession = request.state.db
    return db


DbSession = Annotated[AsyncSession, Depends(get_db)]
