"""Accepting a message to send: validate it, store the row, and hand it to the host that
runs the session (an arq job on its queue, pushed after commit). The row is the truth,
so a lost job only delays a message until the next sweep.

The common send (text, location, contact or poll, no quote) is the API's hot path and
costs one PostgreSQL round trip: the session comes from the per-process routing cache,
and one statement checks that it is still live, claims the ``Idempotency-Key``, stores
the message with the response the key will replay, and names the host holding the
session's lease. Sends that must look something up or store a file take a transaction,
and fetch their file before it opens, so no connection waits on a remote server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import asyncpg
import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.principal import Principal
from gateway.billing.quota import SendQuota
from gateway.cloud import window
from gateway.cloud.templates.service import GraphAccess, sync_if_unknown
from gateway.cloud.templates.validation import check_template_send
from gateway.config import Settings
from gateway.engines.base import Capability
from gateway.engines.control import host_queue
from gateway.kit import idempotency
from gateway.kit.aftercommit import after_commit, pending_job
from gateway.kit.errors import GatewayError, InvalidRequest, NotFound
from gateway.kit.ids import new_id
from gateway.kit.phone import normalise_chat_id
from gateway.kit.queue import PendingJob, PendingPublish
from gateway.kit.time import utcnow
from gateway.media.service import prepare_message_media, record_message_media
from gateway.messages import repository, sending_repository
from gateway.messages.schemas import MEDIA_TYPES, SendMessage, message_out
from gateway.messages.sending_repository import NewMessage
from gateway.models import Message
from gateway.sessions import repository as sessions_repository
from gateway.sessions.routes import SessionRoute, SessionRoutes
from gateway.sessions.service import get_session, require

DEFAULT_EXPIRY = timedelta(hours=24)
_ENVELOPE_FIELDS = {"type", "chat_id", "reply_to", "send_at", "expires_at", "media"}
# Types with nothing to look up or store but the message itself.
_ONE_STATEMENT_TYPES = frozenset({"text", "location", "contact", "poll"})
_JSON_HEADERS = {"content-type": "application/json"}


@dataclass(frozen=True)
class SendContext:
    """What the request lends a send: the settings, the routing cache, autocommit
    sessions for reads, the pool of the one statement, the request's transaction (made
    only if a send needs one), and the list of jobs of what the statement committed."""

    settings: Settings
    routes: SessionRoutes
    reads: async_sessionmaker[AsyncSession]
    statements: asyncpg.Pool
    db: Callable[[], AsyncSession]
    committed: list[PendingJob | PendingPublish]
    graph_http: httpx.AsyncClient | None = None  # for cloud sessions' template lookups
    # Counts the request against its rate limit and the message against the account's
    # usage, in one round trip (a metered route leaves the rate limit to it).
    quota: SendQuota | None = None


@dataclass(frozen=True)
class Accepted:
    body: bytes  # the message object as JSON, rendered once for the response and the record
    recorded: bool  # the idempotent outcome was stored with the message


async def send_message(
    ctx: SendContext,
    caller: Principal,
    session_id: str,
    body: SendMessage,
    idempotent: idempotency.IdempotentRequest | None,
) -> Accepted:
    """Queue a message (``scheduled`` when ``send_at`` is in the future)."""
    try:
        route = await ctx.routes.reachable(ctx.reads, caller, session_id)
        require(route, Capability(f"send_{body.type}"))
        message = _new_message(route, body)
        if route.engine == "cloud":
            await window.require_open(ctx.reads, route.id, message.chat_id, body.type)
    except GatewayError:
        # A retry is answered as the first request was, even if the session was deleted
        # or changed since: its stored outcome comes before any new refusal.
        if ctx.quota is not None:
            await ctx.quota.rate_limit_only()
        if idempotent is not None:
            await _replay_if_stored(ctx, idempotent)
        raise
    reservation = None
    if ctx.quota is not None:
        reservation = await ctx.quota.admit(livemode=route.engine != "sandbox")
    try:
        accepted = await _accept(ctx, caller, route, message, body, idempotent)
    except BaseException:
        if reservation is not None:  # refused, replayed or failed: not a message sent
            await reservation.give_back()
        raise
    if reservation is not None:
        ctx.committed.extend(reservation.warning_jobs())
    return accepted


async def _accept(
    ctx: SendContext,
    caller: Principal,
    route: SessionRoute,
    message: NewMessage,
    body: SendMessage,
    idempotent: idempotency.IdempotentRequest | None,
) -> Accepted:
    if body.type in _ONE_STATEMENT_TYPES and body.reply_to is None:
        return await _accept_in_one_statement(ctx, message, idempotent)
    if body.type == "template" and ctx.graph_http is not None:
        access = GraphAccess(ctx.settings, ctx.graph_http, ctx.reads)
        await sync_if_unknown(access, route.id, body.template.name, body.template.language)
    return await _accept_in_transaction(ctx.db(), ctx, caller, message, body, idempotent)


def _new_message(route: SessionRoute, body: SendMessage) -> NewMessage:
    now = utcnow()
    if body.send_at is not None and body.send_at.tzinfo is None:
        raise InvalidRequest("send_at needs a timezone (e.g. a trailing Z).", param="send_at")
    scheduled = body.send_at is not None and body.send_at > now
    start = body.send_at if scheduled and body.send_at else now
    expires_at = body.expires_at or start + DEFAULT_EXPIRY
    if expires_at <= start:
        raise InvalidRequest("expires_at must be after the time of sending.", param="expires_at")
    content: dict[str, Any] = body.model_dump(mode="json", exclude=_ENVELOPE_FIELDS)
    return NewMessage(
        id=new_id("msg"),
        account_id=route.account_id,
        session_id=route.id,
        chat_id=normalise_chat_id(body.chat_id),
        type=body.type,
        content=content,
        reply_to=body.reply_to,
        status="scheduled" if scheduled else "queued",
        send_at=body.send_at,
        next_attempt_at=start,
        expires_at=expires_at,
        # Set here, not by the database, so the response is complete before the insert.
        created_at=now,
    )


async def _accept_in_one_statement(
    ctx: SendContext,
    message: NewMessage,
    idempotent: idempotency.IdempotentRequest | None,
) -> Accepted:
    rendered = _render(message)
    secret = ctx.settings.secret
    record = lock = None
    if idempotent is not None:
        record = idempotency.record_values(
            idempotent, 202, _JSON_HEADERS, rendered,
            ttl=ctx.settings.idempotency_ttl_seconds, secret=secret,
        )  # fmt: skip
        lock = idempotency.lock_name(idempotent.scope, idempotent.key)
    outcome = await sending_repository.accept_outbound(ctx.statements, message, record, lock)
    if not outcome.locked:
        raise idempotency.in_flight()
    if not outcome.live:  # deleted since it was cached (or by another process)
        ctx.routes.invalidate(f"session:{message.session_id}")
        if idempotent is not None:
            await _replay_if_stored(ctx, idempotent)
        raise NotFound("session", message.session_id)
    if not outcome.inserted:
        assert idempotent is not None  # only a taken key stops a live session's insert
        await _replay_if_stored(ctx, idempotent)
        raise idempotency.in_flight()  # its record expired in between: try again
    job = _delivery_job(message, outcome.host_id)
    if job is not None:
        ctx.committed.append(job)
    return Accepted(rendered, recorded=idempotent is not None)


async def _accept_in_transaction(
    db: AsyncSession,
    ctx: SendContext,
    caller: Principal,
    message: NewMessage,
    body: SendMessage,
    idempotent: idempotency.IdempotentRequest | None,
) -> Accepted:
    prepared = None
    if body.type in MEDIA_TYPES:
        try:
            prepared = await prepare_message_media(
                account_id=message.account_id, session_id=message.session_id,
                source=body.media, kind=body.type, settings=ctx.settings,  # type: ignore[union-attr]
            )  # fmt: skip
        except GatewayError:
            if idempotent is not None:  # the first outcome first, as in send_message
                await _replay_if_stored(ctx, idempotent)
            raise
    # The transaction opens here, after any file was fetched.
    if idempotent is not None:
        await idempotency.claim(db, idempotent, ctx.settings.secrets)
    await get_session(db, caller, message.session_id)  # still live, read in the transaction
    content = message.content
    if body.reply_to is not None:
        await _message_of_session(db, message.session_id, body.reply_to, "reply_to")
    if body.type == "template":  # against the stored template, before Meta would refuse it
        await check_template_send(db, message.session_id, body.template)
    if body.type == "reaction":
        target = await _message_of_session(
            db, message.session_id, content["message_id"], "message_id"
        )
        content["chat_id"] = target.chat_id
    if body.type in MEDIA_TYPES:
        media = await record_message_media(
            db, account_id=message.account_id, source=body.media,  # type: ignore[union-attr]
            kind=body.type, prepared=prepared,
        )  # fmt: skip
        content["media"] = {
            "id": media.id,
            "mime_type": media.mime_type,
            "size": media.size,
            "filename": content.get("filename") or media.filename,
        }
    await repository.add(db, message.row())
    job = _delivery_job(message, await sessions_repository.lease_holder(db, message.session_id))
    if job is not None:
        after_commit(db, job)
    return Accepted(_render(message), recorded=False)


async def _replay_if_stored(ctx: SendContext, idempotent: idempotency.IdempotentRequest) -> None:
    """Raise the replay (or 422) of the key's stored outcome, if it has one."""
    async with ctx.reads() as db:
        outcome = await idempotency.stored_outcome(db, idempotent, ctx.settings.secrets)
    if outcome is not None:
        raise outcome


def _render(message: NewMessage) -> bytes:
    return message_out(message).model_dump_json().encode()


def _delivery_job(message: NewMessage, host_id: str | None) -> PendingJob | None:
    """The delivery job, for the queue of the host running the session. None without a
    host (the session is not running): the host that starts it will find the row."""
    if host_id is None:
        return None
    return pending_job(
        "deliver_message",
        message.session_id,
        message.id,
        job_id=f"deliver:{message.id}:{message.attempts}",
        queue_name=host_queue(host_id),
        defer_until=message.next_attempt_at if message.status == "scheduled" else None,
    )


async def _message_of_session(
    db: AsyncSession, session_id: str, message_id: str, param: str
) -> Message:
    target = await repository.in_session(db, session_id, message_id)
    if target is None:
        raise InvalidRequest(
            f"No message '{message_id}' in this session.", code="message_not_found", param=param
        )
    return target
