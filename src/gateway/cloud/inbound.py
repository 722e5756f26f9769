"""Meta's webhook, the receiving side: the subscription handshake, the signature check,
and every change stored as a row before Meta gets its 200.

Meta signs the raw body with the app secret (``X-Hub-Signature-256: sha256=<hex>``) and
names the numbers a notification is about (``metadata.phone_number_id`` of each change;
the WABA, ``entry.id``, for changes about the account such as template reviews). The
numbers' sessions say which app secrets may have signed it; a change is stored only for
sessions whose secret did (two accounts may have set up the same number: one's
signature never writes into the other's session). Meta retries what it did not get a
2xx for, for days: an unknown number is answered 200 with nothing stored, and a change
stored before is not stored again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.cloud import credentials, notifications_repository, repository
from gateway.config import Settings
from gateway.kit.aftercommit import enqueue_after_commit
from gateway.kit.errors import GatewayError, InvalidJson, InvalidRequest, PermissionDenied
from gateway.kit.ids import new_id
from gateway.models import CloudNumber

log = structlog.get_logger(__name__)

# Meta's notifications are a few kilobytes (it batches at most a few hundred changes).
MAX_BODY_BYTES = 1024 * 1024
PROCESS_JOB = "process_cloud_notifications"
SIGNATURE_PREFIX = "sha256="


class SignatureInvalid(GatewayError):
    status_code = 401
    type = "authentication_error"
    code = "signature_invalid"


class VerifyTokenMismatch(PermissionDenied):
    code = "verify_token_mismatch"


async def verify_subscription(
    db: AsyncSession, settings: Settings, *, mode: str, verify_token: str, challenge: str
) -> str:
    """The challenge to echo when ``verify_token`` is a live cloud number's."""
    if mode != "subscribe":
        raise InvalidRequest("`hub.mode` must be `subscribe`.", param="hub.mode")
    # Under every key of the ring: a number saved before a rotation (and not yet
    # re-digested by `gateway secrets reencrypt`) is found all the same, in one query.
    digests = [credentials.verify_token_digest(key, verify_token) for key in settings.secrets]
    if not await repository.numbers_by_verify_token_digest(db, digests):
        log.info("cloud.webhook.verify_token_mismatch")
        raise VerifyTokenMismatch(
            "The verify token is not one of a cloud session's.", param="hub.verify_token"
        )
    return challenge


@dataclass(frozen=True)
class Change:
    """One ``entry[].changes[]`` of a notification, with what routes it."""

    entry_id: str | None
    entry_time: Any
    field: str
    value: dict[str, Any]

    @property
    def phone_number_id(self) -> str | None:
        metadata = self.value.get("metadata")
        found = metadata.get("phone_number_id") if isinstance(metadata, dict) else None
        return str(found) if found is not None else None

    def payload(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "entry_time": self.entry_time,
            "field": self.field,
            "value": self.value,
        }


def parse(body: bytes) -> list[Change]:
    try:
        document = json.loads(body)
    except ValueError:
        raise InvalidJson("The request body is not valid JSON.") from None
    if not isinstance(document, dict):
        raise InvalidJson("The request body is not a JSON object.")
    if b"\\u0000" in body:  # PostgreSQL cannot store NUL in JSONB: refuse, not fail
        raise InvalidJson("The request body contains NUL characters.")
    changes = []
    for entry in _dicts(document.get("entry")):
        entry_id = str(entry["id"]) if entry.get("id") is not None else None
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if isinstance(value, dict):
                field = str(change.get("field") or "")[:64]
                changes.append(Change(entry_id, entry.get("time"), field, value))
    return changes


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


async def receive(db: AsyncSession, settings: Settings, body: bytes, signature: str | None) -> int:
    """Store the notification's changes for the sessions whose app secret signed it, and
    push their processing once committed. Returns how many rows are new."""
    changes = parse(body)
    phone_ids = sorted({c.phone_number_id for c in changes if c.phone_number_id})
    waba_ids = sorted({c.entry_id for c in changes if not c.phone_number_id and c.entry_id})
    candidates = [
        *(await repository.numbers_by_phone_number_ids(db, phone_ids) if phone_ids else ()),
        *(await repository.numbers_by_waba_ids(db, waba_ids) if waba_ids else ()),
    ]
    if not candidates:
        log.info("cloud.webhook.unknown_number", phone_number_ids=phone_ids, waba_ids=waba_ids)
        return 0
    signers = _signers(settings, candidates, body, signature)
    if not signers:
        log.warning(
            "cloud.webhook.bad_signature",
            phone_number_ids=phone_ids,
            waba_ids=waba_ids,
            signature_present=signature is not None,
        )
        raise SignatureInvalid("The X-Hub-Signature-256 header does not match the body.")
    rows = _rows(changes, signers)
    ids = await notifications_repository.store(db, rows)
    if ids:
        enqueue_after_commit(db, PROCESS_JOB, ids, job_id=f"cloud-notifications:{ids[0]}")
    return len(ids)


def _signers(
    settings: Settings, candidates: Sequence[CloudNumber], body: bytes, signature: str | None
) -> list[CloudNumber]:
    """The candidates whose app secret made ``signature``."""
    if not signature or not signature.startswith(SIGNATURE_PREFIX):
        return []
    given = signature[len(SIGNATURE_PREFIX) :].strip().lower()
    by_secret: dict[str, list[CloudNumber]] = {}
    for number in candidates:
        secret = credentials.unseal(settings.secrets, number.credentials).app_secret
        by_secret.setdefault(secret, []).append(number)
    signers: list[CloudNumber] = []
    for secret, numbers in by_secret.items():
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected, given):
            signers.extend(numbers)
    return signers


def _rows(changes: Sequence[Change], signers: Sequence[CloudNumber]) -> list[dict[str, Any]]:
    rows: dict[tuple[str, bytes], dict[str, Any]] = {}
    for change in changes:
        phone_id = change.phone_number_id
        targets = {
            n.session_id: n
            for n in signers
            if (n.phone_number_id == phone_id if phone_id else n.waba_id == change.entry_id)
        }
        if not targets:
            # Unknown here, or set up only by sessions whose secret did not sign this.
            log.info("cloud.webhook.unknown_number", phone_number_ids=[phone_id],
                     waba_ids=[change.entry_id], field=change.field)  # fmt: skip
            continue
        payload = change.payload()
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(canonical.encode()).digest()
        for session_id, number in sorted(targets.items()):
            # Twice in one body (it happens in Meta's retries of batches): stored once.
            rows.setdefault(
                (session_id, digest),
                {
                    "id": new_id("ntf"),
                    "account_id": number.account_id,
                    "session_id": session_id,
                    "field": change.field,
                    "payload": payload,
                    "digest": digest,
                },
            )
    return list(rows.values())
