"""The usage page: messages per day by status, delivery latency and webhook success, against
the plan's limits."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.dashboard.pages import DashboardRoute

router = APIRouter(route_class=DashboardRoute)
