"""Rotating the server secret key: re-encrypting what is stored, and telling when the old
key can be dropped (``gateway secrets reencrypt`` and ``gateway secrets status``).

``GATEWAY_SECRET_KEY`` is a keyring, current key first (``config.py``). Every process
decrypts and verifies under any key of the ring, so a rotation needs no downtime; this
module moves what is stored onto the current key, so the old one can then be removed:

- ciphertexts (webhook endpoints' secrets and their previous secrets, cloud numbers'
  credentials, stored idempotent responses) are decrypted and encrypted anew under the
  current key, in batches of bounded size, each batch its own transaction; a row already
  under the current key is left as it is, so running the command twice changes nothing;
- cloud numbers' verify-token digests (an HMAC looked up by) are computed anew from the
  decrypted verify token;
- API key hashes cannot be: only the key's holder has the key. They are re-hashed on the
  key's next use (``auth/service.py``); ``status`` counts the keys not yet re-hashed
  (``api_keys.secret_key_id``), which stop working once the old key is dropped.

Each write is conditional on the row still holding what was read, so a concurrent change
(an endpoint's secret rotated meanwhile) is never overwritten: the row is seen again by
the next run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from sqlalchemy import Table, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.cloud import credentials as cloud_credentials
from gateway.kit import crypto
from gateway.kit.idempotency import RESPONSE_PURPOSE as IDEMPOTENCY_PURPOSE
from gateway.kit.time import utcnow
from gateway.models import ApiKey, CloudNumber, IdempotencyKey, WebhookEndpoint
from gateway.webhooks.service import SECRET_PURPOSE as WEBHOOK_PURPOSE

DEFAULT_BATCH_SIZE = 500


@dataclass
class Counts:
    """What one kind of stored secret came to."""

    examined: int = 0
    rewritten: int = 0
    # Under no key of the ring (made by a key already dropped, or corrupt): left as is.
    undecryptable: int = 0


@dataclass
class Reencrypted:
    kinds: dict[str, Counts] = field(default_factory=dict)


@dataclass
class Status:
    """What still depends on a key other than the current one."""

    # Ciphertexts not (yet) under the current key, by kind.
    old_ciphertexts: dict[str, int] = field(default_factory=dict)
    # Ciphertexts under no key of the ring, by kind.
    undecryptable: dict[str, int] = field(default_factory=dict)
    # Cloud numbers whose verify-token digest is not the current key's.
    old_verify_digests: int = 0
    # Usable API keys (not revoked, not expired) hashed under another key than the
    # current one, and those whose hash predates recorded key ids (unknown key).
    old_api_keys: int = 0
    unknown_api_keys: int = 0
    old_api_key_ids: list[str] = field(default_factory=list)

    @property
    def old_key_needed(self) -> bool:
        """Whether dropping every key but the current one would break something stored."""
        return bool(
            sum(self.old_ciphertexts.values())
            or self.old_verify_digests
            or self.old_api_keys
            or self.unknown_api_keys
        )


# Each kind: the table, its key column, the ciphertext column and the purpose.
_CIPHERTEXTS: tuple[tuple[str, Any, str, str], ...] = (
    ("webhook endpoint secrets", WebhookEndpoint, "secret", WEBHOOK_PURPOSE),
    ("webhook endpoint previous secrets", WebhookEndpoint, "previous_secret", WEBHOOK_PURPOSE),
    ("cloud number credentials", CloudNumber, "credentials", cloud_credentials.PURPOSE),
    ("stored idempotent responses", IdempotencyKey, "response_body", IDEMPOTENCY_PURPOSE),
)


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _primary_key(table: Table) -> Any:
    (column,) = table.primary_key.columns
    return column


async def reencrypt(
    sessionmaker: async_sessionmaker[AsyncSession],
    secrets: Sequence[bytes],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[str, Counts], None] | None = None,
) -> Reencrypted:
    """Re-encrypt every stored ciphertext under ``secrets[0]``, and the cloud numbers'
    verify-token digests; ``batch_size`` rows per transaction."""
    result = Reencrypted()
    for name, model, column_name, purpose in _CIPHERTEXTS:
        counts = Counts()
        result.kinds[name] = counts
        extra = _cloud_digest if model is CloudNumber else None
        await _reencrypt_column(
            sessionmaker,
            secrets,
            _table(model),
            column_name,
            purpose,
            counts,
            batch_size=batch_size,
            extra=extra,
        )
        if progress is not None:
            progress(name, counts)
    return result


def _cloud_digest(secrets: Sequence[bytes], plaintext: bytes, row: Any) -> dict[str, Any]:
    """The verify-token digest of a cloud number under the current key, when it is not."""
    verify_token = json.loads(plaintext)["verify_token"]
    digest = cloud_credentials.verify_token_digest(secrets[0], verify_token)
    if bytes(row.verify_token_digest) == digest:
        return {}
    return {"verify_token_digest": digest}


async def _reencrypt_column(
    sessionmaker: async_sessionmaker[AsyncSession],
    secrets: Sequence[bytes],
    table: Table,
    column_name: str,
    purpose: str,
    counts: Counts,
    *,
    batch_size: int,
    extra: Callable[[Sequence[bytes], bytes, Any], dict[str, Any]] | None,
) -> None:
    key = _primary_key(table)
    column = table.c[column_name]
    selected = [key, column]
    if extra is not None:
        selected.append(table.c.verify_token_digest)
    after: Any = None
    while True:
        query = select(*selected).where(column.is_not(None)).order_by(key).limit(batch_size)
        if after is not None:
            query = query.where(key > after)
        async with sessionmaker() as db, db.begin():
            rows = (await db.execute(query)).all()
            if not rows:
                return
            after = rows[-1][0]
            changes: list[tuple[Any, bytes, dict[str, Any]]] = []
            for row in rows:
                counts.examined += 1
                old = bytes(row[1])
                try:
                    plaintext = crypto.decrypt(secrets, purpose, old)
                except (InvalidTag, ValueError):
                    counts.undecryptable += 1
                    continue
                values: dict[str, Any] = {}
                if not crypto.is_current(secrets, old):
                    values[column_name] = crypto.encrypt(secrets, purpose, plaintext)
                if extra is not None:
                    values.update(extra(secrets, plaintext, row))
                if values:
                    changes.append((row[0], old, values))
            for row_key, read, new_values in changes:
                # Conditional on the ciphertext still being the one read.
                done = await db.execute(
                    update(table).where(key == row_key, column == read).values(**new_values)
                )
                counts.rewritten += int(getattr(done, "rowcount", 0) or 0)
        if len(rows) < batch_size:
            return


async def status(
    sessionmaker: async_sessionmaker[AsyncSession],
    secrets: Sequence[bytes],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    listed: int = 20,
) -> Status:
    """What still needs a key other than ``secrets[0]``. Reads only."""
    current_id = crypto.key_id(secrets[0])
    result = Status()
    for name, model, column_name, purpose in _CIPHERTEXTS:
        table = _table(model)
        key, column = _primary_key(table), table.c[column_name]
        selected = [key, column]
        if model is CloudNumber:
            selected.append(table.c.verify_token_digest)
        old = undecryptable = 0
        after: Any = None
        while True:
            query = select(*selected).where(column.is_not(None)).order_by(key).limit(batch_size)
            if after is not None:
                query = query.where(key > after)
            async with sessionmaker() as db:
                rows = (await db.execute(query)).all()
            if not rows:
                break
            after = rows[-1][0]
            for row in rows:
                ciphertext = bytes(row[1])
                if crypto.ciphertext_key_id(ciphertext) != current_id:
                    old += 1
                if model is CloudNumber or crypto.ciphertext_key_id(ciphertext) != current_id:
                    try:
                        plaintext = crypto.decrypt(secrets, purpose, ciphertext)
                    except (InvalidTag, ValueError):
                        undecryptable += 1
                        continue
                    if model is CloudNumber and _cloud_digest(secrets, plaintext, row):
                        result.old_verify_digests += 1
            if len(rows) < batch_size:
                break
        result.old_ciphertexts[name] = old
        result.undecryptable[name] = undecryptable
    usable = and_(
        ApiKey.revoked_at.is_(None),
        or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > utcnow()),
    )
    current_hex = current_id.hex()
    async with sessionmaker() as db:
        result.unknown_api_keys = int(
            await db.scalar(select(func.count()).where(usable, ApiKey.secret_key_id.is_(None))) or 0
        )
        result.old_api_keys = int(
            await db.scalar(select(func.count()).where(usable, ApiKey.secret_key_id != current_hex))
            or 0
        )
        result.old_api_key_ids = list(
            (
                await db.scalars(
                    select(ApiKey.id)
                    .where(
                        usable,
                        or_(ApiKey.secret_key_id.is_(None), ApiKey.secret_key_id != current_hex),
                    )
                    .order_by(ApiKey.id)
                    .limit(listed)
                )
            ).all()
        )
    return result
