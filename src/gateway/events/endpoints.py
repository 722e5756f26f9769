from __future__ import annotations

from fastapi import APIRouter

from gateway.kit.errors import ERROR_RESPONSES
from gateway.kit.routing import TransactionalRoute

router = APIRouter(
    prefix="/events", tags=["Events"], route_class=TransactionalRoute, responses=ERROR_RESPONSES
)
