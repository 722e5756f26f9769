"""Contacts and LIDs: questions to the session's engine, asked through the host that runs
the session. Numbers are normalised here, so engines see only valid ids."""

from __future__ import annotations

from typing import Any

from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit import service as audit
from gateway.auth.principal import Principal
from gateway.config import Settings
from gateway.engines.base import Capability
from gateway.engines.records import (
    Contact,
    ContactAbout,
    LidMapping,
    NumberCheck,
    NumberCheckError,
    ProfilePicture,
)
from gateway.kit.errors import InvalidRequest, RateLimited
from gateway.kit.pagination import Page, page_of_list
from gateway.kit.phone import normalise_contact_id, normalise_phone
from gateway.kit.routing import release
from gateway.ratelimit.service import RateLimiter
from gateway.sessions.service import ask_engine, call_engine, engine_for

_LID_SUFFIX = "@lid"


async def list_contacts(
    db: AsyncSession,
    redis: ArqRedis,
    caller: Principal,
    session_id: str,
    page: Page,
    query: str | None,
) -> tuple[list[Contact], bool]:
    found = await call_engine(db, redis, caller, session_id, Capability.contacts, "contacts")
    contacts = sorted((Contact.model_validate(c) for c in found), key=lambda c: c.id)
    if query:
        contacts = [c for c in contacts if _matches(c, query)]
    return page_of_list(contacts, lambda c: c.id, page)


def _matches(contact: Contact, query: str) -> bool:
    """Search by name (any part, any case) or by number (digits anywhere in it)."""
    needle = query.strip().casefold()
    names = (contact.name or "", contact.push_name or "")
    if any(needle in name.casefold() for name in names):
        return True
    digits = "".join(ch for ch in needle if ch.isdigit())
    ids = (contact.phone_number or "", contact.lid or "")
    return bool(digits) and any(digits in value for value in ids)


async def get_contact(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, contact_id: str
) -> Contact:
    found = await _ask(db, redis, caller, session_id, Capability.contacts, "contact", contact_id)
    return Contact.model_validate(found)


async def profile_picture(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, contact_id: str
) -> ProfilePicture:
    found = await _ask(
        db, redis, caller, session_id, Capability.contact_profile, "profile_picture", contact_id
    )
    return ProfilePicture.model_validate(found)


async def about(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, contact_id: str
) -> ContactAbout:
    found = await _ask(
        db, redis, caller, session_id, Capability.contact_profile, "about", contact_id
    )
    return ContactAbout.model_validate(found)


async def block(
    db: AsyncSession,
    redis: ArqRedis,
    caller: Principal,
    session_id: str,
    contact_id: str,
    blocked: bool,
) -> Contact:
    found = await _ask(
        db, redis, caller, session_id, Capability.contacts_block, "block", contact_id,
        blocked=blocked,
    )  # fmt: skip
    contact = Contact.model_validate(found)
    audit.record(
        db, "contact.blocked" if blocked else "contact.unblocked", "contact",
        audit.personal(db, contact.id),
        changes={"session_id": session_id},
    )  # fmt: skip
    return contact


async def _ask(
    db: AsyncSession,
    redis: ArqRedis,
    caller: Principal,
    session_id: str,
    capability: Capability,
    operation: str,
    contact_id: str,
    **kwargs: Any,
) -> Any:
    contact = normalise_contact_id(contact_id)
    return await call_engine(
        db, redis, caller, session_id, capability, operation, contact_id=contact, **kwargs
    )


async def check_numbers(
    db: AsyncSession,
    redis: ArqRedis,
    limiter: RateLimiter,
    settings: Settings,
    caller: Principal,
    session_id: str,
    numbers: list[str],
) -> list[NumberCheck]:
    """Which numbers are on WhatsApp. Malformed ones fail alone; the valid ones count
    against the session's lookup budget, since bulk lookups are what gets numbers banned."""
    # Checked first, so a session that cannot answer spends none of its budget.
    session, host_id = await engine_for(db, caller, session_id, Capability.contacts_check)
    valid: dict[int, str] = {}
    results: dict[int, NumberCheck] = {}
    for index, number in enumerate(numbers):
        try:
            valid[index] = normalise_phone(number, param=f"numbers.{index}")
        except InvalidRequest as exc:
            results[index] = NumberCheck(
                input=number, phone_number=None, on_whatsapp=None, id=None, lid=None,
                error=NumberCheckError(code="invalid_phone_number", message=exc.message),
            )  # fmt: skip
    unique = list(dict.fromkeys(valid.values()))
    if unique:
        await _spend_lookup_budget(limiter, settings, session.id, len(unique))
        await release(db)
        found = await ask_engine(redis, session, host_id, "check_numbers", phone_numbers=unique)
        by_phone = {r["phone_number"]: r for r in found}
        for index, phone in valid.items():
            results[index] = NumberCheck.model_validate(
                {**by_phone[phone], "input": numbers[index]}
            )
    return [results[index] for index in range(len(numbers))]


async def _spend_lookup_budget(
    limiter: RateLimiter, settings: Settings, session_id: str, count: int
) -> None:
    rate = settings.number_check_rate_limit
    state = await limiter.hit(f"number-check:{session_id}", rate, cost=count)
    if state is not None and not state.allowed:
        raise RateLimited(
            f"This session has looked up too many numbers (limit {rate}); "
            f"retry in {state.reset_in()} s.",
            code="number_check_rate_limited",
            headers={"Retry-After": str(state.reset_in())},
        )


async def lid(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, lid: str
) -> LidMapping:
    value = lid.strip()
    value = normalise_contact_id(value if "@" in value else value + _LID_SUFFIX, param="lid")
    if not value.endswith(_LID_SUFFIX):
        raise InvalidRequest(f"Invalid lid '{lid}': use <digits>@lid.", param="lid")
    found = await call_engine(db, redis, caller, session_id, Capability.lids, "lid", lid=value)
    return LidMapping.model_validate(found)


async def lid_by_phone(
    db: AsyncSession, redis: ArqRedis, caller: Principal, session_id: str, phone_number: str
) -> LidMapping:
    phone = normalise_phone(phone_number, param="phone_number")
    found = await call_engine(
        db, redis, caller, session_id, Capability.lids, "lid_by_phone", phone_number=phone
    )
    return LidMapping.model_validate(found)
