"""Erasure (GDPR article 17): of one contact across the account's sessions, or of the
whole account.

Synchronous, in the request's transaction: every step is one set-based statement scoped
by the account (``repository.py``), so an erasure costs a few statements whatever the
number of rows, and either all of it commits or none does. Files are deleted from the
storage before the commit: should the commit then fail, rows would point at files that
are gone, and repeating the erasure (it is idempotent) finishes it; the other order
could leave a file no row points at, readable in the store for ever.

What accounting needs stays, anonymised: usage is counted from the rows of outbound
messages of real (non-sandbox) sessions, so those rows are kept with no chat and no
content; the audit log is append-only and never held personal data of contacts.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit import service as audit
from gateway.auth.cache import invalidate_account_after_commit, invalidate_key_after_commit
from gateway.auth.principal import Principal
from gateway.cloud import repository as cloud_repository
from gateway.config import Settings
from gateway.engines.control import nudge_hosts_after_commit
from gateway.engines.sandbox.directory import lid_of
from gateway.erasure import repository
from gateway.erasure.repository import ContactForms
from gateway.erasure.schemas import AccountDeleted, ContactErasure, ContactErasureRequest
from gateway.exports import repository as exports_repository
from gateway.exports.service import require_whole_account
from gateway.kit.errors import Conflict, InvalidRequest
from gateway.kit.phone import normalise_phone
from gateway.kit.time import utcnow
from gateway.media.storage import storage_for
from gateway.sessions.routes import invalidate_session_after_commit

log = structlog.get_logger(__name__)


class ConfirmationRequired(Conflict):
    code = "confirmation_required"


class ConfirmationInvalid(InvalidRequest):
    code = "confirmation_invalid"


class ConfirmationExpired(InvalidRequest):
    code = "confirmation_expired"


_LID = re.compile(r"^\d{5,20}@lid$")
CONFIRMATION_HEADER = "Confirmation-Token"
CONFIRMATION_SECONDS = 600


def _forms(body: ContactErasureRequest) -> tuple[str, str, ContactForms]:
    if body.phone_number is not None and body.lid is not None:
        raise InvalidRequest("Give phone_number or lid, not both.", param="lid")
    if body.phone_number is not None:
        phone = normalise_phone(body.phone_number, param="phone_number")
        # The sandbox network's LID of the number, which its messages may carry.
        return "phone_number", phone, ContactForms(frozenset({phone}), frozenset({lid_of(phone)}))
    if body.lid is not None:
        lid = body.lid.strip()
        if not _LID.match(lid):
            raise InvalidRequest(f"Invalid lid '{body.lid}': use <digits>@lid.", param="lid")
        return "lid", lid, ContactForms(frozenset(), frozenset({lid}))
    raise InvalidRequest("Give the contact's phone_number or lid.", param="phone_number")


async def erase_contact(
    db: AsyncSession, settings: Settings, caller: Principal, body: ContactErasureRequest
) -> ContactErasure:
    require_whole_account(caller)
    identifier, value, forms = _forms(body)
    account_id = caller.account_id
    # The other half of each mapping the sessions learnt: erasing a number erases the
    # LID it hid behind, and the other way round.
    for phone, lid in await repository.known_mappings(db, account_id, forms):
        forms = ContactForms(forms.phone_numbers | {phone}, forms.lids | {lid})
    media_ids, deleted, anonymised = await repository.erase_messages(db, account_id, forms)
    keys = await repository.erase_media(db, account_id, media_ids)
    counts = {
        "messages": deleted,
        "messages_anonymised": anonymised,
        "media": len(keys),
        "events": await repository.erase_events(db, account_id, forms),
        "contacts_and_chats": await repository.erase_session_rows(db, account_id, forms),
    }
    storage = storage_for(settings)
    for key in keys:
        await storage.delete(key)
    audit.record(
        db,
        "contact.erased",
        "contact",
        # The pseudonym every other entry about this person carries (audit.personal).
        audit.personal(db, value),
        changes={"identifier": identifier, "counts": counts},
    )
    log.info("contact.erased", account_id=account_id, **counts)
    return ContactErasure(identifier=identifier, counts=counts, erased_at=utcnow())  # type: ignore[arg-type]


# --- the whole account ------------------------------------------------------------------


def confirmation_token(secret: bytes, account_id: str, expires: int) -> str:
    mac = hmac.new(secret, f"account-deletion:{account_id}:{expires}".encode(), hashlib.sha256)
    return f"{expires}.{mac.hexdigest()[:32]}"


def check_confirmation(
    settings: Settings, account_id: str, confirm: str | None, *, now: float | None = None
) -> None:
    """Deleting an account takes two calls: the first answers 409 with a token (in the
    ``Confirmation-Token`` header) valid for ten minutes, which the second repeats."""
    now = time.time() if now is None else now
    if confirm is None:
        expires = int(now) + CONFIRMATION_SECONDS
        token = confirmation_token(settings.secret, account_id, expires)
        raise ConfirmationRequired(
            "Deleting the account erases all its data and revokes every key. To go ahead, "
            f"repeat the request with ?confirm={token} within {CONFIRMATION_SECONDS // 60} "
            "minutes.",
            param="confirm",
            headers={CONFIRMATION_HEADER: token},
        )
    expires_text, _, _ = confirm.partition(".")
    if not expires_text.isdigit() or not hmac.compare_digest(
        confirm, confirmation_token(settings.secret, account_id, int(expires_text))
    ):
        raise ConfirmationInvalid(
            "This confirmation token is not one this account was given.", param="confirm"
        )
    if int(expires_text) < now:
        raise ConfirmationExpired(
            "This confirmation token has expired; ask for a new one.", param="confirm"
        )


async def delete_account(
    db: AsyncSession, settings: Settings, caller: Principal, confirm: str | None
) -> AccountDeleted:
    require_whole_account(caller)
    check_confirmation(settings, caller.account_id, confirm)
    account_id = caller.account_id
    files = [
        *await repository.media_keys_of_account(db, account_id),
        *await exports_repository.file_keys_of_account(db, account_id),
    ]
    counts = await repository.erase_account_rows(db, account_id)
    session_ids = await repository.delete_sessions(db, account_id)
    for session_id in session_ids:
        await cloud_repository.forget_number(db, session_id)
        invalidate_session_after_commit(db, session_id)
        nudge_hosts_after_commit(db, session_id)
    key_ids = await repository.revoke_keys(db, account_id)
    await repository.anonymise_account(db, account_id)
    counts |= {"sessions": len(session_ids), "api_keys_revoked": len(key_ids)}
    storage = storage_for(settings)
    for key in files:
        await storage.delete(key)
    audit.record(db, "account.deleted", "account", account_id, changes={"counts": counts})
    # The key that asked is refused from the next request on, on every API process.
    for key_id in key_ids:
        invalidate_key_after_commit(db, key_id)
    invalidate_account_after_commit(db, account_id)
    log.info("account.deleted", account_id=account_id, **counts)
    return AccountDeleted(id=account_id, counts=counts)
