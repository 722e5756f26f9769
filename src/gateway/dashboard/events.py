"""The event log page: the account's events, newest first, filtered by type and session, new
ones added live."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.dashboard.pages import DashboardRoute

router = APIRouter(route_class=DashboardRoute)
