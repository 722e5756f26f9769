from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from gateway.auth.dependencies import scoped
from gateway.auth.principal import Principal
from gateway.auth.scopes import Access
from gateway.contacts import service
from gateway.contacts.schemas import NumberCheckList, NumberCheckRequest
from gateway.engines.records import Contact, ContactAbout, LidMapping, ProfilePicture
from gateway.kit.errors import ENGINE_RESPONSES, ERROR_RESPONSES
from gateway.kit.pagination import ListResponse, PageParams
from gateway.kit.routing import DbSession, TransactionalRoute
from gateway.kit.state import RedisDep, app_state

router = APIRouter(
    prefix="/sessions/{session_id}",
    tags=["Contacts"],
    route_class=TransactionalRoute,
    responses={**ERROR_RESPONSES, **ENGINE_RESPONSES},
)

Reader = Annotated[Principal, scoped("contacts", Access.read)]
Writer = Annotated[Principal, scoped("contacts", Access.write)]
SessionId = Annotated[str, Path(description="The session's id (`ses_…`).", max_length=64)]
ContactId = Annotated[
    str,
    Path(
        description="A phone number (`+12025550111`), a phone-number id (`…@c.us`) or a "
        "LID (`…@lid`).",
        max_length=64,
    ),
]


@router.get("/contacts", response_model=ListResponse[Contact])
async def list_contacts(
    redis: RedisDep,
    session_id: SessionId,
    caller: Reader,
    db: DbSession,
    page: PageParams,
    q: Annotated[
        str | None,
        Query(max_length=100, description="Search: part of a name, or digits of a number."),
    ] = None,
) -> ListResponse[Contact]:
    """The session's contacts (the phone's address book and the people it met), ordered
    by id. Each carries its phone-number id and its LID, as far as the session knows them."""
    items, has_more = await service.list_contacts(db, redis, caller, session_id, page, q)
    return ListResponse(data=items, has_more=has_more)


@router.post("/contacts/check", response_model=NumberCheckList)
async def check_contact_numbers(
    request: Request, session_id: SessionId, body: NumberCheckRequest, caller: Reader, db: DbSession
) -> NumberCheckList:
    """Which of up to 50 numbers are on WhatsApp, with their ids and LIDs. A malformed
    number is reported in its own result. Lookups are limited per session (see
    `number_check_rate_limited`), because bulk lookups get numbers banned."""
    state = app_state(request)
    results = await service.check_numbers(
        db, state.redis, state.rate_limiter, state.settings, caller, session_id, body.numbers
    )
    return NumberCheckList(data=results)


@router.get("/contacts/{contact_id}", response_model=Contact)
async def retrieve_contact(
    redis: RedisDep, session_id: SessionId, contact_id: ContactId, caller: Reader, db: DbSession
) -> Contact:
    return await service.get_contact(db, redis, caller, session_id, contact_id)


@router.get("/contacts/{contact_id}/picture", response_model=ProfilePicture)
async def retrieve_contact_picture(
    redis: RedisDep, session_id: SessionId, contact_id: ContactId, caller: Reader, db: DbSession
) -> ProfilePicture:
    """The contact's profile picture URL (null when there is none or it is hidden)."""
    return await service.profile_picture(db, redis, caller, session_id, contact_id)


@router.get("/contacts/{contact_id}/about", response_model=ContactAbout)
async def retrieve_contact_about(
    redis: RedisDep, session_id: SessionId, contact_id: ContactId, caller: Reader, db: DbSession
) -> ContactAbout:
    """The contact's about text (null when hidden)."""
    return await service.about(db, redis, caller, session_id, contact_id)


@router.post("/contacts/{contact_id}/block", response_model=Contact)
async def block_contact(
    redis: RedisDep, session_id: SessionId, contact_id: ContactId, caller: Writer, db: DbSession
) -> Contact:
    """Block the contact: their messages and calls no longer reach the session."""
    return await service.block(db, redis, caller, session_id, contact_id, True)


@router.post("/contacts/{contact_id}/unblock", response_model=Contact)
async def unblock_contact(
    redis: RedisDep, session_id: SessionId, contact_id: ContactId, caller: Writer, db: DbSession
) -> Contact:
    return await service.block(db, redis, caller, session_id, contact_id, False)


@router.get("/lids/by-phone/{phone_number}", response_model=LidMapping)
async def retrieve_lid_by_phone(
    redis: RedisDep,
    session_id: SessionId,
    phone_number: Annotated[str, Path(max_length=32, description="E.164, e.g. `+12025550121`.")],
    caller: Reader,
    db: DbSession,
) -> LidMapping:
    """The LID behind a phone number (404 when the number is not on WhatsApp). Once
    looked up, messages from that LID carry the number too."""
    return await service.lid_by_phone(db, redis, caller, session_id, phone_number)


@router.get("/lids/{lid}", response_model=LidMapping)
async def retrieve_lid(
    redis: RedisDep,
    session_id: SessionId,
    lid: Annotated[str, Path(max_length=64, description="A LID (`184467440737095@lid`).")],
    caller: Reader,
    db: DbSession,
) -> LidMapping:
    """The phone number behind a LID: `phone_number` is null while the session does not
    know it (a LID-only sender whose number it never looked up)."""
    return await service.lid(db, redis, caller, session_id, lid)
