"""The dashboard's routes, none of them operations of the API (no OpenAPI entries)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from gateway.dashboard import admin, api_keys, events, sessions, sign_in, stream, usage, webhooks
from gateway.dashboard.auth import PATH
from gateway.dashboard.pages import ASSETS, DashboardRoute, asset, error_page, redirect
from gateway.kit.errors import NotFound

router = APIRouter(prefix="/dashboard", include_in_schema=False, route_class=DashboardRoute)
for pages in (
    sign_in.router,
    sessions.router,
    events.router,
    webhooks.router,
    api_keys.router,
    usage.router,
    admin.router,
    stream.router,
):
    router.include_router(pages)


@router.get("")
async def dashboard_home() -> Response:
    return redirect(f"{PATH}/sessions")


@router.get("/static/{name}")
async def dashboard_asset(name: str, request: Request) -> Response:
    if name not in ASSETS:
        return error_page(request, NotFound("file", name))
    found = asset(name)
    # Revalidated by ETag; pages name the asset with its version, so a new one is loaded
    # at once after an upgrade.
    headers = {
        "ETag": found.etag,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    if found.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)


# Last: any other address under /dashboard is a page that does not exist.
@router.api_route("/{rest:path}", methods=["GET", "POST"])
async def dashboard_not_found(rest: str, request: Request) -> Response:
    return error_page(request, NotFound("page", f"/dashboard/{rest[:100]}"))
