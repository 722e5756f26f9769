"""The child's ops for contacts and LIDs (groups: ``neonize_directory_groups``).

Each answers the JSON of a record of ``engines.records`` (the host validates it), from
whatsmeow through neonize:

- contacts: whatsmeow's contact store (the address book and push names it synced), with
  the blocklist (asked of WhatsApp) and the LID map of its store;
- ``check_numbers``: a usync query (``is_on_whatsapp``); the LID from the store when it
  knows it;
- ``about``: the profile's status text (``get_user_info``), which also has whatsmeow
  learn the person's LID; ``profile_picture``: ``get_profile_picture``;
- ``block``: ``update_blocklist``, answered with the contact as the new blocklist has it.

A contact the session does not know (not in the store, no LID mapping, not blocked, and
a number not on WhatsApp) is ``contact_not_found``.
"""

from __future__ import annotations

from typing import Any

from gateway.engines.web.clients import ClientError
from gateway.engines.web.neonize_chats import CHAT_OPS
from gateway.engines.web.neonize_directory_groups import GROUP_OPS
from gateway.engines.web.neonize_directory_ids import (
    NO_PICTURE,
    Person,
    bare,
    person_of,
    phone_jid,
    whatsmeow,
)
from gateway.engines.web.neonize_jids import chat_id_of, jid_of
from gateway.engines.web.neonize_ops import NeonizeOp, OpContext

Json = dict[str, Any]


def contact_json(person: Person, info: Any, blocked: set[str]) -> Json:
    """A ``records.Contact``: ``info`` is whatsmeow's ``ContactInfo`` (None: not stored)."""
    return {
        "id": person.id,
        "phone_number": person.phone_number,
        "phone_id": person.phone_id,
        "lid": person.lid_id,
        "name": (info.FullName or info.FirstName or None) if info is not None else None,
        "push_name": (info.PushName or None) if info is not None else None,
        "is_business": bool(info is not None and info.BusinessName),
        "blocked": bool(person.names() & blocked),
    }


def not_found(contact_id: str) -> ClientError:
    return ClientError("contact_not_found", f"The session does not know {contact_id}.")


async def stored_info(client: Any, person: Person) -> Any | None:
    """The contact store's entry for ``person``, under their number or their LID."""
    for jid in (person.phone, person.lid):
        if jid is None:
            continue
        info = await whatsmeow(client.contact.get_contact(jid), "contact_store_failed")
        if info.Found:
            return info
    return None


async def blocked_ids(client: Any) -> set[str]:
    blocklist = await whatsmeow(client.get_blocklist(), "blocklist_failed")
    return {chat_id_of(jid) for jid in blocklist.JIDs}


async def on_whatsapp(client: Any, phone_numbers: list[str]) -> dict[str, Any]:
    """whatsmeow's answer for each number on WhatsApp, by E.164 number."""
    if not phone_numbers:
        return {}
    responses = await whatsmeow(client.is_on_whatsapp(*phone_numbers), "number_check_failed")
    found: dict[str, Any] = {}
    for response in responses:
        digits = "".join(ch for ch in response.Query if ch.isdigit()) or response.JID.User
        if response.IsIn:
            found[f"+{digits}"] = response
    return found


async def known_contact(client: Any, contact_id: str, blocked: set[str]) -> tuple[Person, Any]:
    """The person and their stored info, if the session knows them."""
    person = await person_of(client, jid_of(contact_id))
    info = await stored_info(client, person)
    if info is not None or (person.phone and person.lid) or person.names() & blocked:
        return person, info
    if person.phone_number and person.phone_number in await on_whatsapp(
        client, [person.phone_number]
    ):
        return person, None
    raise not_found(contact_id)


async def contacts(ctx: OpContext, args: Json) -> list[Json]:
    """``{}`` → ``[Contact]``: the store's contacts and the blocked, once each."""
    client = ctx.client
    stored = await whatsmeow(client.contact.get_all_contacts(), "contact_store_failed")
    blocked = await blocked_ids(client)
    found: dict[str, Json] = {}
    for entry in stored:
        person = await person_of(client, entry.JID)
        found.setdefault(person.id, contact_json(person, entry.Info, blocked))
    for blocked_id in sorted(blocked):
        person = await person_of(client, jid_of(blocked_id))
        found.setdefault(person.id, contact_json(person, None, blocked))
    return sorted(found.values(), key=lambda contact: str(contact["id"]))


async def contact(ctx: OpContext, args: Json) -> Json:
    """``{contact_id}`` → ``Contact``."""
    blocked = await blocked_ids(ctx.client)
    person, info = await known_contact(ctx.client, str(args["contact_id"]), blocked)
    return contact_json(person, info, blocked)


async def check_numbers(ctx: OpContext, args: Json) -> list[Json]:
    """``{phone_numbers: [E.164]}`` → ``[NumberCheck]``, in the order given."""
    phones = [str(phone) for phone in args["phone_numbers"]]
    found = await on_whatsapp(ctx.client, phones)
    results = []
    for phone in phones:
        response = found.get(phone)
        if response is None:
            results.append({"input": phone, "phone_number": phone, "on_whatsapp": False,
                            "id": None, "lid": None})  # fmt: skip
            continue
        person = await person_of(ctx.client, response.JID)
        results.append({"input": phone, "phone_number": phone, "on_whatsapp": True,
                        "id": person.phone_id, "lid": person.lid_id})  # fmt: skip
    return results


async def profile_picture(ctx: OpContext, args: Json) -> Json:
    """``{contact_id}`` → ``ProfilePicture``: no URL when there is none or it is hidden."""
    contact_id = str(args["contact_id"])
    known = {words: "no_picture" for words in NO_PICTURE}
    try:
        picture = await whatsmeow(
            ctx.client.get_profile_picture(jid_of(contact_id)), "profile_picture_failed", known
        )
    except ClientError as exc:
        if exc.code != "no_picture":
            raise
        return {"contact_id": contact_id, "url": None}
    return {"contact_id": contact_id, "url": picture.URL or None}


async def about(ctx: OpContext, args: Json) -> Json:
    """``{contact_id}`` → ``ContactAbout``: the profile's status text, None when hidden."""
    contact_id = str(args["contact_id"])
    jid = jid_of(contact_id)
    answers = await whatsmeow(ctx.client.get_user_info(jid), "user_info_failed")
    for answer in answers:
        if chat_id_of(bare(answer.JID)) == contact_id:
            return {"contact_id": contact_id, "about": answer.UserInfo.Status or None}
    raise not_found(contact_id)


async def block(ctx: OpContext, args: Json) -> Json:
    """``{contact_id, blocked}`` → ``Contact``, as the blocklist WhatsApp answers has it."""
    from neonize.utils.enum import BlocklistAction

    client = ctx.client
    person, info = await known_contact(client, str(args["contact_id"]), await blocked_ids(client))
    action = BlocklistAction.BLOCK if args["blocked"] else BlocklistAction.UNBLOCK
    blocklist = await whatsmeow(
        client.update_blocklist(person.phone or person.lid, action), "block_failed"
    )
    return contact_json(person, info, {chat_id_of(jid) for jid in blocklist.JIDs})


async def lid(ctx: OpContext, args: Json) -> Json:
    """``{lid}`` → ``LidMapping``: the number, if whatsmeow's store has seen it."""
    person = await person_of(ctx.client, jid_of(str(args["lid"])))
    return {"lid": str(args["lid"]), "phone_number": person.phone_number,
            "phone_id": person.phone_id}  # fmt: skip


async def lid_by_phone(ctx: OpContext, args: Json) -> Json:
    """``{phone_number}`` → ``LidMapping``. A number whose LID the store lacks is looked
    up: ``contact_not_found`` if not on WhatsApp, else a usync query for the user
    (``get_user_info``, whose answer whatsmeow records the LID from); ``lid_unknown`` if
    WhatsApp did not say it."""
    client, phone = ctx.client, str(args["phone_number"])
    person = await person_of(client, phone_jid(phone))
    if person.lid is None:
        if phone not in await on_whatsapp(client, [phone]):
            raise not_found(phone)
        await whatsmeow(client.get_user_info(phone_jid(phone)), "user_info_failed")
        person = await person_of(client, phone_jid(phone))
        if person.lid is None:
            raise ClientError("lid_unknown", f"WhatsApp did not say the LID of {phone}.")
    return {"lid": person.lid_id, "phone_number": phone, "phone_id": person.phone_id}


CONTACT_OPS: dict[str, NeonizeOp] = {
    "contacts": contacts,
    "contact": contact,
    "check_numbers": check_numbers,
    "profile_picture": profile_picture,
    "about": about,
    "block": block,
    "lid": lid,
    "lid_by_phone": lid_by_phone,
}
OPS: dict[str, NeonizeOp] = {**CONTACT_OPS, **GROUP_OPS, **CHAT_OPS}
