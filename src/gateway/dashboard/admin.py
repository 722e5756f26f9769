"""The operator's view at /dashboard/admin, signed in with the admin token: accounts, engine
hosts, queues, failing endpoints and sessions. Read-only: changes go through the admin API.

None of it is reachable with a customer's cookie, nor a customer's page with the
operator's (``admin_auth``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from gateway.billing import usage_repository
from gateway.billing.usage_counters import period_of
from gateway.dashboard import admin_repository as repository
from gateway.dashboard.admin_auth import (
    ADMIN_COOKIE,
    ADMIN_LOGIN_COOKIE,
    ADMIN_PATH,
    ADMIN_PURPOSE,
    AdminSignInRequired,
    OperatorDep,
    admin_token,
    fingerprint,
    operator_form,
    operator_of,
    token_matches,
)
from gateway.dashboard.auth import (
    CSRF_FIELD,
    LOGIN_COOKIE_SECONDS,
    SESSION_SECONDS,
    CsrfRefused,
    clear_cookie,
    login_token,
    login_tokens,
    new_login_cookie,
    same_origin,
    seal_key,
    set_cookie,
    sign_out_cookie,
    token_in,
    unseal_key,
)
from gateway.dashboard.forms import PAGE_SIZE, page_after
from gateway.dashboard.pages import DashboardRoute, redirect, render
from gateway.kit.errors import RateLimited
from gateway.kit.routing import DbSession
from gateway.kit.state import app_state
from gateway.metrics import repository as metrics
from gateway.metrics.state import QUERY_TIMEOUT_SECONDS

# Leases listed on the hosts page at most; the counts per host and engine are complete.
LISTED_LEASES = 500
RECENT_FAILURES = timedelta(hours=24)
# Sign-in attempts per client address: comparing in constant time hides how close a guess
# was; this bounds how many guesses there can be.
SIGN_IN_RATE = "10/minute"


def to_admin_sign_in(request: Request) -> Response:
    response = redirect(f"{ADMIN_PATH}/sign-in")
    clear_cookie(response, request, ADMIN_COOKIE, path=ADMIN_PATH)
    return response


class AdminRoute(DashboardRoute):
    def sign_in_answer(self, request: Request) -> Response:
        return to_admin_sign_in(request)


router = APIRouter(prefix="/admin", route_class=AdminRoute)


def _page(request: Request, template: str, operator_csrf: str, **context: Any) -> Response:
    return render(request, f"admin/{template}", admin_csrf=operator_csrf, **context)


def _sign_in_page(
    request: Request, *, error: str | None = None, status_code: int = 200
) -> Response:
    secret = app_state(request).settings.secret
    login = request.cookies.get(ADMIN_LOGIN_COOKIE) or new_login_cookie()
    response = render(
        request,
        "admin/sign_in.html",
        status_code=status_code,
        login_token=login_token(secret, login),
        error=error,
    )
    set_cookie(response, request, ADMIN_LOGIN_COOKIE, login, LOGIN_COOKIE_SECONDS, path=ADMIN_PATH)
    return response


@router.get("")
async def admin_home(_operator: OperatorDep) -> Response:
    return redirect(f"{ADMIN_PATH}/accounts")


@router.get("/sign-in")
async def admin_sign_in_page(request: Request) -> Response:
    admin_token(request)
    if request.cookies.get(ADMIN_COOKIE):
        try:
            await operator_of(request)
        except AdminSignInRequired:
            pass
        else:
            return redirect(f"{ADMIN_PATH}/accounts")
    return _sign_in_page(request)


@router.post("/sign-in")
async def admin_sign_in(request: Request) -> Response:
    expected = admin_token(request)
    secrets = app_state(request).settings.secrets
    secret = secrets[0]
    form = await request.form()
    login = request.cookies.get(ADMIN_LOGIN_COOKIE)
    sent = form.get(CSRF_FIELD)
    if (
        not login
        or not isinstance(sent, str)
        or not token_in(sent, login_tokens(secrets, login))
        or not same_origin(request)
    ):
        raise CsrfRefused("This sign-in form has expired; reload the page and try again.")
    client = request.client.host if request.client else "unknown"
    limit = await app_state(request).rate_limiter.hit(
        f"dashboard-admin-sign-in:{client}", SIGN_IN_RATE
    )
    if limit is not None and not limit.allowed:
        raise RateLimited(f"Too many sign-in attempts; retry in {limit.reset_in()} s.")
    token = form.get("admin_token")
    token = token.strip() if isinstance(token, str) else ""
    if not token or not token_matches(expected, token):
        return _sign_in_page(request, error="That is not the admin token.", status_code=401)
    response = redirect(f"{ADMIN_PATH}/accounts")
    value = seal_key(secret, fingerprint(secret, expected), purpose=ADMIN_PURPOSE)
    set_cookie(response, request, ADMIN_COOKIE, value, SESSION_SECONDS, path=ADMIN_PATH)
    clear_cookie(response, request, ADMIN_LOGIN_COOKIE, path=ADMIN_PATH)
    return response


@router.post("/sign-out")
async def admin_sign_out(request: Request, operator: OperatorDep) -> Response:
    await operator_form(request, operator)
    state = app_state(request)
    cookie = request.cookies.get(ADMIN_COOKIE)
    sealed = unseal_key(state.settings.secrets, cookie, purpose=ADMIN_PURPOSE) if cookie else None
    if cookie is not None and sealed is not None:
        await sign_out_cookie(state.redis, cookie, sealed)
    return to_admin_sign_in(request)


@router.get("/accounts")
async def admin_accounts(
    request: Request,
    operator: OperatorDep,
    db: DbSession,
    after: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    page_after(after, "acct")  # refuses a cursor that is not an account id
    rows = await repository.accounts_page(db, PAGE_SIZE + 1, after)
    has_more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    period = period_of(datetime.now(UTC))
    ids = [row.id for row in rows]
    used = await usage_repository.live_message_counts(db, period.start, period.end, ids)
    sessions = await repository.sessions_of_accounts(db, ids)
    accounts = [
        {
            "row": row,
            "used": used.get(row.id, 0),
            "sessions": sessions.get(row.id, 0),
            "percent": (
                min(100, round(100 * used.get(row.id, 0) / row.messages_per_month))
                if row.messages_per_month
                else None
            ),
        }
        for row in rows
    ]
    return _page(
        request,
        "accounts.html",
        operator.csrf_token,
        accounts=accounts,
        period=period.name,
        next_cursor=rows[-1].id if has_more and rows else None,
    )


@router.get("/hosts")
async def admin_hosts(request: Request, operator: OperatorDep, db: DbSession) -> Response:
    hosts: dict[str, dict[str, Any]] = {}
    for entry in await repository.hosts_by_engine(db):
        host = hosts.setdefault(
            entry.host_id,
            {"engines": [], "sessions": 0, "oldest": entry.oldest, "newest": entry.newest},
        )
        host["engines"].append(entry)
        host["sessions"] += entry.sessions
        host["oldest"] = max(host["oldest"], entry.oldest)
        host["newest"] = min(host["newest"], entry.newest)
    leases = await repository.live_leases(db, LISTED_LEASES)
    settings = app_state(request).settings
    return _page(
        request,
        "hosts.html",
        operator.csrf_token,
        hosts=hosts,
        leases=leases,
        listed_all=len(leases) < LISTED_LEASES,
        capacity=settings.host_capacity,
        web_capacity=settings.web_host_capacity,
        lease_seconds=settings.host_lease_seconds,
    )


@router.get("/queues")
async def admin_queues(request: Request, operator: OperatorDep) -> Response:
    state = app_state(request)
    rows = await metrics.read_state(state.statements, QUERY_TIMEOUT_SECONDS)
    shared = (await metrics.queue_depths(state.redis, []))["shared"]
    per_host = {
        host: (await metrics.queue_depths(state.redis, [host]))["host"]
        for host in sorted(rows.hosts)
    }
    return _page(
        request,
        "queues.html",
        operator.csrf_token,
        shared=shared,
        per_host=per_host,
        outbox_due=dict(sorted(rows.outbox_due.items())),
        outbox_oldest=rows.outbox_oldest,
        sessions=sorted(rows.sessions.items()),
    )


@router.get("/webhooks")
async def admin_webhooks(request: Request, operator: OperatorDep, db: DbSession) -> Response:
    since = datetime.now(UTC) - RECENT_FAILURES
    return _page(
        request,
        "webhooks.html",
        operator.csrf_token,
        endpoints=await repository.failing_endpoints(db, since),
    )


@router.get("/sessions")
async def admin_sessions(request: Request, operator: OperatorDep, db: DbSession) -> Response:
    return _page(
        request,
        "sessions.html",
        operator.csrf_token,
        sessions=await repository.failed_sessions(db),
        limit=repository.LIST_LIMIT,
    )
