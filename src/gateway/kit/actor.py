"""Who is acting in a unit of work, for the audit log.

The request's route (or a job) binds the actor to its database session, so a service that
records an audit entry needs nothing but the session it already has: no actor argument
threaded through every signature, and no way to write an entry outside a transaction.
The request's actor is worked out only when an entry is written (most requests write
none), from what authentication left on ``request.state.actor``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from gateway.kit.client_address import client_address
from gateway.kit.state import app_state

_INFO_KEY = "gateway.actor"


@dataclass(frozen=True, slots=True)
class Actor:
    """``type`` is ``api_key`` (``id`` the key's), ``admin`` (the operator's token) or
    ``system`` (``id`` names the job: ``stripe``, ``retention`` …)."""

    type: str
    id: str | None = None
    # The account an API key acts for; ``None`` for the operator and the system.
    account_id: str | None = None
    # How the key was presented when it is not the API itself (``dashboard``).
    via: str | None = None
    # False for a test-mode key: test keys see only what test keys did, as with every
    # other object, so a sandbox integration cannot read the live account's history.
    livemode: bool = True
    request_id: str | None = None
    ip_address: str | None = None
    # Keys the pseudonyms of contacts in entries (``audit.personal``); never shown.
    secret: bytes | None = field(default=None, repr=False)


UNKNOWN = Actor("system", "unknown")


def key_actor(
    key_id: str, account_id: str, *, via: str | None = None, livemode: bool = True
) -> Actor:
    return Actor("api_key", key_id, account_id, via, livemode)


ADMIN = Actor("admin")


def system(name: str) -> Actor:
    return Actor("system", name)


def bind(db: AsyncSession, actor: Actor | Callable[[], Actor]) -> None:
    """Make ``actor`` (or a function computing it when first needed) the session's actor."""
    db.info[_INFO_KEY] = actor


def bind_connection(db: AsyncSession, conn: HTTPConnection) -> None:
    """Bind the actor that authentication records on ``conn.state.actor`` once it has run."""
    db.info[_INFO_KEY] = lambda: of_connection(conn)


def of_connection(conn: HTTPConnection) -> Actor:
    base: Actor = getattr(conn.state, "actor", None) or UNKNOWN
    settings = app_state(conn).settings
    address = client_address(conn.scope, settings.trusted_proxy_networks)
    return replace(
        base,
        request_id=getattr(conn.state, "request_id", None),
        ip_address=str(address) if address is not None else None,
        secret=settings.secret,
    )


def acting(db: AsyncSession) -> Actor:
    """The session's actor; ``system:unknown`` when nothing bound one (a bug worth seeing
    in the log rather than a lost entry)."""
    bound: Actor | Callable[[], Actor] | None = db.info.get(_INFO_KEY)
    if bound is None:
        return UNKNOWN
    return bound() if callable(bound) else bound
