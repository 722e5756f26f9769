"""The sandbox phone's contacts: the virtual directory, plus what the phone learnt of
other numbers (who wrote to it, which LIDs hide which numbers, whom it blocked)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.engines.records import Contact, ContactAbout, LidMapping, NumberCheck, ProfilePicture
from gateway.engines.sandbox import directory
from gateway.engines.sandbox.core import SandboxCore
from gateway.kit.errors import NotFound
from gateway.kit.phone import whatsapp_id
from gateway.models import SandboxContact
from gateway.sandbox import network_repository as network


@dataclass(frozen=True)
class KnownNumber:
    """What the session knows of one number on WhatsApp."""

    phone_number: str
    lid: str
    # Whether the session knows which number is behind the LID (and so the LID of the
    # number): LID-only contacts hide it until the session checks the number.
    mapped: bool
    entry: directory.VirtualContact | None
    push_name: str | None = None
    blocked: bool = False

    def contact(self, *, by_phone: bool = False, by_lid: bool = False) -> Contact:
        """The contact as the session sees it; asking by phone shows the phone, asking by
        LID shows the LID, whatever the session knows of the other."""
        show_phone = self.mapped or by_phone
        show_lid = self.mapped or by_lid or not show_phone
        phone_id = whatsapp_id(self.phone_number)
        return Contact(
            id=phone_id if show_phone else self.lid,
            phone_number=self.phone_number if show_phone else None,
            phone_id=phone_id if show_phone else None,
            lid=self.lid if show_lid else None,
            name=self.entry.name if self.entry is not None and show_phone else None,
            push_name=self.push_name or (self.entry.push_name if self.entry else None),
            is_business=self.entry.is_business if self.entry else False,
            blocked=self.blocked,
        )


def known_number(phone_number: str, row: SandboxContact | None) -> KnownNumber:
    entry = directory.BY_PHONE.get(phone_number)
    if row is not None:
        mapped = row.phone_known or (entry is not None and not entry.lid_only)
        return KnownNumber(phone_number, row.lid, mapped, entry, row.push_name, row.blocked)
    lid = entry.lid if entry is not None else directory.lid_of(phone_number)
    return KnownNumber(phone_number, lid, entry is None or not entry.lid_only, entry)


async def resolve(db: AsyncSession, session_id: str, contact_id: str) -> KnownNumber | None:
    """The number behind a phone-number id or LID; None if not on WhatsApp or unknown."""
    if contact_id.endswith("@lid"):
        row = await network.contact_by_lid(db, session_id, contact_id)
        if row is not None:
            return known_number(row.phone_number, row)
        entry = directory.BY_LID.get(contact_id)
        if entry is None:
            return None
        return known_number(entry.phone_number, None)
    phone = directory.phone_of_id(contact_id)
    if phone is None or not directory.on_whatsapp(phone):
        return None
    return known_number(phone, await network.contact_by_phone(db, session_id, phone))


class SandboxContacts(SandboxCore):
    async def _known(self, db: AsyncSession, contact_id: str) -> KnownNumber:
        known = await resolve(db, self.session.id, contact_id)
        if known is None:
            raise NotFound("contact", contact_id, param="contact_id")
        return known

    async def contacts(self) -> list[Contact]:
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            rows = {r.phone_number: r for r in await network.contacts_of(db, self.session.id)}
        phones = {c.phone_number for c in directory.DIRECTORY if c.on_whatsapp} | set(rows)
        return [known_number(p, rows.get(p)).contact() for p in sorted(phones)]

    async def contact(self, contact_id: str) -> Contact:
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            known = await self._known(db, contact_id)
        return known.contact(
            by_phone=contact_id.endswith("@c.us"), by_lid=contact_id.endswith("@lid")
        )

    async def check_numbers(self, phone_numbers: list[str]) -> list[NumberCheck]:
        """Checking a number tells the phone its LID, as WhatsApp's lookup does."""
        await self._check_linked()
        results = []
        async with self.resources.sessionmaker() as db:
            for phone in phone_numbers:
                if not directory.on_whatsapp(phone):
                    results.append(NumberCheck(input=phone, phone_number=phone,
                                               on_whatsapp=False, id=None, lid=None))  # fmt: skip
                    continue
                known = await self._learn_lid(db, phone)
                results.append(NumberCheck(input=phone, phone_number=phone, on_whatsapp=True,
                                           id=whatsapp_id(phone), lid=known.lid))  # fmt: skip
            await db.commit()
        return results

    async def _learn_lid(self, db: AsyncSession, phone: str) -> KnownNumber:
        known = known_number(phone, await network.contact_by_phone(db, self.session.id, phone))
        await network.remember_contact(db, self.session.id, phone, known.lid, phone_known=True)
        return known

    async def profile_picture(self, contact_id: str) -> ProfilePicture:
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            known = await self._known(db, contact_id)
        hidden = known.entry is not None and not known.entry.has_picture
        url = None if hidden else directory.picture_url(known.phone_number)
        return ProfilePicture(contact_id=contact_id, url=url)

    async def about(self, contact_id: str) -> ContactAbout:
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            known = await self._known(db, contact_id)
        about = known.entry.about if known.entry is not None else directory.DEFAULT_ABOUT
        return ContactAbout(contact_id=contact_id, about=about)

    async def block(self, contact_id: str, blocked: bool) -> Contact:
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            known = await self._known(db, contact_id)
            await network.remember_contact(
                db, self.session.id, known.phone_number, known.lid, blocked=blocked
            )
            await db.commit()
            known = await self._known(db, contact_id)
        return known.contact(
            by_phone=contact_id.endswith("@c.us"), by_lid=contact_id.endswith("@lid")
        )

    async def lid(self, lid: str) -> LidMapping:
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            known = await resolve(db, self.session.id, lid)
        if known is None or not known.mapped:
            return LidMapping(lid=lid, phone_number=None, phone_id=None)
        return LidMapping(
            lid=lid, phone_number=known.phone_number, phone_id=whatsapp_id(known.phone_number)
        )

    async def lid_by_phone(self, phone_number: str) -> LidMapping:
        await self._check_linked()
        if not directory.on_whatsapp(phone_number):
            raise NotFound("contact", phone_number, param="phone_number")
        async with self.resources.sessionmaker() as db:
            known = await self._learn_lid(db, phone_number)
            await db.commit()
        return LidMapping(
            lid=known.lid, phone_number=phone_number, phone_id=whatsapp_id(phone_number)
        )
