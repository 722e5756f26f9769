"""Sessions: the API side. It records what is wanted (``desired_state``, generations) and
nudges the engine hosts; the host holding the session's lease makes it so and reports the
status. So a lost nudge only delays a command, it never loses one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from arq.connections import ArqRedis
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit import service as audit
from gateway.audit.service import diff
from gateway.auth.principal import Principal
from gateway.billing.plans import ensure_room_for_session
from gateway.cloud import numbers
from gateway.cloud import repository as cloud_repository
from gateway.config import Settings
from gateway.engines import registry
from gateway.engines.base import Capability, EngineUnsupported, Me, SessionStatus
from gateway.engines.control import call_host, nudge_hosts_after_commit
from gateway.kit.errors import Conflict, GatewayError, InvalidRequest, NotFound, PermissionDenied
from gateway.kit.ids import new_id
from gateway.kit.pagination import Page
from gateway.kit.phone import normalise_phone
from gateway.kit.routing import release
from gateway.kit.time import utcnow
from gateway.models import Session
from gateway.sessions import repository
from gateway.sessions.repository import Reach
from gateway.sessions.routes import (
    LivemodeRequired,
    SessionRoute,
    invalidate_session_after_commit,
)
from gateway.sessions.schemas import SessionConfigOut, SessionCreate, SessionUpdate


class SessionNameTaken(Conflict):
    code = "session_name_taken"


class SessionNotReady(GatewayError):
    status_code = 409
    code = "session_not_ready"


def reach_of(caller: Principal) -> Reach:
    return Reach(caller.account_id, sandbox_only=caller.is_test, session_id=caller.session_id)


def _engine_class(engine: str, *, caller: Principal) -> type[registry.Engine]:
    engine_class = registry.ENGINES.get(engine)
    if engine_class is None:
        known = ", ".join(sorted(registry.ENGINES))
        raise InvalidRequest(f"Unknown engine '{engine}'; available: {known}.", param="engine")
    if caller.is_test and engine != "sandbox":
        raise PermissionDenied(
            "Test-mode keys can only use the sandbox engine: use a live key (gw_live_…).",
            code="livemode_required",
            param="engine",
        )
    return engine_class


def require(session: Session | SessionRoute, capability: Capability) -> None:
    """501 unless the session's engine, as configured, supports ``capability``."""
    if not registry.ENGINES[session.engine].supports(capability, session.config):
        raise EngineUnsupported(session.engine, capability)


def capabilities(session: Session) -> list[Capability]:
    """What the session's engine, configured as the session is, can do."""
    engine = registry.ENGINES[session.engine]
    return [capability for capability in Capability if engine.supports(capability, session.config)]


async def host_running(db: AsyncSession, session: Session, capability: Capability) -> str:
    """The host to call for ``capability``: 501 if the engine lacks it, 409 unless the
    session is WORKING there."""
    require(session, capability)
    host_id = await repository.lease_holder(db, session.id)
    if session.status != SessionStatus.WORKING.value or host_id is None:
        raise SessionNotReady(f"The session is {session.status}, not WORKING.")
    return host_id


async def engine_for(
    db: AsyncSession, caller: Principal, session_id: str, capability: Capability
) -> tuple[Session, str]:
    """The session and the host to ask for ``capability``, once both are known to be
    able to answer (404, 501, 409 otherwise)."""
    session = await get_session(db, caller, session_id)
    return session, await host_running(db, session, capability)


async def ask_engine(
    redis: ArqRedis, session: Session, host_id: str, operation: str, **kwargs: Any
) -> Any:
    """Run one of the engine's directory operations (contacts, chats, groups) on the
    host running the session, and wait for the answer (JSON). Release the request's
    session first (``kit/routing.release``): nothing of the database is held meanwhile."""
    result = await call_host(redis, host_id, "engine_operation", session.id, operation, kwargs)
    return result["result"]


async def call_engine(
    db: AsyncSession,
    redis: ArqRedis,
    caller: Principal,
    session_id: str,
    capability: Capability,
    operation: str,
    **kwargs: Any,
) -> Any:
    """``engine_for`` then ``ask_engine``, ``db`` released while the engine answers: the
    usual way to ask. What the caller writes afterwards goes in a new transaction."""
    session, host_id = await engine_for(db, caller, session_id, capability)
    await release(db)
    return await ask_engine(redis, session, host_id, operation, **kwargs)


async def create_session(
    db: AsyncSession, settings: Settings, caller: Principal, body: SessionCreate
) -> Session:
    if caller.session_id is not None:
        raise PermissionDenied("A key restricted to one session cannot create sessions.")
    _engine_class(body.engine, caller=caller)
    if await repository.name_taken(db, caller.account_id, body.name):
        raise SessionNameTaken(f"A session named '{body.name}' already exists.", param="name")
    await ensure_room_for_session(db, settings, caller.account_id, engine=body.engine)
    session = Session(
        id=new_id("ses"),
        account_id=caller.account_id,
        name=body.name,
        engine=body.engine,
        meta=body.metadata,
        config={},
        desired_state="running" if body.start else "stopped",
        generation=1,
        status=SessionStatus.STOPPED.value,
        status_history=[],
    )
    db.add(session)
    await _flush_unless_name_taken(db, body.name)
    session.config = await numbers.stored_config(
        db, settings, engine=body.engine, config=body.config,
        session_id=session.id, account_id=caller.account_id, creating=True,
    )  # fmt: skip
    await db.flush()
    audit.record(db, "session.created", "session", session.id, changes=audited(session))
    if body.start:
        nudge_hosts_after_commit(db, session.id)
    return session


def audited(session: Session) -> dict[str, Any]:
    """The fields of a session the audit log shows (its config as the API shows it, so
    sealed engine credentials stay out)."""
    return {
        "name": session.name,
        "engine": session.engine,
        "metadata": dict(session.meta),
        "config": parsed_config(session).model_dump(mode="json"),
        "desired_state": session.desired_state,
    }


async def get_session(
    db: AsyncSession, caller: Principal, session_id: str, *, lock: bool = False
) -> Session:
    session = await repository.get(db, reach_of(caller), session_id, lock=lock)
    if session is None:
        if caller.is_test:  # the account's real session, out of a test key's reach?
            live = await repository.get(
                db, Reach(caller.account_id, session_id=caller.session_id), session_id
            )
            if live is not None:
                raise LivemodeRequired(live.engine)
        raise NotFound("session", session_id)
    return session


async def list_sessions(
    db: AsyncSession, caller: Principal, page: Page, status: SessionStatus | None
) -> Sequence[Session]:
    return await repository.list_page(
        db, reach_of(caller), page, status=status.value if status else None
    )


async def update_session(
    db: AsyncSession, settings: Settings, caller: Principal, session_id: str, changes: SessionUpdate
) -> Session:
    session = await get_session(db, caller, session_id, lock=True)
    before = audited(session)
    if changes.name is not None and changes.name != session.name:
        if await repository.name_taken(db, caller.account_id, changes.name, besides=session.id):
            raise SessionNameTaken(
                f"A session named '{changes.name}' already exists.", param="name"
            )
        session.name = changes.name
    if changes.metadata is not None:
        session.meta = changes.metadata
    if changes.config is not None:
        config = await numbers.stored_config(
            db, settings, engine=session.engine, config=changes.config,
            session_id=session.id, account_id=session.account_id, creating=False,
        )  # fmt: skip
        if config != session.config:
            session.config = config
            invalidate_session_after_commit(db, session.id)
            if session.desired_state == "running":
                _bump_generation(session)  # the host restarts it with the new config
    await _flush_unless_name_taken(db, session.name)
    audit.record(
        db, "session.updated", "session", session.id, changes=diff(before, audited(session))
    )
    return session


async def _flush_unless_name_taken(db: AsyncSession, name: str) -> None:
    """Flush in a savepoint: two requests taking one name can race past the check, and
    then the unique index decides, which must read as 409 rather than a server error."""
    try:
        async with db.begin_nested():
            await db.flush()
    except IntegrityError:
        raise SessionNameTaken(f"A session named '{name}' already exists.", param="name") from None


def _bump_generation(session: Session) -> None:
    session.generation += 1
    session.updated_at = utcnow()


async def start_session(db: AsyncSession, caller: Principal, session_id: str) -> Session:
    """Start a stopped or failed session; a running one is left alone."""
    session = await get_session(db, caller, session_id, lock=True)
    failed = session.status == SessionStatus.FAILED.value
    if session.desired_state != "running" or failed:
        session.desired_state = "running"
        _bump_generation(session)
        await db.flush()
        nudge_hosts_after_commit(db, session.id)
    audit.record(db, "session.started", "session", session.id)
    return session


async def stop_session(db: AsyncSession, caller: Principal, session_id: str) -> Session:
    """Stop a session; stopping a stopped one changes nothing."""
    session = await get_session(db, caller, session_id, lock=True)
    if session.desired_state != "stopped":
        session.desired_state = "stopped"
        session.updated_at = utcnow()
        await db.flush()
        nudge_hosts_after_commit(db, session.id)
    audit.record(db, "session.stopped", "session", session.id)
    return session


async def restart_session(db: AsyncSession, caller: Principal, session_id: str) -> Session:
    """Stop and start again (a stopped session just starts)."""
    session = await get_session(db, caller, session_id, lock=True)
    session.desired_state = "running"
    _bump_generation(session)
    await db.flush()
    nudge_hosts_after_commit(db, session.id)
    audit.record(db, "session.restarted", "session", session.id)
    return session


async def logout_session(db: AsyncSession, caller: Principal, session_id: str) -> Session:
    """Unlink the phone. A running session then shows a new QR code; a stopped one stays
    stopped, unlinked."""
    session = await get_session(db, caller, session_id, lock=True)
    require(session, Capability.logout)
    session.logout_generation += 1
    session.updated_at = utcnow()
    await db.flush()
    nudge_hosts_after_commit(db, session.id)
    audit.record(db, "session.logged_out", "session", session.id)
    return session


async def delete_session(db: AsyncSession, caller: Principal, session_id: str) -> str:
    """Stop, log out and delete. Deleting a deleted session succeeds again."""
    reach = reach_of(caller)
    session = await repository.get(db, reach, session_id, lock=True)
    if session is None:
        if await repository.get_deleted(db, reach, session_id) is not None:
            return session_id
        raise NotFound("session", session_id)
    session.desired_state = "deleted"
    session.deleted_at = utcnow()
    await cloud_repository.forget_number(db, session.id)
    await db.flush()
    audit.record(db, "session.deleted", "session", session.id, changes={"name": session.name})
    invalidate_session_after_commit(db, session.id)
    nudge_hosts_after_commit(db, session.id)
    return session.id


@dataclass(frozen=True)
class CurrentQr:
    value: str
    expires_at: datetime


async def current_qr(db: AsyncSession, caller: Principal, session_id: str) -> CurrentQr:
    session = await get_session(db, caller, session_id)
    require(session, Capability.qr)
    if (
        session.status != SessionStatus.SCAN_QR_CODE.value
        or not session.qr_value
        or not session.qr_expires_at
    ):
        raise SessionNotReady(
            f"No QR code: the session is {session.status}; one is shown only in SCAN_QR_CODE.",
            code="qr_not_available",
        )
    return CurrentQr(session.qr_value, session.qr_expires_at)


async def me(db: AsyncSession, caller: Principal, session_id: str) -> Me:
    session = await get_session(db, caller, session_id)
    require(session, Capability.me)
    if session.status != SessionStatus.WORKING.value or session.me is None:
        raise SessionNotReady(f"The session is {session.status}, not WORKING.")
    return Me.model_validate(session.me)


def parsed_config(session: Session) -> SessionConfigOut:
    return SessionConfigOut.model_validate(session.config)


async def request_pairing_code(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, phone_number: str
) -> tuple[str, str]:
    """A pairing code from the engine running the session; returns (code, E.164 number)."""
    session = await get_session(db, caller, session_id)
    require(session, Capability.pairing_code)
    phone = normalise_phone(phone_number)
    host_id = await repository.lease_holder(db, session.id)
    if session.status != SessionStatus.SCAN_QR_CODE.value or host_id is None:
        raise SessionNotReady(
            f"The session is {session.status}; pairing codes are issued in SCAN_QR_CODE."
        )
    await release(db)
    result = await call_host(redis, host_id, "engine_request_pairing_code", session.id, phone)
    # The code itself is a secret of the phone's owner: the entry names the number only.
    audit.record(
        db, "session.pairing_code_requested", "session", session.id,
        changes={"phone_number": audit.personal(db, phone)},
    )  # fmt: skip
    return str(result["code"]), phone
