"""The dashboard's routes, none of them operations of the API (no OpenAPI entries)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/dashboard", include_in_schema=False)
