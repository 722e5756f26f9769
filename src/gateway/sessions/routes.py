"""What the send path needs to know of a session (its account, engine and config),
cached per process so that accepting a message does not read the session first.

Only what the API itself changes is cached, and every change (config, deletion) is
invalidated after commit; whether the session still exists is checked again by the
statement that stores the message, so a stale entry can never store one for a deleted
session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.principal import Principal
from gateway.kit.aftercommit import publish_after_commit
from gateway.kit.cache import InvalidatedCache
from gateway.kit.errors import NotFound, PermissionDenied
from gateway.sessions import repository

CHANNEL = "gateway:sessions:invalidate"
MAX_AGE_SECONDS = 300.0


class LivemodeRequired(PermissionDenied):
    """A test-mode key reached one of its account's real sessions (declared here, below
    the service, because the send path's route lookup raises it too)."""

    code = "livemode_required"

    def __init__(self, engine: str) -> None:
        super().__init__(
            f"Test-mode keys only reach sandbox sessions; this one runs on the {engine} "
            "engine: use a live key (gw_live_…).",
            param="session_id",
        )


@dataclass(frozen=True, slots=True)
class SessionRoute:
    id: str
    account_id: str
    engine: str
    config: dict[str, Any]


class SessionRoutes(InvalidatedCache[str, SessionRoute]):
    """Live sessions by id; invalidated by ``session:<id>`` or ``*``. Misses are not
    cached: a session created a moment ago in another process must be found."""

    def __init__(self, *, max_age: float = MAX_AGE_SECONDS) -> None:
        super().__init__(CHANNEL, max_age=max_age, negative_max_age=0.0)

    async def reachable(
        self, sessionmaker: async_sessionmaker[AsyncSession], caller: Principal, session_id: str
    ) -> SessionRoute:
        """The session if ``caller`` may reach it (404 otherwise, also for another
        account's); read on a miss through its own short connection, so the request's
        transaction is not opened by it."""
        found, route = self.get(session_id)
        if not found:
            generation = self.generation
            async with sessionmaker() as db:
                row = await repository.route(db, session_id)
            route = None if row is None else SessionRoute(*row)
            if route is not None:
                self.put(session_id, route, generation)
        if (
            route is None
            or route.account_id != caller.account_id
            or (caller.session_id is not None and caller.session_id != route.id)
        ):
            raise NotFound("session", session_id)
        if caller.is_test and route.engine != "sandbox":
            raise LivemodeRequired(route.engine)
        return route


def invalidate_session_after_commit(db: AsyncSession, session_id: str) -> None:
    publish_after_commit(db, CHANNEL, f"session:{session_id}")
