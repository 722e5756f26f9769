"""The webhook endpoints pages: endpoints, their deliveries and each attempt, retry and
recover."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.dashboard.pages import DashboardRoute

router = APIRouter(route_class=DashboardRoute)
