"""Templates: a cloud session's WABA message templates, listed, created and deleted at
Meta through Graph.

Graph is always called before the unit of work opens (a review of Meta's answer can
take seconds; no transaction or lock waits on it): what is needed for the call is read
on an autocommit session, and the outcome written afterwards.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.audit import service as audit
from gateway.auth.principal import Principal
from gateway.cloud import numbers
from gateway.cloud.templates import repository, rules, sync
from gateway.cloud.templates.schemas import TemplateCreate
from gateway.config import Settings
from gateway.engines.base import Capability, EngineFailure
from gateway.engines.cloud.graph import Graph, GraphError, GraphUnavailable
from gateway.kit import idempotency
from gateway.kit.errors import GatewayError, InvalidRequest, NotFound
from gateway.kit.ids import new_id
from gateway.kit.pagination import Page
from gateway.kit.time import utcnow
from gateway.models import CloudNumber, CloudTemplate, Session
from gateway.sessions.service import get_session, require

log = structlog.get_logger(__name__)


class EngineUnavailable(GatewayError):
    status_code = 503
    type = "engine_error"
    code = "engine_unavailable"


class TemplateRefused(InvalidRequest):
    """Meta refused a parameter of the request."""


class TemplateExists(InvalidRequest):
    code = "template_exists"


# Graph codes of a refused parameter: the caller's request is wrong, not Meta.
PARAMETER_ERRORS = frozenset({100, 131008, 131009})
# "Content in this language already exists" (the name is taken in that language).
SUBCODE_TEMPLATE_EXISTS = 2388024
# "Object with ID … does not exist, cannot be loaded due to missing permissions": the
# session's WABA id or token is wrong, not the request.
SUBCODE_UNREACHABLE_OBJECT = 33
UNKNOWN_TEMPLATE_RESYNC = timedelta(minutes=1)
_PARAM = re.compile(r"\bParam ([A-Za-z_][\w\[\]'\"]*)")


@dataclass(frozen=True)
class GraphAccess:
    """What a request lends the templates service to reach Graph: the settings (the
    credentials' key), the process's pooled client, and autocommit sessions for the
    reads made before the call."""

    settings: Settings
    http: httpx.AsyncClient
    reads: async_sessionmaker[AsyncSession]


def param_named(text: str | None) -> str | None:
    """The parameter Meta names in its words (``Param components[0]['text'] is
    required`` → ``components[0].text``)."""
    match = _PARAM.search(text or "")
    if match is None:
        return None
    return re.sub(r"\[['\"](\w+)['\"]\]", r".\1", match.group(1))


def refusal(exc: GraphError) -> GatewayError:
    """Our error for a Graph error (Meta's words, never the token: Graph does not echo
    it, and it travels in a header only)."""
    said = exc.user_message or exc.details or exc.message
    if exc.subcode == SUBCODE_TEMPLATE_EXISTS:
        return TemplateExists(
            f"Meta already has this template in this language (Graph error {exc.code}).",
            param="name",
        )
    if exc.subcode == SUBCODE_UNREACHABLE_OBJECT:
        return EngineFailure(
            f"Meta does not let this number's token reach its WABA (Graph error {exc.code}): "
            "check config.cloud.waba_id and the token's permissions."
        )
    if exc.code in PARAMETER_ERRORS and exc.status < 500:
        return TemplateRefused(
            f"Meta refused the request (Graph error {exc.code}): {said}",
            param=param_named(exc.details) or param_named(exc.message),
        )
    if exc.status >= 500:
        return EngineUnavailable(f"Meta failed (Graph error {exc.code}): {said}; try again.")
    return EngineFailure(f"Meta refused the request (Graph error {exc.code}): {said}")


@asynccontextmanager
async def calling_graph(operation: str, session_id: str) -> AsyncIterator[None]:
    """Graph's failures as our errors, logged."""
    try:
        yield
    except GraphUnavailable as exc:
        log.warning("templates.graph.unavailable", operation=operation, session_id=session_id,
                    reason=str(exc))  # fmt: skip
        raise EngineUnavailable(f"Meta could not be reached: {exc}; try again.") from None
    except GraphError as exc:
        log.info("templates.graph.error", operation=operation, session_id=session_id,
                 status=exc.status, code=exc.code, subcode=exc.subcode)  # fmt: skip
        raise refusal(exc) from None


async def _templates_session(db: AsyncSession, caller: Principal, session_id: str) -> Session:
    session = await get_session(db, caller, session_id)
    require(session, Capability.templates)
    return session


async def _graph(
    access: GraphAccess, db: AsyncSession, session: Session
) -> tuple[Graph, CloudNumber]:
    return await numbers.graph_for(db, access.settings, access.http, session)


async def sync_templates(access: GraphAccess, db: AsyncSession, session: Session) -> None:
    """Replace the session's stored templates with what Meta lists now. ``db`` must be an
    autocommit session or one whose transaction holds nothing yet: Graph is read first."""
    graph, number = await _graph(access, db, session)
    async with calling_graph("sync", session.id):
        fetched = await sync.fetch_templates(graph, number.waba_id)
    await sync.store_templates(db, number, fetched, utcnow())


async def sync_if_unknown(access: GraphAccess, session_id: str, name: str, language: str) -> None:
    """Before a template send: a template the gateway has not seen (created in WhatsApp
    Manager since the last sync) is looked for at Meta, at most once a minute per session
    (sends of a name that does not exist must not turn into a stream of Graph calls).
    Runs before the send's transaction opens."""
    async with access.reads() as db:
        if await repository.get_by_name(db, session_id, name, language) is not None:
            return
        last = await repository.synced_at(db, session_id)
        if last is not None and utcnow() - last < UNKNOWN_TEMPLATE_RESYNC:
            return
        session = await db.get(Session, session_id)
        if session is None:
            return
        await sync_templates(access, db, session)


async def list_templates(
    access: GraphAccess,
    db: AsyncSession,
    caller: Principal,
    session_id: str,
    page: Page,
    *,
    status: str | None = None,
    name: str | None = None,
    refresh: bool = False,
) -> Sequence[CloudTemplate]:
    """A page of the session's templates; synced from Meta first when asked, and on the
    first list of a session never synced."""
    session = await _templates_session(db, caller, session_id)
    if refresh or not await repository.was_synced(db, session.id):
        await sync_templates(access, db, session)
    return await repository.list_page(db, session.id, page, status=status, name=name)


async def get_template(
    db: AsyncSession, caller: Principal, session_id: str, template_id: str
) -> CloudTemplate:
    session = await _templates_session(db, caller, session_id)
    row = await repository.get(db, session.id, template_id)
    if row is None:
        raise NotFound("template", template_id, param="template_id")
    return row


def _creation_payload(body: TemplateCreate, parameter_format: str) -> dict[str, Any]:
    payload = body.model_dump(mode="json", exclude_none=True)
    payload["components"] = [
        {**component, "type": str(component["type"]).upper()} for component in payload["components"]
    ]
    if parameter_format == "NAMED":
        payload["parameter_format"] = "NAMED"  # Meta assumes positional otherwise
    else:
        payload.pop("parameter_format", None)
    return payload


async def create_template(
    access: GraphAccess,
    db: Callable[[], AsyncSession],
    caller: Principal,
    session_id: str,
    body: TemplateCreate,
    idempotent: idempotency.IdempotentRequest | None,
) -> CloudTemplate:
    """Submit a template for Meta's review and store it ``PENDING`` (or as Meta answers).
    ``db`` gives the request's unit of work, opened only once Meta has answered."""
    parameter_format = rules.check_new_template(body)
    async with access.reads() as reads:
        session = await _templates_session(reads, caller, session_id)
        graph, number = await _graph(access, reads, session)
        if idempotent is not None:
            # A retry of a creation that went through must not ask Meta again.
            outcome = await idempotency.stored_outcome(reads, idempotent, access.settings.secrets)
            if outcome is not None:
                raise outcome
    payload = _creation_payload(body, parameter_format)
    async with calling_graph("create", session.id):
        answer = await graph.request("POST", f"{number.waba_id}/message_templates", json=payload)
    work = db()
    if idempotent is not None:
        await idempotency.claim(work, idempotent, access.settings.secrets)
    await get_session(work, caller, session_id)  # still live, read in the transaction
    now = utcnow()
    saved = await repository.save_created(
        work,
        {
            "id": new_id("tpl"),
            "session_id": session.id,
            "account_id": session.account_id,
            "waba_id": number.waba_id,
            "graph_id": str(answer.get("id") or ""),
            "name": body.name,
            "language": body.language,
            "category": str(answer.get("category") or body.category).upper(),
            "parameter_format": parameter_format,
            "status": str(answer.get("status") or "PENDING").upper(),
            "rejected_reason": None,
            "components": payload["components"],
            "synced_at": now,
        },
    )
    audit.record(work, "template.created", "template", saved.id, changes={
        "session_id": session.id, "name": body.name, "language": body.language,
        "category": saved.category,
    })  # fmt: skip
    return saved


def _already_gone(exc: GraphError) -> bool:
    said = f"{exc.message} {exc.details or ''}".lower()
    return exc.code == 100 and ("not found" in said or "does not exist" in said)


async def delete_template(
    access: GraphAccess,
    db: Callable[[], AsyncSession],
    caller: Principal,
    session_id: str,
    template_id: str,
) -> str:
    """Delete the template at Meta (this language only: its id is named), then here."""
    async with access.reads() as reads:
        session = await _templates_session(reads, caller, session_id)
        row = await repository.get(reads, session.id, template_id)
        if row is None:
            raise NotFound("template", template_id, param="template_id")
        graph, number = await _graph(access, reads, session)
    params = {"name": row.name}
    if row.graph_id:
        params["hsm_id"] = row.graph_id
    async with calling_graph("delete", session.id):
        try:
            await graph.request("DELETE", f"{number.waba_id}/message_templates", params=params)
        except GraphError as exc:
            if not _already_gone(exc):  # deleted at Meta already: only ours is left
                raise
    work = db()
    await get_session(work, caller, session_id)
    await repository.remove(work, row.id)
    audit.record(work, "template.deleted", "template", row.id, changes={
        "session_id": session.id, "name": row.name, "language": row.language,
    })  # fmt: skip
    return row.id
