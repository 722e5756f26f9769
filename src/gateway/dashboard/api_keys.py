"""The API keys page: the account's keys, creating one (its secret shown once), revoking.
The API's rules hold as they are the API's service functions: a key cannot grant more
than it has, a test key cannot make live keys, a session-restricted key makes keys
restricted to its session."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from gateway.api_keys import service
from gateway.api_keys.schemas import ApiKeyCreate
from gateway.auth.scopes import RESOURCES, Access
from gateway.dashboard.auth import PATH, KeysReader, KeysWriter, Visitor
from gateway.dashboard.forms import abandon, page_after, parse
from gateway.dashboard.pages import DashboardRoute, redirect, render
from gateway.kit.errors import GatewayError
from gateway.kit.pagination import page_of
from gateway.kit.routing import DbSession
from gateway.kit.state import app_state
from gateway.models import ApiKey

router = APIRouter(route_class=DashboardRoute)

KeyId = Annotated[str, Path(max_length=64)]
NOTICES = {"revoked": "Key revoked: every API process refuses it within a second."}
ACCESS_LEVELS = [a.value for a in Access]


async def _keys_page(
    request: Request,
    db: AsyncSession,
    visitor: Visitor,
    *,
    after: str | None = None,
    status_code: int = 200,
    created: tuple[ApiKey, str] | None = None,
    error: GatewayError | None = None,
    form: dict[str, Any] | None = None,
    notice: str | None = None,
) -> Response:
    page = page_after(after, "key")
    reach = service.reach_of(visitor.principal)
    keys, has_more = page_of(await service.list_keys(db, reach, page), page)
    principal = visitor.principal
    return render(
        request,
        "api_keys.html",
        status_code=status_code,
        keys=keys,
        next_cursor=keys[-1].id if has_more and keys else None,
        resources=RESOURCES,
        access_levels=ACCESS_LEVELS,
        modes=["test"] if principal.is_test else ["live", "test"],
        can_write=visitor.can("api_keys", Access.write),
        created=created,
        error=error,
        form=form or {"name": "", "mode": principal.mode, "scopes": dict(principal.scopes)},
        notice=notice,
    )


@router.get("/api-keys")
async def api_keys_page(
    request: Request,
    visitor: KeysReader,
    db: DbSession,
    after: Annotated[str | None, Query(max_length=64)] = None,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return await _keys_page(request, db, visitor, after=after, notice=NOTICES.get(done or ""))


@router.post("/api-keys")
async def create_api_key(request: Request, submitted: KeysWriter, db: DbSession) -> Response:
    scopes = {r: submitted.text(f"scope_{r}") or Access.none.value for r in RESOURCES}
    form = {
        "name": submitted.text("name"),
        "mode": submitted.text("mode"),
        "session_id": submitted.text("session_id"),
        "scopes": scopes,
    }
    principal = submitted.principal
    try:
        body = parse(
            ApiKeyCreate,
            {
                "name": form["name"] or "API key",
                "mode": form["mode"] or None,
                "scopes": scopes,
                "session_id": form["session_id"] or principal.session_id,
            },
        )
        created = await service.create_key_as(
            db, principal, settings=app_state(request).settings, name=body.name,
            mode=body.mode, scopes=body.scopes, session_id=body.session_id, rate_limit=None,
        )  # fmt: skip
    except GatewayError as exc:
        await abandon(db)
        return await _keys_page(
            request, db, submitted.visitor, status_code=exc.status_code, error=exc, form=form
        )
    # The secret is on this page only: it is never stored, and is not carried to another
    # page in a cookie or an address.
    return await _keys_page(request, db, submitted.visitor, status_code=201, created=created)


@router.post("/api-keys/{key_id}/revoke")
async def revoke_api_key(key_id: KeyId, submitted: KeysWriter, db: DbSession) -> Response:
    await service.revoke_key(db, service.reach_of(submitted.principal), key_id)
    return redirect(f"{PATH}/api-keys?done=revoked")
