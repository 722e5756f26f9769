"""What a host does to one session it holds when the API asked for more than running it:
log it out, stop it, delete it, give it up. Rare next to the pass itself, so each is a
transaction of its own under the session's lock."""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

from gateway.engines import leases
from gateway.engines.base import EngineSession, SessionStatus
from gateway.engines.registry import ENGINES
from gateway.engines.reports import LeaseLost, set_status
from gateway.models import Session

if TYPE_CHECKING:
    from gateway.engines.host import EngineHost

log = structlog.get_logger(__name__)


async def reconcile_session(host: EngineHost, session_id: str, session: Session | None) -> None:
    """Bring one session to what the API wants of it (see ``EngineHost.reconcile``)."""
    if session is None:  # deleted meanwhile, lease and all
        await host._stop_runner(session_id)
        host.held.discard(session_id)
        return
    if session.logout_generation > session.observed_logout_generation:
        await logout(host, session)
    if session.desired_state == "deleted":
        await delete(host, session)
    elif session.desired_state == "stopped":
        await host._stop_runner(session_id)
        if session.status != SessionStatus.STOPPED:
            await host.report(session_id).status(SessionStatus.STOPPED, "stopped")
        await release(host, session_id)
    elif (
        session.status == SessionStatus.FAILED and session.observed_generation == session.generation
    ):
        # Failed for good (logged out from the phone, QR never scanned, crashing):
        # it waits for a start or restart, which bumps the generation.
        await host._stop_runner(session_id)
        await release(host, session_id)
    else:  # logged out, and to run on: it shows a QR code again
        await host._start_runners([session_id])


async def logout(host: EngineHost, session: Session) -> None:
    await host._stop_runner(session.id)
    engine = ENGINES[session.engine](
        EngineSession(session.id, session.account_id, session.name, session.engine),
        host.report(session.id),
        host.resources,
    )
    await engine.logout()
    async with host.resources.sessionmaker() as db:
        row = await leases.lock_if_held(db, host.id, session.id)
        if row is None:
            raise LeaseLost(session.id)
        row.observed_logout_generation = session.logout_generation
        row.me = None
        # A running session comes back unlinked, showing a QR code again.
        if session.desired_state == "running":
            row.observed_generation = 0
        await host.commit(db)
    session.observed_generation = 0
    host._backoff.pop(session.id, None)


async def delete(host: EngineHost, session: Session) -> None:
    await host._stop_runner(session.id)
    if session.logout_generation <= session.observed_logout_generation:
        await logout(host, session)
    async with host.resources.sessionmaker() as db:
        row = await leases.lock_if_held(db, host.id, session.id)
        if row is None:
            raise LeaseLost(session.id)
        if row.status != SessionStatus.STOPPED:
            await set_status(db, row, SessionStatus.STOPPED, "deleted")
        # The row stays as a tombstone (deleted_at is set), so a repeated DELETE still
        # succeeds; "stopped" takes it out of every host's work.
        row.desired_state = "stopped"
        await leases.release(db, host.id, [session.id])
        await host.commit(db)
    host.held.discard(session.id)
    host._backoff.pop(session.id, None)
    log.info("host.session_deleted", host_id=host.id, session_id=session.id)


async def release(host: EngineHost, session_id: str) -> None:
    async with host.resources.sessionmaker() as db:
        await leases.release(db, host.id, [session_id])
        await host.commit(db)
    host.held.discard(session_id)
