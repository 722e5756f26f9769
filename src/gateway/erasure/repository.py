"""All SQL of erasure. Every statement is one set-based pass scoped by the account: the
work of an erasure is proportional to the account's rows, never a loop per row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    case,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.time import utcnow
from gateway.models import (
    Account,
    ApiKey,
    CloudNotification,
    ConversationWindow,
    Event,
    Export,
    IdempotencyKey,
    Media,
    Message,
    SandboxChat,
    SandboxContact,
    SandboxGroup,
    SandboxGroupMember,
    SandboxInbound,
    SandboxSend,
    Session,
    WebChat,
    WebhookEndpoint,
)


@dataclass(frozen=True)
class ContactForms:
    """Every way the gateway may have written one person down: E.164 numbers, WhatsApp
    ids (``…@c.us``, ``…@s.whatsapp.net``, ``…@lid``) and the bare digits of each."""

    phone_numbers: frozenset[str]
    lids: frozenset[str]

    @property
    def digits(self) -> list[str]:
        found = {p.lstrip("+") for p in self.phone_numbers}
        found |= {lid.split("@", 1)[0] for lid in self.lids}
        return sorted(found)

    @property
    def ids(self) -> list[str]:
        numbers = {p.lstrip("+") for p in self.phone_numbers}
        return sorted(
            {f"{n}@c.us" for n in numbers}
            | {f"{n}@s.whatsapp.net" for n in numbers}
            | set(self.phone_numbers)
            | set(self.lids)
        )

    def pattern(self) -> str:
        """A regular expression matching any of the digits not inside a longer number,
        for searching JSON text: ``+12025550123``, ``12025550123@c.us`` and ``"…@lid"``
        match; ``120255501234`` does not."""
        return "(^|[^0-9])(" + "|".join(self.digits) + ")([^0-9]|$)"


def _sessions_of(account_id: str) -> Select[Any]:
    return select(Session.id).where(Session.account_id == account_id)


def _mentions(column: Any, forms: ContactForms) -> ColumnElement[bool]:
    return cast(column, String).regexp_match(forms.pattern())


async def known_mappings(
    db: AsyncSession, account_id: str, forms: ContactForms
) -> Sequence[tuple[str, str]]:
    """(phone number, LID) pairs the account's sessions stored for the contact."""
    rows = await db.execute(
        select(SandboxContact.phone_number, SandboxContact.lid).where(
            SandboxContact.session_id.in_(_sessions_of(account_id)),
            or_(
                SandboxContact.phone_number.in_(forms.phone_numbers),
                SandboxContact.lid.in_(forms.lids),
            ),
        )
    )
    return [(r[0], r[1]) for r in rows]


def _messages_of(account_id: str, forms: ContactForms) -> ColumnElement[bool]:
    ids = forms.ids
    return (Message.account_id == account_id) & or_(
        Message.chat_id.in_(ids),
        # In a group the chat is the group's: the contact is the sender.
        Message.content["from_id"].astext.in_(ids),
        Message.content["from_phone_number"].astext.in_(ids),
        Message.content["from_lid"].astext.in_(ids),
    )


# Outbound messages of real sessions are what the account is billed for (usage counts
# their rows): they are kept, emptied of who and what.
def _billed() -> ColumnElement[bool]:
    return (Message.direction == "outbound") & Message.session_id.in_(
        select(Session.id).where(Session.engine != "sandbox")
    )


async def erase_messages(
    db: AsyncSession, account_id: str, forms: ContactForms
) -> tuple[list[str], int, int]:
    """Delete the contact's messages, anonymise the billed ones; returns the media ids
    they referred to, how many were deleted and how many anonymised."""
    media_ids = await db.scalars(
        select(Message.content["media"]["id"].astext)
        .where(_messages_of(account_id, forms))
        .where(Message.content["media"]["id"].astext.is_not(None))
    )
    found = sorted({m for m in media_ids if m})
    deleted = await db.execute(
        delete(Message).where(_messages_of(account_id, forms), ~_billed()).returning(Message.id)
    )
    anonymised = await db.execute(
        update(Message)
        .where(_messages_of(account_id, forms), _billed())
        .values(
            chat_id="erased",
            content=cast(literal("{}"), JSONB),
            error_message=None,
            # Never sent now: there is nobody to send it to.
            status=case(
                (Message.status.in_(("scheduled", "queued")), "cancelled"),
                else_=Message.status,
            ),
        )
        .returning(Message.id)
    )
    return found, len(deleted.all()), len(anonymised.all())


async def erase_media(db: AsyncSession, account_id: str, media_ids: Sequence[str]) -> list[str]:
    """Delete the media rows no remaining message refers to; returns their storage keys."""
    if not media_ids:
        return []
    still_used = select(Message.content["media"]["id"].astext).where(
        Message.account_id == account_id,
        Message.content["media"]["id"].astext.in_(media_ids),
    )
    rows = await db.execute(
        delete(Media)
        .where(
            Media.account_id == account_id,
            Media.id.in_(media_ids),
            Media.id.not_in(still_used),
        )
        .returning(Media.storage_key)
    )
    return [r[0] for r in rows]


async def erase_events(db: AsyncSession, account_id: str, forms: ContactForms) -> int:
    """Delete the events whose data mentions the contact; their webhook deliveries and
    attempts (the bodies sent, the answers logged) go with them (foreign keys cascade)."""
    rows = await db.execute(
        delete(Event)
        .where(Event.account_id == account_id, _mentions(Event.data, forms))
        .returning(Event.id)
    )
    return len(rows.all())


async def erase_session_rows(db: AsyncSession, account_id: str, forms: ContactForms) -> int:
    """Contacts, chats and the rest of what the engines stored of the contact."""
    sessions = _sessions_of(account_id)
    ids = forms.ids
    statements = [
        delete(SandboxContact).where(
            SandboxContact.session_id.in_(sessions),
            or_(
                SandboxContact.phone_number.in_(forms.phone_numbers),
                SandboxContact.lid.in_(forms.lids),
            ),
        ),
        delete(SandboxChat).where(
            SandboxChat.session_id.in_(sessions), SandboxChat.chat_id.in_(ids)
        ),
        delete(SandboxInbound).where(
            SandboxInbound.session_id.in_(sessions), _mentions(SandboxInbound.payload, forms)
        ),
        delete(SandboxSend).where(
            SandboxSend.session_id.in_(sessions), SandboxSend.recipient.in_(ids)
        ),
        delete(SandboxGroupMember).where(
            SandboxGroupMember.group_id.in_(
                select(SandboxGroup.id).where(SandboxGroup.account_id == account_id)
            ),
            SandboxGroupMember.member_id.in_(ids),
        ),
        delete(WebChat).where(
            WebChat.account_id == account_id,
            or_(WebChat.chat_id.in_(ids), WebChat.whatsapp_jid.in_(ids)),
        ),
        delete(ConversationWindow).where(
            ConversationWindow.session_id.in_(sessions),
            ConversationWindow.contact.in_(forms.digits),
        ),
        # Meta's notifications as received, once processed (pending ones still carry
        # work; they are erased by the next erasure).
        delete(CloudNotification).where(
            CloudNotification.account_id == account_id,
            CloudNotification.processed_at.is_not(None),
            _mentions(CloudNotification.payload, forms),
        ),
        # Stored answers replayed for a repeated Idempotency-Key.
        delete(IdempotencyKey).where(
            IdempotencyKey.scope == account_id,
            func.convert_from(IdempotencyKey.response_body, "UTF8").regexp_match(forms.pattern()),
        ),
    ]
    erased = 0
    for statement in statements:
        result = await db.execute(statement.returning(literal(1)))
        erased += len(result.all())
    return erased


# --- the whole account ------------------------------------------------------------------


async def media_keys_of_account(db: AsyncSession, account_id: str) -> list[str]:
    rows = await db.scalars(select(Media.storage_key).where(Media.account_id == account_id))
    return list(rows)


async def erase_account_rows(db: AsyncSession, account_id: str) -> dict[str, int]:
    """Delete what the account stores but what accounting needs: the account's row, its
    keys (revoked: the audit log names them), its sessions (deleted, emptied: usage is
    counted per session), its billed messages (emptied of who and what), usage and
    billing rows and the audit log."""
    sessions = _sessions_of(account_id)
    counts: dict[str, int] = {}
    anonymised = await db.execute(
        update(Message)
        .where(Message.account_id == account_id, _billed(), Message.chat_id != "erased")
        .values(
            chat_id="erased",
            content=cast(literal("{}"), JSONB),
            error_message=None,
            status=case(
                (Message.status.in_(("scheduled", "queued")), "cancelled"),
                else_=Message.status,
            ),
        )
        .returning(literal(1))
    )
    counts["messages_anonymised"] = len(anonymised.all())
    statements: list[tuple[str, Any]] = [
        ("messages", delete(Message).where(Message.account_id == account_id, ~_billed())),
        ("media", delete(Media).where(Media.account_id == account_id)),
        ("events", delete(Event).where(Event.account_id == account_id)),
        ("webhooks", delete(WebhookEndpoint).where(WebhookEndpoint.account_id == account_id)),
        ("exports", delete(Export).where(Export.account_id == account_id)),
        ("contacts", delete(SandboxContact).where(SandboxContact.session_id.in_(sessions))),
        ("chats", delete(SandboxChat).where(SandboxChat.session_id.in_(sessions))),
        ("web_chats", delete(WebChat).where(WebChat.account_id == account_id)),
        ("sandbox_inbound", delete(SandboxInbound).where(SandboxInbound.session_id.in_(sessions))),
        ("sandbox_sends", delete(SandboxSend).where(SandboxSend.session_id.in_(sessions))),
        (
            "conversation_windows",
            delete(ConversationWindow).where(ConversationWindow.session_id.in_(sessions)),
        ),
        (
            "cloud_notifications",
            delete(CloudNotification).where(CloudNotification.account_id == account_id),
        ),
        ("idempotency_keys", delete(IdempotencyKey).where(IdempotencyKey.scope == account_id)),
    ]
    for kind, statement in statements:
        result = await db.execute(statement.returning(literal(1)))
        counts[kind] = len(result.all())
    return counts


async def delete_sessions(db: AsyncSession, account_id: str) -> list[str]:
    """Mark the account's sessions deleted (their hosts stop and log them out), their
    names and metadata cleared; returns their ids."""
    rows = await db.execute(
        update(Session)
        .where(Session.account_id == account_id, Session.deleted_at.is_(None))
        .values(
            desired_state="deleted",
            deleted_at=func.now(),
            name=Session.id,
            meta=cast(literal("{}"), JSONB),
        )
        .returning(Session.id)
    )
    return [r[0] for r in rows]


async def revoke_keys(db: AsyncSession, account_id: str) -> list[str]:
    rows = await db.execute(
        update(ApiKey)
        .where(ApiKey.account_id == account_id, ApiKey.revoked_at.is_(None))
        .values(revoked_at=func.now())
        .returning(ApiKey.id)
    )
    return [r[0] for r in rows]


async def anonymise_account(db: AsyncSession, account_id: str) -> Account | None:
    account = await db.get(Account, account_id, with_for_update=True)
    if account is None or account.deleted_at is not None:
        return account
    account.name = "Deleted account"
    account.email = None
    account.deleted_at = utcnow()
    return account
