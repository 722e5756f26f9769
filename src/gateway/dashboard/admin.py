"""The operator's view at /dashboard/admin, signed in with the admin token: accounts, engine
hosts, queues, failing endpoints and sessions."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.dashboard.pages import DashboardRoute

router = APIRouter(route_class=DashboardRoute)
