"""The sandbox engine: a simulated WhatsApp network whose state lives in PostgreSQL.

Its QR codes and pairing codes are real (a phone-shaped client could render them); the
"phone" is the sandbox control API, which links the session, sends it messages, or logs
it out. Everything a real engine reports, the sandbox reports the same way.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.engines.base import (
    EngineFailure,
    InboundMedia,
    InboundMessage,
    Me,
    OutboundMessage,
    SendFailed,
    SessionStatus,
)
from gateway.engines.records import GroupChange, PresenceUpdate
from gateway.engines.sandbox import directory
from gateway.engines.sandbox.chats import SandboxChats, record_message
from gateway.engines.sandbox.contacts import known_number
from gateway.engines.sandbox.groups import SandboxGroups, group_change_of
from gateway.kit.errors import GatewayError
from gateway.kit.phone import whatsapp_id
from gateway.kit.time import utcnow
from gateway.sandbox import network_repository as network
from gateway.sandbox import repository

# Pairing codes as WhatsApp shows them: 8 characters without look-alikes, XXXX-XXXX.
PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTVWXYZ123456789"
# How often the engine looks at its state when nothing pokes it.
POLL_SECONDS = 0.5

# Magic numbers, as Stripe has test cards: each recipient behaves as documented. Those
# not on WhatsApp (+12025550101 among them) are the directory's (see directory.py).
NEVER_READS = "12025550102@c.us"
FAILS_TWICE = "12025550103@c.us"
LOGS_OUT = "12025550104@c.us"
ECHO = "12025550105@c.us"

# How long after sending WhatsApp lets a message be edited, or deleted for everyone.
EDIT_WINDOW = timedelta(minutes=15)
REVOKE_WINDOW = timedelta(hours=60)


class SandboxEngine(SandboxChats, SandboxGroups):
    async def run(self) -> None:
        async with self.resources.sessionmaker() as db:
            device = await repository.ensure_device(db, self.session.id)
            await db.commit()
        if device.linked_at is None and not await self._show_qr_until_linked():
            await self.events.status(SessionStatus.FAILED, "qr_timeout")
            return
        async with self.resources.sessionmaker() as db:
            linked = await repository.get_device(db, self.session.id)
        if linked is None or linked.phone_number is None:  # logged out in between
            await self.events.status(SessionStatus.FAILED, "logged_out")
            return
        await self.events.linked(
            Me(
                id=whatsapp_id(linked.phone_number),
                phone_number=linked.phone_number,
                push_name=linked.push_name,
            )
        )
        await self._stay_connected()
        await self.events.status(SessionStatus.FAILED, "logged_out")

    async def _show_qr_until_linked(self) -> bool:
        ttl = self.options.qr_ttl_seconds
        for _ in range(self.options.qr_max_renewals + 1):
            value = f"2@{secrets.token_urlsafe(24)},{self.session.id},sandbox"
            await self.events.qr(value, utcnow() + timedelta(seconds=ttl))
            if self.options.auto_link:
                await asyncio.sleep(min(0.05, ttl / 2))
                async with self.resources.sessionmaker() as db:
                    await repository.link_device(
                        db, self.session.id, phone_number=None, push_name=None
                    )
                    await db.commit()
            deadline = time.monotonic() + ttl
            while (left := deadline - time.monotonic()) > 0:
                if await self._linked():
                    return True
                await self._pause(min(POLL_SECONDS, left))
        return await self._linked()

    async def _stay_connected(self) -> None:
        """Receive messages and acks until the phone logs the session out."""
        while await self._linked():
            await self._receive_waiting_messages()
            next_ack = await self._report_due_acks()
            await self._pause(min(POLL_SECONDS, next_ack))

    async def send(self, message: OutboundMessage) -> str:
        async with self.resources.sessionmaker() as db:
            record = await repository.record_send_attempt(
                db, message.id, self.session.id, message.chat_id
            )
            if record.accepted_at is not None:  # sent before; the network keeps one copy
                await db.commit()
                return record.engine_message_id
            refusal = await self._refusal(db, message.chat_id)
            if refusal is not None:
                await db.commit()
                raise refusal
            if message.chat_id == FAILS_TWICE and record.attempts <= 2:
                await db.commit()
                raise SendFailed(
                    "rate_limited", "WhatsApp asked to slow down.", transient=True, retry_after=0.5
                )
            record.engine_message_id = "3EB0" + secrets.token_hex(8).upper()
            record.accepted_at = utcnow()
            record.next_ack = "delivered"
            voice_note = message.type == "audio" and message.content.get("voice")
            record.read_as = "played" if voice_note else "read"
            record.next_ack_at = utcnow() + timedelta(milliseconds=self.options.ack_delivered_ms)
            if message.chat_id == ECHO and message.type == "text":
                await repository.add_inbound(
                    db,
                    self.session.id,
                    {"from": "+12025550105", "from_name": "Echo", "type": "text",
                     "text": f"echo: {message.content.get('text', '')}"},
                )  # fmt: skip
            if message.chat_id == LOGS_OUT:
                await repository.unlink_device(db, self.session.id, by_phone=True)
            content = message.content
            await record_message(
                db, self.session.id, message.chat_id,
                name=_directory_name(message.chat_id),
                engine_message_id=record.engine_message_id, from_me=True, from_id=None,
                type=message.type, text=content.get("text") or content.get("caption"),
                at=record.accepted_at,
            )  # fmt: skip
            await db.commit()
        self.poke()
        return record.engine_message_id

    async def _report_due_acks(self) -> float:
        """Report the acks that are due; returns the seconds until the next one."""
        async with self.resources.sessionmaker() as db:
            due = [
                (r.message_id, r.engine_message_id, r.next_ack, r.recipient, r.read_as)
                for r in await repository.due_acks(db, self.session.id)
            ]
        for _, engine_id, status, _, _ in due:
            assert status is not None
            await self.events.message_ack(engine_id, status)
        read_at = utcnow() + timedelta(milliseconds=self.options.ack_read_ms)
        async with self.resources.sessionmaker() as db:
            for message_id, _, status, recipient, read_as in due:
                follows = status == "delivered" and recipient != NEVER_READS
                await repository.schedule_ack(
                    db, message_id, read_as if follows else None, read_at if follows else None
                )
            await db.commit()
            upcoming = await repository.next_ack_at(db, self.session.id)
        if upcoming is None:
            return POLL_SECONDS
        return max(0.0, (upcoming - utcnow()).total_seconds())

    # Reports open transactions of their own: each loop below reads what is due and lets its
    # connection go before reporting, so a busy host never holds two connections per
    # session (which starves the pool). Reporting twice after a crash is harmless: inbound
    # messages are stored once per id, and acks only move a message forward.

    async def _refusal(self, db: AsyncSession, chat_id: str) -> SendFailed | None:
        """Why the network refuses a message to ``chat_id``, if it does."""
        if chat_id.endswith("@g.us"):
            found = await network.group_with_members(db, self.session.account_id, chat_id)
            me = await self._me()
            mine = [m for m in found[1] if m.member_id == me] if found else []
            if found is None or not mine:
                return SendFailed(
                    "not_a_participant", "The session is not in this group.", transient=False
                )
            if found[0].only_admins_send and mine[0].role == "member":
                return SendFailed(
                    "group_admins_only", "Only admins can send to this group.", transient=False
                )
            return None
        phone = directory.phone_of_id(chat_id)
        if phone is not None and not directory.on_whatsapp(phone):
            return SendFailed(
                "recipient_not_on_whatsapp", "This number is not on WhatsApp.", transient=False
            )
        return None

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
        for _, _, arrival in received:
            if isinstance(arrival, PresenceUpdate):
                await self.events.presence(arrival)
            elif isinstance(arrival, GroupChange):
                await self.events.group_changed(arrival)
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
            name = _directory_name(message.from_id) or message.from_name
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

    async def logout(self) -> None:
        async with self.resources.sessionmaker() as db:
            await repository.unlink_device(db, self.session.id, by_phone=False)
            await db.commit()

    async def request_pairing_code(self, phone_number: str) -> str:
        if await self._linked():
            raise GatewayError(
                "The session is already linked.", code="session_not_ready", status_code=409
            )
        raw = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        async with self.resources.sessionmaker() as db:
            await repository.set_pairing_code(db, self.session.id, code, phone_number)
            await db.commit()
        return code

    async def edit(self, engine_message_id: str, chat_id: str, text: str) -> None:
        await self._check_own_message(
            engine_message_id, chat_id, EDIT_WINDOW, "message_not_editable"
        )

    async def revoke(self, engine_message_id: str, chat_id: str) -> None:
        await self._check_own_message(
            engine_message_id, chat_id, REVOKE_WINDOW, "message_not_revocable"
        )

    async def typing(self, chat_id: str, on: bool) -> None:
        await self._check_linked()

    async def _check_own_message(
        self, engine_message_id: str, chat_id: str, window: timedelta, too_late_code: str
    ) -> None:
        """The network changes only messages this session sent to ``chat_id``, and only
        within WhatsApp's time limit; it keeps no other trace of edits and revokes."""
        await self._check_linked()
        async with self.resources.sessionmaker() as db:
            record = await repository.accepted_send(db, self.session.id, engine_message_id)
        if record is None or record.recipient != chat_id:
            raise EngineFailure(
                f"The network has no message {engine_message_id} from this session in {chat_id}.",
                code="engine_message_unknown",
            )
        assert record.accepted_at is not None
        if utcnow() - record.accepted_at > window:
            hours = window.total_seconds() / 3600
            raise GatewayError(
                f"WhatsApp allows this only within {hours:g} hours of sending.",
                code=too_late_code,
                status_code=409,
            )


def _directory_name(chat_id: str) -> str | None:
    phone = directory.phone_of_id(chat_id)
    entry = directory.BY_PHONE.get(phone) if phone else None
    return entry.name if entry is not None else None
