from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.erasure import service
from gateway.erasure.schemas import AccountDeleted, ContactErasure, ContactErasureRequest
from gateway.kit.errors import ERROR_RESPONSES, ErrorEnvelope
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.kit.state import app_state

router = APIRouter(tags=["Data erasure"], route_class=TransactionalRoute, responses=ERROR_RESPONSES)


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorEnvelope, "description": description}


@router.post("/contacts/erase", response_model=ContactErasure)
async def erase_contact(
    body: ContactErasureRequest,
    caller: Annotated[Principal, scoped("contacts", Access.write)],
    db: DbSession,
    request: Request,
) -> ContactErasure:
    """Erase everything the account stores of one person, across all its sessions: the
    messages to and from them (in groups, the ones they sent), their files, the contact
    and chat rows, the events that mention them and those events' webhook deliveries.
    Outbound messages of real sessions are kept for billing, emptied of chat and
    content. Needs a live key that is not restricted to a session."""
    return await service.erase_contact(db, app_state(request).settings, caller, body)


@router.delete(
    "/account",
    response_model=AccountDeleted,
    responses={
        409: _error(
            "Confirm first (`confirmation_required`): the token is in the "
            "`Confirmation-Token` header and the message."
        ),
    },
)
async def delete_account(
    caller: Annotated[Principal, scoped("account", Access.write)],
    db: DbSession,
    request: Request,
    confirm: Annotated[
        str | None,
        Query(
            max_length=80,
            description="The token the first call answered with (valid for ten minutes).",
        ),
    ] = None,
) -> AccountDeleted:
    """Delete the account: every key is revoked and its data erased (sessions are
    stopped and logged out). What accounting needs stays: the account's row (with no
    name or email), usage, billing and the audit log. A Stripe subscription is not
    cancelled by this; cancel it in the customer portal first. Takes two calls: the
    first answers 409 `confirmation_required` with a token to repeat as `confirm`."""
    return await service.delete_account(db, app_state(request).settings, caller, confirm)
