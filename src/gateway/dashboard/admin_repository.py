"""The SQL of the operator's pages: reads across every account, each one statement.

The deployment-wide figures the metrics already read (outboxes, sessions by status,
queue depths) are read through ``metrics/repository.py``, not again here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Interval, and_, exists, func, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import (
    Account,
    Plan,
    Session,
    SessionLease,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

LIST_LIMIT = 100


@dataclass(frozen=True)
class AccountRow:
    id: str
    name: str
    created_at: datetime
    plan_name: str
    messages_per_month: int | None
    overage_allowed: bool


async def accounts_page(db: AsyncSession, limit: int, after: str | None) -> Sequence[AccountRow]:
    """Accounts newest first (ids are time-sortable), ``limit`` of them older than
    ``after``, with their plan."""
    stmt = (
        select(
            Account.id,
            Account.name,
            Account.created_at,
            Plan.name,
            Plan.messages_per_month,
            Plan.overage_allowed,
        )
        .join(Plan, Plan.id == Account.plan_id)
        .order_by(Account.id.desc())
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(Account.id < after)
    return [AccountRow(*row) for row in (await db.execute(stmt)).all()]


async def sessions_of_accounts(db: AsyncSession, account_ids: Sequence[str]) -> dict[str, int]:
    """Sessions not deleted, per account (sandbox ones included)."""
    stmt = (
        select(Session.account_id, func.count())
        .where(Session.account_id.in_(account_ids), Session.deleted_at.is_(None))
        .group_by(Session.account_id)
    )
    return {account_id: int(n) for account_id, n in (await db.execute(stmt)).all()}


@dataclass(frozen=True)
class HeldSession:
    host_id: str
    session_id: str
    session_name: str
    engine: str
    status: str
    account_name: str
    acquired_at: datetime
    expires_at: datetime


async def live_leases(db: AsyncSession, limit: int) -> Sequence[HeldSession]:
    """The sessions engine hosts hold now (unexpired leases), by host, oldest lease first."""
    stmt = (
        select(
            SessionLease.host_id,
            Session.id,
            Session.name,
            Session.engine,
            Session.status,
            Account.name,
            SessionLease.acquired_at,
            SessionLease.expires_at,
        )
        .join(Session, Session.id == SessionLease.session_id)
        .join(Account, Account.id == Session.account_id)
        .where(SessionLease.expires_at > func.now())
        .order_by(SessionLease.host_id, SessionLease.acquired_at, Session.id)
        .limit(limit)
    )
    return [HeldSession(*row) for row in (await db.execute(stmt)).all()]


@dataclass(frozen=True)
class HostEngine:
    host_id: str
    engine: str
    sessions: int
    oldest: timedelta
    newest: timedelta


async def hosts_by_engine(db: AsyncSession) -> Sequence[HostEngine]:
    """Per live host and engine: the sessions it holds and the ages of its oldest and
    newest leases (how long since each was taken)."""
    age = type_coerce(func.now() - SessionLease.acquired_at, Interval)
    stmt = (
        select(SessionLease.host_id, Session.engine, func.count(), func.max(age), func.min(age))
        .join(Session, Session.id == SessionLease.session_id)
        .where(SessionLease.expires_at > func.now())
        .group_by(SessionLease.host_id, Session.engine)
        .order_by(SessionLease.host_id, Session.engine)
    )
    return [HostEngine(*row) for row in (await db.execute(stmt)).all()]


@dataclass(frozen=True)
class FailingEndpoint:
    id: str
    account_name: str
    url: str
    enabled: bool
    disabled_reason: str | None
    failing_since: datetime | None
    recent_failures: int
    updated_at: datetime


def _failed_attempt() -> ColumnElement[bool]:
    return or_(
        WebhookAttempt.status_code.is_(None),
        WebhookAttempt.status_code < 200,
        WebhookAttempt.status_code >= 300,
    )


async def failing_endpoints(db: AsyncSession, since: datetime) -> Sequence[FailingEndpoint]:
    """Endpoints disabled, failing (every attempt since ``failing_since``), or with a failed
    attempt since ``since``, across accounts; disabled ones first."""
    failures = (
        select(func.count())
        .select_from(WebhookAttempt)
        .join(WebhookDelivery, WebhookDelivery.id == WebhookAttempt.delivery_id)
        .where(
            WebhookDelivery.endpoint_id == WebhookEndpoint.id,
            WebhookAttempt.attempted_at >= since,
            _failed_attempt(),
        )
        .scalar_subquery()
    )
    recently_failed = exists().where(
        WebhookDelivery.endpoint_id == WebhookEndpoint.id,
        WebhookAttempt.delivery_id == WebhookDelivery.id,
        WebhookAttempt.attempted_at >= since,
        _failed_attempt(),
    )
    stmt = (
        select(
            WebhookEndpoint.id,
            Account.name,
            WebhookEndpoint.url,
            WebhookEndpoint.enabled,
            WebhookEndpoint.disabled_reason,
            WebhookEndpoint.failing_since,
            failures,
            WebhookEndpoint.updated_at,
        )
        .join(Account, Account.id == WebhookEndpoint.account_id)
        .where(
            or_(
                ~WebhookEndpoint.enabled,
                WebhookEndpoint.failing_since.is_not(None),
                recently_failed,
            )
        )
        .order_by(WebhookEndpoint.enabled, WebhookEndpoint.updated_at.desc())
        .limit(LIST_LIMIT)
    )
    return [FailingEndpoint(*row) for row in (await db.execute(stmt)).all()]


@dataclass(frozen=True)
class FailedSession:
    id: str
    name: str
    engine: str
    account_name: str
    status_reason: str | None
    updated_at: datetime


async def failed_sessions(db: AsyncSession) -> Sequence[FailedSession]:
    """Sessions in FAILED (not deleted), across accounts, most recently changed first."""
    stmt = (
        select(
            Session.id,
            Session.name,
            Session.engine,
            Account.name,
            Session.status_reason,
            Session.updated_at,
        )
        .join(Account, Account.id == Session.account_id)
        .where(and_(Session.status == "FAILED", Session.deleted_at.is_(None)))
        .order_by(Session.updated_at.desc())
        .limit(LIST_LIMIT)
    )
    return [FailedSession(*row) for row in (await db.execute(stmt)).all()]
