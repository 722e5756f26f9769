"""The sandbox's virtual directory: people every sandbox phone has in its address book,
and the rules for every other number (on WhatsApp, with a LID derived from the number).

Like the magic numbers, the entries are fixed and documented, so tests and examples can
rely on them: some hide their number behind a LID, some are not on WhatsApp at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from gateway.kit.phone import whatsapp_id

DEFAULT_ABOUT = "Hey there! I am using WhatsApp."
PICTURE_BASE_URL = "https://sandbox.gateway.invalid/pictures"


def lid_of(phone_number: str) -> str:
    """The LID the network gives a number: stable, 15 digits, unrelated to the number."""
    digest = hashlib.sha256(f"sandbox-lid:{phone_number}".encode()).digest()
    return f"{10**14 + int.from_bytes(digest[:8], 'big') % (9 * 10**14)}@lid"


@dataclass(frozen=True)
class VirtualContact:
    phone_number: str
    name: str
    push_name: str | None = None
    on_whatsapp: bool = True
    # The number stays hidden behind the LID until the session learns it (by checking
    # the number, or looking its LID up by phone).
    lid_only: bool = False
    about: str | None = DEFAULT_ABOUT
    has_picture: bool = True
    is_business: bool = False

    @property
    def lid(self) -> str:
        return lid_of(self.phone_number)


DIRECTORY: tuple[VirtualContact, ...] = (
    VirtualContact("+12025550101", "Nobody (not on WhatsApp)", on_whatsapp=False),
    VirtualContact("+12025550102", "Nora (never reads)", "Nora"),
    VirtualContact("+12025550103", "Frank (fails twice)", "Frank"),
    VirtualContact("+12025550104", "Lou (logs the session out)", "Lou"),
    VirtualContact(
        "+12025550105", "Echo", "Echo", about="I repeat what you say.", is_business=True
    ),
    VirtualContact("+12025550111", "Ada Lovelace", "Ada"),
    VirtualContact("+12025550112", "Grace Hopper", "Grace"),
    VirtualContact("+12025550113", "Alan Turing", "Alan"),
    VirtualContact("+12025550114", "Katherine Johnson", "Katherine", about=None, has_picture=False),
    VirtualContact("+12025550121", "Lin (LID only)", "Lin", lid_only=True),
    VirtualContact("+12025550122", "Lee (LID only)", "Lee", lid_only=True),
    VirtualContact("+12025550131", "Paul (no WhatsApp)", on_whatsapp=False),
    VirtualContact("+12025550132", "Petra (no WhatsApp)", on_whatsapp=False),
)
BY_PHONE = {c.phone_number: c for c in DIRECTORY}
BY_LID = {c.lid: c for c in DIRECTORY}


def on_whatsapp(phone_number: str) -> bool:
    """Every valid number is on WhatsApp except the directory's entries that say not."""
    entry = BY_PHONE.get(phone_number)
    return entry is None or entry.on_whatsapp


def phone_of_id(contact_id: str) -> str | None:
    """The E.164 number of a phone-number id (``…@c.us``); None for anything else."""
    user, _, server = contact_id.partition("@")
    return f"+{user}" if server == "c.us" and user.isdigit() else None


def name_of_id(contact_id: str) -> str | None:
    """The directory's name for a phone-number id, if it has the number."""
    phone = phone_of_id(contact_id)
    entry = BY_PHONE.get(phone) if phone else None
    return entry.name if entry is not None else None


def picture_url(phone_number: str) -> str:
    return f"{PICTURE_BASE_URL}/{whatsapp_id(phone_number).split('@')[0]}.jpg"
