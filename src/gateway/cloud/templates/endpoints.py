from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.cloud.templates import service
from gateway.cloud.templates.schemas import (
    TemplateCreate,
    TemplateDeleted,
    TemplateOut,
    TemplateStatus,
    template_out,
)
from gateway.cloud.templates.service import GraphAccess
from gateway.kit.errors import ERROR_RESPONSES
from gateway.kit.pagination import ListResponse, PageParams, page_of
from gateway.kit.routing import DbSession, TransactionalRoute, request_db, single_statement
from gateway.kit.state import app_state

router = APIRouter(
    prefix="/sessions/{session_id}/templates",
    tags=["Templates"],
    route_class=TransactionalRoute,
    responses={
        **ERROR_RESPONSES,
        501: {"description": "The session's engine has no templates (`engine_unsupported`)."},
        502: {"description": "Meta refused the request (`engine_failure`)."},
        503: {"description": "Meta could not be reached or failed (`engine_unavailable`)."},
    },
)

# Templates are what messages are sent with: the messages scope covers them.
Reader = Annotated[Principal, scoped("messages", Access.read)]
Writer = Annotated[Principal, scoped("messages", Access.write)]
SessionId = Annotated[str, Path(description="The session's id (`ses_…`).", max_length=64)]
TemplateId = Annotated[str, Path(description="The template's id (`tpl_…`).", max_length=64)]


def _access(request: Request) -> GraphAccess:
    state = app_state(request)
    return GraphAccess(state.settings, state.graph_http, state.autocommit_sessionmaker)


@router.get("", response_model=ListResponse[TemplateOut])
async def list_templates(
    request: Request,
    session_id: SessionId,
    caller: Reader,
    db: DbSession,
    page: PageParams,
    status: Annotated[TemplateStatus | None, Query(description="Only this status.")] = None,
    name: Annotated[str | None, Query(max_length=512, description="Only this name.")] = None,
    refresh: Annotated[
        bool, Query(description="Sync from Meta first (the first list of a session always does).")
    ] = False,
) -> ListResponse[TemplateOut]:
    """The message templates of the session's WhatsApp Business Account, newest first."""
    rows = await service.list_templates(
        _access(request), db, caller, session_id, page, status=status, name=name, refresh=refresh
    )
    items, has_more = page_of(rows, page)
    return ListResponse(data=[template_out(row) for row in items], has_more=has_more)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TemplateOut)
@single_statement  # the Idempotency-Key is claimed after Meta answered, not around the call
async def create_template(
    request: Request, session_id: SessionId, body: TemplateCreate, caller: Writer
) -> TemplateOut:
    """Submit a template for Meta's review. It is stored `PENDING`; a `template.status`
    event follows Meta's decision (`APPROVED` or `REJECTED`, with a reason)."""
    row = await service.create_template(
        _access(request), lambda: request_db(request), caller, session_id, body,
        request.state.idempotency,
    )  # fmt: skip
    return template_out(row)


@router.get("/{template_id}", response_model=TemplateOut)
async def retrieve_template(
    session_id: SessionId, template_id: TemplateId, caller: Reader, db: DbSession
) -> TemplateOut:
    return template_out(await service.get_template(db, caller, session_id, template_id))


@router.delete("/{template_id}", response_model=TemplateDeleted)
async def delete_template(
    request: Request, session_id: SessionId, template_id: TemplateId, caller: Writer
) -> TemplateDeleted:
    """Delete the template at Meta (this language only), then here. Meta does not let its
    name be used again for 30 days."""
    deleted = await service.delete_template(
        _access(request), lambda: request_db(request), caller, session_id, template_id
    )
    return TemplateDeleted(id=deleted)
