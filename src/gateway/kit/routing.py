r"""The route class every API router uses: it owns the request's transaction.

Commit before the response is sent (a client that got 201 can read what it created),
roll back on any error, store the idempotent outcome inside the same transaction, and push
jobs only after the commit. Reads run on an autocommit session (no BEGIN/COMMIT round
trips), and the connection is only taken when a statement needs it, so a request served
from caches uses none.

A request that waits on an engine host (``engines/control.call_host``, up to seconds)
``release``\ s its session first: what it read is kept, the connection goes back to the
pool and no transaction (nor row lock) stays open while it waits. What it writes once the
engine answered (its audit entry, a stored result) goes in a fresh transaction on the same
session, which the route commits as usual: still one unit of work for the writes.

A route marked ``@single_statement`` does its work in one statement that is its own
transaction (on the plain asyncpg pool, ``AppState.statements``), claiming its
``Idempotency-Key`` in that statement too: one round trip instead of BEGIN, lock, lookup,
work, record and COMMIT. The jobs of what it committed go on ``request.state.committed``
and are pushed, like any after-commit work, once it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any, TypeVar

from fastapi import Depends
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction
from starlette.requests import Request
from starlette.responses import Response

from gateway.kit import actor, idempotency
from gateway.kit.aftercommit import discard_after_commit, has_pending, run_after_commit
from gateway.kit.errors import GatewayError
from gateway.kit.handlers import render_error, render_validation_error
from gateway.kit.state import app_state

_READS = frozenset({"GET", "HEAD"})
_SINGLE_STATEMENT = "__gateway_single_statement__"

F = TypeVar("F", bound=Callable[..., Any])


def single_statement(endpoint: F) -> F:
    """Mark a route whose writes are one statement that claims its idempotency key."""
    setattr(endpoint, _SINGLE_STATEMENT, True)
    return endpoint


class TransactionalRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint = super().get_route_handler()
        statement_route = bool(getattr(self.endpoint, _SINGLE_STATEMENT, False))

        async def handle(request: Request) -> Response:
            # The session is made when something asks for it (``request_db``): a request
            # answered from caches makes none and takes no connection.
            request.state.db = None
            # Jobs of single statements, committed already: pushed with the session's.
            request.state.committed = []
            request.state.idempotency = None
            request.state.claim_idempotency = not statement_route
            try:
                return await _run(request, endpoint)
            finally:
                db: AsyncSession | None = request.state.db
                if db is not None:
                    await db.close()

        return handle


def request_db(request: Request) -> AsyncSession:
    """The request's database session, made on first use. Reads get an autocommit one
    (no BEGIN/COMMIT round trips around them); writes one transaction, which the route
    class commits."""
    db: AsyncSession | None = request.state.db
    if db is None:
        state = app_state(request)
        maker = state.autocommit_sessionmaker if request.method in _READS else state.sessionmaker
        db = request.state.db = maker()
        actor.bind_connection(db, request)
    return db


async def _run(
    request: Request, endpoint: Callable[[Request], Coroutine[Any, Any, Response]]
) -> Response:
    state = app_state(request)
    try:
        response = await endpoint(request)
        db: AsyncSession | None = request.state.db
        if db is not None and response.status_code >= 500:
            await _roll_back(db)
        elif db is not None:
            await _commit(request, db, response)
    except idempotency.IdempotentReplay as replay:
        if request.state.db is not None:
            await _roll_back(request.state.db)
        return replay.response
    except BaseException as exc:
        if request.state.db is not None:
            await _roll_back(request.state.db)
        if request.state.idempotency is not None:
            await _record_client_error(request, request_db(request), exc)
        raise
    # What single statements committed goes out whatever the response; the session's
    # own jobs only if it committed (a rollback discarded them).
    await run_after_commit(
        request.state.db, state.redis, state.on_publish, also=request.state.committed
    )
    return response


async def _commit(request: Request, db: AsyncSession, response: Response) -> None:
    """Store the idempotent outcome with the request's work, then commit both."""
    settings = app_state(request).settings
    ctx: idempotency.IdempotentRequest | None = request.state.idempotency
    if ctx is not None and idempotency.storable(response):
        stored = await idempotency.store(
            db, ctx, response, ttl=settings.idempotency_ttl_seconds, secret=settings.secrets
        )
        if not stored:  # a duplicate finished first: its outcome stands, not ours
            raise idempotency.in_flight()
    if db.in_transaction():
        await db.commit()


async def _roll_back(db: AsyncSession) -> None:
    if db.in_transaction():
        await db.rollback()
    discard_after_commit(db)


async def _record_client_error(request: Request, db: AsyncSession, exc: BaseException) -> None:
    ctx: idempotency.IdempotentRequest | None = getattr(request.state, "idempotency", None)
    if ctx is None:
        return
    if isinstance(exc, GatewayError) and exc.status_code < 500:
        if exc.code == "idempotency_key_in_use":
            return  # the key belongs to the request in flight, not to this one
        response = render_error(request, exc)
    elif isinstance(exc, RequestValidationError):
        response = render_validation_error(request, exc)
    else:
        return
    settings = app_state(request).settings
    await idempotency.store_error(
        db, ctx, response, ttl=settings.idempotency_ttl_seconds, secret=settings.secrets
    )
    await db.commit()


# -- releasing the connection while a request waits ----------------------------------------

# Set on a session's ``info`` while its transaction has written (a flush, or an INSERT,
# UPDATE or DELETE statement), cleared when the transaction ends.
_WROTE = "gateway.wrote"


class WaitAfterWrite(RuntimeError):
    """``release`` of a session that has written: its transaction must commit or roll
    back as a whole, so it cannot be let go in the middle (a bug in the caller)."""


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _: UOWTransaction) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)
        session.info.pop(idempotency.CLAIMED, None)


async def release(db: AsyncSession) -> bool:
    """Give the session's connection back before waiting on something slow (an engine).

    What was read stays usable (the objects are detached, their loaded values kept; read
    them again to change them); the next statement takes a connection and, on a write
    session, begins a new transaction, which the route commits. Row locks taken so far
    are let go. Refused (``WaitAfterWrite``) once the transaction wrote anything.

    A request that claimed an ``Idempotency-Key`` keeps its transaction, and so its
    connection: the claim is a lock of that transaction, and letting it go would let a
    retry of the same request reach the engine a second time. Returns whether the
    connection was released."""
    if db.info.get(idempotency.CLAIMED):
        return False
    if db.new or db.dirty or db.deleted or db.info.get(_WROTE) or has_pending(db):
        raise WaitAfterWrite("The request wrote before waiting; write after the wait instead.")
    db.expunge_all()
    await db.rollback()
    return True


async def get_db(request: Request) -> AsyncSession:
    """The request's database session; its transaction is committed by the route class.
    (``async`` so FastAPI calls it inline instead of in a worker thread.)"""
    return request_db(request)


DbSession = Annotated[AsyncSession, Depends(get_db)]
