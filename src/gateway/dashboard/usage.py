"""The usage page: messages per day by status, delivery latency and webhook success, against
the plan's limits.

Every figure is one aggregate statement over the key's reach (its account; for a test-mode
key its sandbox sessions, for a session-restricted key that session), like the API's
lists. The charts are drawn here as inline SVG from those figures (no script, nothing
loaded), each with the table it was drawn from beside it. The plan's figures are
``GET /v1/usage``'s, for the account, as that endpoint shows them to the same scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import Float, and_, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement
from starlette.responses import Response

from gateway.billing import usage as billing_usage
from gateway.dashboard.auth import Visitor, reading
from gateway.dashboard.pages import DashboardRoute, render
from gateway.kit.errors import InvalidRequest
from gateway.kit.routing import DbSession
from gateway.models import Message, Session, WebhookAttempt, WebhookDelivery
from gateway.sessions.repository import Reach
from gateway.sessions.service import reach_of

router = APIRouter(route_class=DashboardRoute)

# The figures are the account's usage: what `GET /v1/usage` shows a key with `account: read`.
UsageReader = Annotated[Visitor, Depends(reading("account"))]

PERIODS = (7, 30, 90)
DEFAULT_DAYS = 30
PERCENTILES = (0.5, 0.95, 0.99)
# Statuses in the order a message moves through them; one the gateway adds later is
# drawn after these.
STATUS_ORDER = (
    "scheduled",
    "queued",
    "sending",
    "sent",
    "delivered",
    "read",
    "played",
    "failed",
    "cancelled",
)
COLOURS = {
    "scheduled": "#8c959f",
    "queued": "#d4a72c",
    "sending": "#bf8700",
    "sent": "#54aeff",
    "delivered": "#1a7f37",
    "read": "#0b5cad",
    "played": "#6639ba",
    "failed": "#b42318",
    "cancelled": "#57606a",
}
OTHER_COLOUR = "#a0a0a0"

# The drawing: a viewBox the SVG scales to its box, with room for the axes' labels.
WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 28


# ---- the statements ----------------------------------------------------------------------


def _day(column: Any) -> ColumnElement[date]:
    return func.date(func.timezone("UTC", column))


def _outbound_in_reach(reach: Reach, start: datetime) -> list[ColumnElement[bool]]:
    where = [
        Message.account_id == reach.account_id,
        Message.direction == "outbound",
        Message.created_at >= start,
    ]
    if reach.session_id is not None:
        where.append(Message.session_id == reach.session_id)
    if reach.sandbox_only:
        where.append(Session.engine == "sandbox")
    return where


async def messages_by_day(
    db: AsyncSession, reach: Reach, start: datetime
) -> Sequence[tuple[date, str, int]]:
    """(UTC day, status, count) of the outbound messages accepted since ``start``, over
    ``ix_messages_outbound_account_id_created_at``."""
    day = _day(Message.created_at)
    stmt = (
        select(day, Message.status, func.count())
        .join(Session, Session.id == Message.session_id)
        .where(*_outbound_in_reach(reach, start))
        .group_by(day, Message.status)
    )
    return [(d, status, int(n)) for d, status, n in (await db.execute(stmt)).all()]


def _seconds(later: Any, earlier: Any) -> ColumnElement[float]:
    return type_coerce(func.extract("epoch", later - earlier), Float)


async def latency_percentiles(
    db: AsyncSession, reach: Reach, start: datetime
) -> dict[str, list[float | None]]:
    """p50/p95/p99 in seconds of queued → sent and sent → delivered, of the outbound
    messages accepted since ``start``. A message is queued when accepted, or at its
    ``send_at`` if scheduled (its wait until then is not latency); messages not sent (or
    not delivered) yet have no duration, which ``percentile_cont`` leaves out."""
    queued_at = func.greatest(Message.created_at, Message.send_at)
    legs = {
        "queued_to_sent": _seconds(Message.sent_at, queued_at),
        "sent_to_delivered": _seconds(Message.delivered_at, Message.sent_at),
    }
    columns = [
        type_coerce(func.percentile_cont(p).within_group(leg), Float)
        for leg in legs.values()
        for p in PERCENTILES
    ]
    stmt = (
        select(*columns, func.count(Message.sent_at), func.count(Message.delivered_at))
        .join(Session, Session.id == Message.session_id)
        .where(*_outbound_in_reach(reach, start))
    )
    row = (await db.execute(stmt)).one()
    n = len(PERCENTILES)
    return {
        "queued_to_sent": list(row[:n]),
        "sent_to_delivered": list(row[n : 2 * n]),
        "counts": [float(row[2 * n]), float(row[2 * n + 1])],
    }


async def webhook_attempts_by_day(
    db: AsyncSession, account_id: str, start: datetime
) -> Sequence[tuple[date, int, int]]:
    """(UTC day, attempts, 2xx answers) of the account's webhook delivery attempts."""
    day = _day(WebhookAttempt.attempted_at)
    succeeded = and_(WebhookAttempt.status_code >= 200, WebhookAttempt.status_code < 300)
    stmt = (
        select(day, func.count(), func.count().filter(succeeded))
        .join(WebhookDelivery, WebhookDelivery.id == WebhookAttempt.delivery_id)
        .where(WebhookDelivery.account_id == account_id, WebhookAttempt.attempted_at >= start)
        .group_by(day)
    )
    return [(d, int(n), int(ok)) for d, n, ok in (await db.execute(stmt)).all()]


# ---- the drawings ------------------------------------------------------------------------


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


@dataclass
class Chart:
    """What a template draws: bars, the y axis's ticks, the x axis's labels."""

    bars: list[Bar] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: float = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 times 10^k not below ``value``: a round top for the axis."""
    if value <= 0:
        return 1
    step = 1.0
    while step * 10 <= value:
        step *= 10
    while step > value:  # below 1: latencies of a few milliseconds
        step /= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def _plot_height() -> float:
    return HEIGHT - TOP - BOTTOM


def _day_axis(chart: Chart, days: list[date], slot: float) -> None:
    every = max(1, len(days) // 8)
    for i, d in enumerate(days):
        if i % every == 0:
            chart.x_labels.append((LEFT + slot * (i + 0.5), d.strftime("%m-%d")))


def _y_axis(chart: Chart, top: float, unit: str = "") -> None:
    for fraction in (0, 0.5, 1):
        value = top * fraction
        text = f"{value:g}{unit}"
        chart.y_ticks.append((HEIGHT - BOTTOM - _plot_height() * fraction, text))


def stacked_days(
    days: list[date], counts: dict[date, dict[str, int]], statuses: list[str]
) -> Chart:
    chart = Chart()
    top = _nice_ceiling(max((sum(counts.get(d, {}).values()) for d in days), default=0))
    slot = (WIDTH - LEFT - RIGHT) / len(days)
    for i, d in enumerate(days):
        y: float = HEIGHT - BOTTOM
        for status in statuses:
            n = counts.get(d, {}).get(status, 0)
            if not n:
                continue
            h = _plot_height() * n / top
            y -= h
            chart.bars.append(
                Bar(
                    LEFT + slot * i + slot * 0.1,
                    y,
                    slot * 0.8,
                    h,
                    COLOURS.get(status, OTHER_COLOUR),
                    f"{d.isoformat()}: {n} {status}",
                )
            )
    _y_axis(chart, top)
    _day_axis(chart, days, slot)
    return chart


def rate_days(days: list[date], rates: dict[date, tuple[int, int]]) -> Chart:
    chart = Chart()
    slot = (WIDTH - LEFT - RIGHT) / len(days)
    for i, d in enumerate(days):
        attempts, ok = rates.get(d, (0, 0))
        if not attempts:
            continue
        percent = 100 * ok / attempts
        h = max(1.0, _plot_height() * percent / 100)
        colour = COLOURS["delivered"] if percent >= 99 else COLOURS["failed"]
        chart.bars.append(
            Bar(
                LEFT + slot * i + slot * 0.1,
                HEIGHT - BOTTOM - h,
                slot * 0.8,
                h,
                colour,
                f"{d.isoformat()}: {percent:.1f} % of {attempts} attempts succeeded",
            )
        )
    _y_axis(chart, 100, " %")
    _day_axis(chart, days, slot)
    return chart


def latency_bars(latency: dict[str, list[float | None]]) -> Chart:
    """Six bars: p50, p95, p99 of each leg, side by side, on a shared axis in seconds."""
    chart = Chart()
    values = [v for leg in ("queued_to_sent", "sent_to_delivered") for v in latency[leg]]
    top = _nice_ceiling(max((v for v in values if v is not None), default=0.0))
    slot = (WIDTH - LEFT - RIGHT) / 7  # two groups of three, a gap between them
    shades = ("#54aeff", "#0b5cad", "#06335f")
    for g, leg in enumerate(("queued_to_sent", "sent_to_delivered")):
        for i, (p, value) in enumerate(zip(PERCENTILES, latency[leg], strict=True)):
            x = LEFT + slot * (g * 4 + i)
            name = f"p{round(p * 100)}"
            chart.x_labels.append((x + slot / 2, name))
            if value is None:
                continue
            h = max(1.0, _plot_height() * value / top)
            chart.bars.append(
                Bar(
                    x + slot * 0.1,
                    HEIGHT - BOTTOM - h,
                    slot * 0.8,
                    h,
                    shades[i],
                    f"{LEG_NAMES[leg]} {name}: {duration(value)}",
                )
            )
    _y_axis(chart, top, " s")
    return chart


LEG_NAMES = {"queued_to_sent": "Queued → sent", "sent_to_delivered": "Sent → delivered"}


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


# ---- the page ----------------------------------------------------------------------------


@router.get("/usage")
async def usage_page(
    request: Request,
    visitor: UsageReader,
    db: DbSession,
    days: Annotated[str | None, Query(max_length=4)] = None,
) -> Response:
    period = int(days) if days and days.isdigit() else (DEFAULT_DAYS if days is None else -1)
    if period not in PERIODS:
        raise InvalidRequest(f"Invalid days: one of {', '.join(map(str, PERIODS))}.", param="days")
    today = datetime.now(UTC).date()
    first = today - timedelta(days=period - 1)
    start = datetime.combine(first, time(), tzinfo=UTC)
    day_list = [first + timedelta(days=i) for i in range(period)]
    reach = reach_of(visitor.principal)

    counts: dict[date, dict[str, int]] = {}
    seen: set[str] = set()
    for d, status, n in await messages_by_day(db, reach, start):
        counts.setdefault(d, {})[status] = n
        seen.add(status)
    statuses = [s for s in STATUS_ORDER if s in seen] + sorted(seen - set(STATUS_ORDER))
    latency = await latency_percentiles(db, reach, start)
    # Deliveries are the account's, not a session's: a session-restricted key sees none.
    webhooks = None
    if reach.session_id is None:
        rates = {
            d: (n, ok) for d, n, ok in await webhook_attempts_by_day(db, reach.account_id, start)
        }
        webhooks = {"chart": rate_days(day_list, rates), "rows": rates}
    plan = await billing_usage.account_usage(db, reach.account_id)
    return render(
        request,
        "usage.html",
        days=period,
        periods=PERIODS,
        day_list=list(reversed(day_list)),
        counts=counts,
        statuses=statuses,
        colours={s: COLOURS.get(s, OTHER_COLOUR) for s in statuses},
        messages_chart=stacked_days(day_list, counts, statuses),
        total=sum(sum(c.values()) for c in counts.values()),
        latency=latency,
        latency_chart=latency_bars(latency),
        leg_names=LEG_NAMES,
        percentiles=[f"p{round(p * 100)}" for p in PERCENTILES],
        duration=duration,
        webhooks=webhooks,
        plan=plan,
    )
