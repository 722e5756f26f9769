"""The sandbox engine: a simulated WhatsApp network whose state lives in PostgreSQL.

Its QR codes and pairing codes are real (a phone-shaped client could render them); the
"phone" is the sandbox control API, which links the session, sends it messages, or logs
it out. Everything a real engine reports, the sandbox reports the same way.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.engines.base import (
    Engine,
    EngineEvents,
    EngineFailure,
    EngineResources,
    EngineSession,
    Me,
    MessageAck,
    OutboundMessage,
    SendFailed,
    SessionStatus,
)
from gateway.engines.sandbox import directory
from gateway.engines.sandbox.acks import AckSchedule, OwedAck
from gateway.engines.sandbox.chats import SandboxChats, last_message
from gateway.engines.sandbox.groups import SandboxGroups
from gateway.engines.sandbox.receiving import SandboxReceiving
from gateway.kit.errors import GatewayError
from gateway.kit.phone import whatsapp_id
from gateway.kit.time import utcnow
from gateway.sandbox import network_repository as network
from gateway.sandbox import repository
from gateway.sandbox.repository import Acceptance

# Pairing codes as WhatsApp shows them: 8 characters without look-alikes, XXXX-XXXX.
PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTVWXYZ123456789"
# An ack the gateway cannot place yet (the send is still being recorded) is reported
# again this much later, and given up on this long after it was due.
ACK_RETRY_SECONDS = 0.1
ACK_GIVE_UP_SECONDS = 60.0
# The network notes the messages it owes no more acks for a moment later, many at once: a
# note lost with a stopped engine only makes the next one report an ack again, which
# changes nothing.
DONE_NOTE_SECONDS = 0.25

# Magic numbers, as Stripe has test cards: each recipient behaves as documented. Those
# not on WhatsApp (+12025550101 among them) are the directory's (see directory.py).
NEVER_READS = "12025550102@c.us"
FAILS_TWICE = "12025550103@c.us"
LOGS_OUT = "12025550104@c.us"
ECHO = "12025550105@c.us"

# How long after sending WhatsApp lets a message be edited, or deleted for everyone.
EDIT_WINDOW = timedelta(minutes=15)
REVOKE_WINDOW = timedelta(hours=60)


class SandboxEngine(SandboxReceiving, SandboxChats, SandboxGroups):
    def __init__(
        self, session: EngineSession, events: EngineEvents, resources: EngineResources
    ) -> None:
        super().__init__(session, events, resources)
        self._acks = AckSchedule()
        # False once a send to LOGS_OUT unlinked the phone: what follows cannot go out.
        self._connected = True
        # What the engine last knew of its phone, for the sweep to compare.
        self._believes_linked = False
        # Messages whose last ack went out, to note in the network's record (at the time).
        self._done: list[str] = []
        self._note_done_at: float | None = None

    @classmethod
    async def sweep(cls, resources: EngineResources, engines: Sequence[Engine]) -> None:
        by_id = {e.session.id: e for e in engines if isinstance(e, SandboxEngine)}
        if not by_id:
            return
        async with resources.sessionmaker() as db:
            states = await repository.network_states(db, list(by_id))
        for state in states:
            engine = by_id[state.session_id]
            if state.waiting or state.overdue or state.linked != engine._believes_linked:
                engine.poke()

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
        self._believes_linked = True
        await self._stay_connected()
        self._believes_linked = False
        await self.events.status(SessionStatus.FAILED, "logged_out")

    async def _show_qr_until_linked(self) -> bool:
        ttl = self.options.qr_ttl_seconds
        loop = asyncio.get_running_loop()
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
                return True
            # The phone links through the control API, which pokes the engine.
            deadline = loop.time() + ttl
            while (left := deadline - loop.time()) > 0:
                if await self._linked():
                    return True
                self._look = False
                await self._pause(left)
        return await self._linked()

    async def _stay_connected(self) -> None:
        """Receive messages and report acks until the phone logs the session out; between
        the two, sleep until poked or until the next ack is due."""
        loop = asyncio.get_running_loop()
        async with self.resources.sessionmaker() as db:
            owed = await repository.owed_acks(db, self.session.id)
        now, wall = loop.time(), utcnow()
        for row in owed:
            due = now + (row.next_ack_at - wall).total_seconds()
            self._acks.add(
                OwedAck(row.message_id, row.engine_message_id, row.next_ack, row.recipient,
                        row.read_as, due),
                due,
            )  # fmt: skip
        self._look = True
        while True:
            if self._look:
                self._look = False
                if not await self._linked():
                    return
                await self._receive_waiting_messages()
            await self._report_due_acks()
            await self._note_done(loop.time())
            due = min(
                (t for t in (self._acks.next_due(), self._note_done_at) if t is not None),
                default=None,
            )
            if not self._look:
                await self._pause(None if due is None else due - loop.time())

    async def send(self, message: OutboundMessage) -> str:
        if not self._connected:
            raise SendFailed(
                "session_not_connected", "The phone logged the session out.", transient=True
            )
        chat_id = message.chat_id
        phone = directory.phone_of_id(chat_id)
        plain = phone is not None and directory.on_whatsapp(phone) and chat_id != FAILS_TWICE
        now = utcnow()
        engine_id = "3EB0" + secrets.token_hex(8).upper()
        accepted = Acceptance(
            engine_message_id=engine_id,
            at=now,
            read_as="played"
            if message.type == "audio" and message.content.get("voice")
            else "read",
            delivered_at=now + timedelta(milliseconds=self.options.ack_delivered_ms),
        )
        content = message.content
        last = last_message(
            engine_message_id=engine_id, from_me=True, from_id=None, type=message.type,
            text=content.get("text") or content.get("caption"), at=now,
        )  # fmt: skip
        name = _directory_name(chat_id)
        answers = chat_id in (ECHO, LOGS_OUT)
        async with self.resources.sessionmaker() as db:
            if plain and not answers:
                # The common case: one statement (which also moves the chat up), nothing
                # else to make atomic, so no transaction around it.
                await db.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            if plain:
                record = await repository.accept_send(
                    db, message.id, self.session.id, chat_id, accepted,
                    chat_name=name, last_message=last,
                )  # fmt: skip
                if record.engine_message_id != engine_id:
                    await db.commit()
                    return str(record.engine_message_id)  # sent before: one copy
            else:
                record = await repository.record_send_attempt(
                    db, message.id, self.session.id, chat_id
                )
                if record.accepted_at is not None:  # sent before; the network keeps one copy
                    await db.commit()
                    return str(record.engine_message_id)
                refusal = await self._refusal(db, chat_id)
                if refusal is None and chat_id == FAILS_TWICE and record.attempts <= 2:
                    refusal = SendFailed(
                        "rate_limited", "WhatsApp asked to slow down.", transient=True,
                        retry_after=0.5,
                    )  # fmt: skip
                if refusal is not None:
                    await db.commit()
                    raise refusal
                await repository.mark_accepted(db, message.id, accepted)
                await network.record_chat_message(
                    db, self.session.id, chat_id, name=name, last_message=last, at=now,
                    incoming=False,
                )  # fmt: skip
            if answers:
                await self._answer(db, message)
            await db.commit()
        due = asyncio.get_running_loop().time() + self.options.ack_delivered_ms / 1000
        self._acks.add(
            OwedAck(message.id, engine_id, "delivered", chat_id, accepted.read_as, due), due
        )
        self._wake.set()
        return engine_id

    async def _answer(self, db: AsyncSession, message: OutboundMessage) -> None:
        """What the magic numbers do with a message they got: answer it, or log the
        session out."""
        if message.chat_id == ECHO and message.type == "text":
            await repository.add_inbound(
                db,
                self.session.id,
                {"from": "+12025550105", "from_name": "Echo", "type": "text",
                 "text": f"echo: {message.content.get('text', '')}"},
            )  # fmt: skip
            self._look = True
        if message.chat_id == LOGS_OUT:
            await repository.unlink_device(db, self.session.id, by_phone=True)
            self._connected = False
            self._look = True

    async def _report_due_acks(self) -> None:
        """Report the acks that are due, all in one batch; schedule what follows."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        due = self._acks.pop_due(now)
        if not due:
            return
        at = utcnow()
        unknown = {
            a.engine_message_id
            for a in await self.events.message_acks(
                [MessageAck(ack.engine_message_id, ack.status, at) for ack in due]
            )
        }
        for ack in due:
            if ack.engine_message_id in unknown and now - ack.first_due < ACK_GIVE_UP_SECONDS:
                self._acks.add(ack, now + ACK_RETRY_SECONDS)
            elif ack.status == "delivered" and ack.recipient != NEVER_READS:
                # The network's record still owes "delivered" until the read is reported:
                # an engine started meanwhile reports it again, which changes nothing.
                read_due = now + self.options.ack_read_ms / 1000
                self._acks.add(replace(ack, status=ack.read_as, first_due=read_due), read_due)
            else:
                self._done.append(ack.message_id)
        if self._done and self._note_done_at is None:
            self._note_done_at = now + DONE_NOTE_SECONDS

    async def _note_done(self, now: float) -> None:
        if self._note_done_at is None or now < self._note_done_at:
            return
        done, self._done, self._note_done_at = self._done, [], None
        async with self.resources.sessionmaker() as db:
            await repository.acks_done(db, done)
            await db.commit()

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
    return directory.name_of_id(chat_id)
