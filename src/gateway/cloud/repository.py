"""All SQL of the cloud feature's numbers, uploaded media and conversation windows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import CloudMedia, CloudNumber, ConversationWindow, Message, Session


async def get_number(db: AsyncSession, session_id: str) -> CloudNumber | None:
    return await db.get(CloudNumber, session_id)


async def save_number(
    db: AsyncSession,
    *,
    session_id: str,
    account_id: str,
    phone_number_id: str,
    waba_id: str,
    verify_token_digest: bytes,
    credentials: bytes,
) -> None:
    values = {
        "phone_number_id": phone_number_id,
        "waba_id": waba_id,
        "verify_token_digest": verify_token_digest,
        "credentials": credentials,
    }
    await db.execute(
        insert(CloudNumber)
        .values(session_id=session_id, account_id=account_id, **values)
        .on_conflict_do_update(index_elements=[CloudNumber.session_id], set_=values)
    )


async def numbers_by_phone_number_ids(
    db: AsyncSession, phone_number_ids: Sequence[str]
) -> Sequence[CloudNumber]:
    """The live cloud sessions' numbers with these ids (a number may have been set up
    in more than one session or account: the webhook's signature tells which is meant)."""
    return (
        await db.scalars(
            select(CloudNumber)
            .join(Session, Session.id == CloudNumber.session_id)
            .where(
                CloudNumber.phone_number_id.in_(phone_number_ids),
                Session.deleted_at.is_(None),
            )
        )
    ).all()


async def numbers_by_waba_ids(db: AsyncSession, waba_ids: Sequence[str]) -> Sequence[CloudNumber]:
    return (
        await db.scalars(
            select(CloudNumber)
            .join(Session, Session.id == CloudNumber.session_id)
            .where(CloudNumber.waba_id.in_(waba_ids), Session.deleted_at.is_(None))
        )
    ).all()


async def numbers_by_verify_token_digest(
    db: AsyncSession, digests: Sequence[bytes]
) -> Sequence[CloudNumber]:
    """The live numbers whose verify token has one of ``digests`` (one per key of the
    keyring)."""
    return (
        await db.scalars(
            select(CloudNumber)
            .join(Session, Session.id == CloudNumber.session_id)
            .where(CloudNumber.verify_token_digest.in_(list(digests)), Session.deleted_at.is_(None))
        )
    ).all()


async def uploaded_media_id(
    db: AsyncSession, media_id: str, phone_number_id: str, *, now: datetime
) -> str | None:
    return await db.scalar(
        select(CloudMedia.graph_media_id).where(
            CloudMedia.media_id == media_id,
            CloudMedia.phone_number_id == phone_number_id,
            CloudMedia.expires_at > now,
        )
    )


async def remember_uploaded_media(
    db: AsyncSession, media_id: str, phone_number_id: str, graph_media_id: str, expires_at: datetime
) -> None:
    values = {"graph_media_id": graph_media_id, "expires_at": expires_at}
    await db.execute(
        insert(CloudMedia)
        .values(media_id=media_id, phone_number_id=phone_number_id, **values)
        .on_conflict_do_update(
            index_elements=[CloudMedia.media_id, CloudMedia.phone_number_id], set_=values
        )
    )


async def record_inbound(
    db: AsyncSession, session_id: str, contacts_at: Sequence[tuple[str, datetime]]
) -> None:
    """Note when each contact last wrote (a later message only moves the window on)."""
    if not contacts_at:
        return
    latest: dict[str, datetime] = {}
    for contact, at in contacts_at:
        if contact not in latest or at > latest[contact]:
            latest[contact] = at
    statement = insert(ConversationWindow).values(
        [
            {"session_id": session_id, "contact": contact, "last_inbound_at": at}
            for contact, at in sorted(latest.items())
        ]
    )
    await db.execute(
        statement.on_conflict_do_update(
            index_elements=[ConversationWindow.session_id, ConversationWindow.contact],
            set_={"last_inbound_at": statement.excluded.last_inbound_at},
            where=ConversationWindow.last_inbound_at < statement.excluded.last_inbound_at,
        )
    )


async def last_inbound_at(db: AsyncSession, session_id: str, contact: str) -> datetime | None:
    return await db.scalar(
        select(ConversationWindow.last_inbound_at).where(
            ConversationWindow.session_id == session_id, ConversationWindow.contact == contact
        )
    )


async def engine_message_id(db: AsyncSession, session_id: str, message_id: str) -> str | None:
    """The wamid of one of the session's messages (None until its send is recorded)."""
    return await db.scalar(
        select(Message.engine_message_id).where(
            Message.session_id == session_id, Message.id == message_id
        )
    )


async def latest_inbound_engine_id(db: AsyncSession, session_id: str, chat_id: str) -> str | None:
    """The wamid of the last message the chat sent the session: the Cloud API marks a
    chat read (and shows "typing…") through a message of it."""
    return await db.scalar(
        select(Message.engine_message_id)
        .where(
            Message.session_id == session_id,
            Message.chat_id == chat_id,
            Message.direction == "inbound",
            Message.engine_message_id.is_not(None),
        )
        .order_by(Message.id.desc())
        .limit(1)
    )


async def forget_number(db: AsyncSession, session_id: str) -> None:
    """A deleted session's credentials go with it (its messages stay, as for any engine)."""
    await db.execute(delete(CloudNumber).where(CloudNumber.session_id == session_id))
