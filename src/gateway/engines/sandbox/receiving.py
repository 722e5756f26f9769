"""How a sandbox session receives: the messages, presences and group changes the
simulated network holds for it, taken when the engine is poked (or swept) and reported."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.engines.base import InboundMedia, InboundMessage
from gateway.engines.records import GroupChange, PresenceUpdate
from gateway.engines.sandbox import directory
from gateway.engines.sandbox.chats import record_message
from gateway.engines.sandbox.contacts import known_number
from gateway.engines.sandbox.core import SandboxCore
from gateway.engines.sandbox.groups import group_change_of
from gateway.kit.phone import whatsapp_id
from gateway.kit.time import utcnow
from gateway.sandbox import network_repository as network
from gateway.sandbox import repository


def notification_key(inbound_id: str) -> str:
    """The key of the notification an inbound row brings: the row's id, the same every
    time the row is taken."""
    return f"sandbox:{inbound_id}"


class SandboxReceiving(SandboxCore):
    async def _receive_waiting_messages(self) -> None:
        async with self.resources.sessionmaker() as db:
            waiting = [
                (row.id, row.payload) for row in await repository.take_inbound(db, self.session.id)
            ]
            received = [
                (inbound_id, payload, await self._arrival(db, inbound_id, payload))
                for inbound_id, payload in waiting
            ]
            await db.commit()  # what the phone learnt of the senders
        # Marked received only once all are reported: a host that stops in between reports
        # them again, each with its row's id as the notification's key (and messages with
        # it as their engine id), so every one still makes one event.
        for inbound_id, _, arrival in received:
            key = notification_key(inbound_id)
            if isinstance(arrival, PresenceUpdate):
                await self.events.presence(arrival, key=key)
            elif isinstance(arrival, GroupChange):
                await self.events.group_changed(arrival, key=key)
            elif arrival is not None:
                await self.events.message_received(arrival)
        if waiting:
            async with self.resources.sessionmaker() as db:
                for _, payload, arrival in received:
                    if isinstance(arrival, InboundMessage):
                        await self._record_arrival(db, payload, arrival)
                await repository.mark_received(db, [inbound_id for inbound_id, _ in waiting])
                await db.commit()

    async def _arrival(
        self, db: AsyncSession, inbound_id: str, payload: dict[str, Any]
    ) -> InboundMessage | PresenceUpdate | GroupChange | None:
        """What an inbound row brings: a group change, or a message or a presence from the
        sender as the phone knows them; None when the phone blocked the sender (WhatsApp
        drops it)."""
        if payload.get("type") == "group_change":
            return group_change_of(payload)
        phone = payload["from"]
        row = await network.contact_by_phone(db, self.session.id, phone)
        if row is None:
            lid = payload.get("from_lid")
            if lid is not None:  # a stranger writing from behind a LID
                await network.remember_contact(db, self.session.id, phone, lid)
                row = await network.contact_by_phone(db, self.session.id, phone)
        known = known_number(phone, row)
        if known.blocked:
            return None
        # WhatsApp keeps addressing a LID sender by its LID; knowing the number only adds it.
        by_lid = payload.get("from_lid") is not None or (known.entry and known.entry.lid_only)
        sender = known.lid if by_lid or not known.mapped else whatsapp_id(phone)
        chat_id = payload.get("group_id") or sender
        if payload.get("type") == "presence":
            return PresenceUpdate(
                chat_id=chat_id,
                participant_id=sender,
                presence=payload["presence"],
                last_seen_at=utcnow() if payload["presence"] == "unavailable" else None,
            )
        media = payload.get("media")
        return InboundMessage(
            engine_message_id=inbound_id,
            chat_id=chat_id,
            from_id=sender,
            from_phone_number=phone if known.mapped else None,
            from_lid=known.lid,
            from_name=payload.get("from_name") or known.contact().push_name,
            group_id=payload.get("group_id"),
            type=payload.get("type", "text"),
            text=payload.get("text"),
            media=InboundMedia.model_validate(media) if media else None,
            timestamp=utcnow(),
        )

    async def _record_arrival(
        self, db: AsyncSession, payload: dict[str, Any], message: InboundMessage
    ) -> None:
        """The message tops its chat, unread; the sender's name becomes known."""
        if message.group_id is not None:
            group = await network.group(db, self.session.account_id, message.group_id)
            name = group.subject if group is not None else None
        else:
            name = directory.name_of_id(message.from_id) or message.from_name
        if message.from_name and message.from_lid:
            await network.remember_contact(
                db, self.session.id, payload["from"], message.from_lid, push_name=message.from_name
            )
        await record_message(
            db, self.session.id, message.chat_id,
            name=name, engine_message_id=message.engine_message_id, from_me=False,
            from_id=message.from_id, type=message.type,
            text=message.text or (message.media.caption if message.media else None),
            at=message.timestamp,
        )  # fmt: skip
