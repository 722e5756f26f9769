"""Encryption at rest for secrets the gateway must be able to read back (stored idempotent
responses that carry a new key, webhook signing secrets, cloud numbers' credentials,
dashboard cookies).

AES-256-GCM with a key derived from the server secret per purpose (HKDF), so one secret
serves every use without one use's ciphertext being valid for another.

The server secret can be rotated (``GATEWAY_SECRET_KEY`` is a keyring: the first key
encrypts, every key decrypts). A ciphertext names the key that made it:

- version 2: ``0x02`` + the key's id (4 bytes, ``key_id``) + nonce (12) + ciphertext;
  decryption picks the key by its id, without trial;
- version 1 (before rotation existed): ``0x01`` + nonce + ciphertext; decryption tries
  each key of the ring.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Sequence
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_V1 = 1
_V2 = 2
_NONCE_BYTES = 12
KEY_ID_BYTES = 4
_KEY_ID_LABEL = b"gateway-secret-key-id"

# One key, or a keyring (current first): what every decrypting and verifying function takes.
Secrets = bytes | Sequence[bytes]


@lru_cache(maxsize=32)
def _cipher(secret: bytes, purpose: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        secret
    )
    return AESGCM(key)


@lru_cache(maxsize=32)
def key_id(secret: bytes) -> bytes:
    """A short, public name of a secret: what a version-2 ciphertext carries and what a
    stored API key hash records. An HMAC, so it tells nothing of the secret."""
    return hmac.new(secret, _KEY_ID_LABEL, hashlib.sha256).digest()[:KEY_ID_BYTES]


def key_id_hex(secret: bytes) -> str:
    return key_id(secret).hex()


def ring(secrets: Secrets) -> tuple[bytes, ...]:
    """``secrets`` as a keyring (current first)."""
    if isinstance(secrets, bytes):
        return (secrets,)
    keys = tuple(secrets)
    if not keys:
        raise ValueError("an empty keyring")
    return keys


def encrypt(secret: Secrets, purpose: str, plaintext: bytes) -> bytes:
    """Encrypt ``plaintext`` for ``purpose`` with the secret (a keyring's first key); the
    result carries its version, the key's id and the nonce."""
    current = ring(secret)[0]
    nonce = os.urandom(_NONCE_BYTES)
    head = bytes([_V2]) + key_id(current)
    return head + nonce + _cipher(current, purpose).encrypt(nonce, plaintext, None)


def ciphertext_key_id(ciphertext: bytes) -> bytes | None:
    """The id of the key a version-2 ciphertext was made with; ``None`` for version 1."""
    if ciphertext[:1] == bytes([_V2]):
        return ciphertext[1 : 1 + KEY_ID_BYTES]
    return None


def is_current(secrets: Secrets, ciphertext: bytes) -> bool:
    """Whether ``ciphertext`` is already one of the keyring's current key (nothing to
    re-encrypt)."""
    return ciphertext_key_id(ciphertext) == key_id(ring(secrets)[0])


def decrypt(secrets: Secrets, purpose: str, ciphertext: bytes) -> bytes:
    """Decrypt what ``encrypt`` produced with any key of ``secrets``; raises
    ``cryptography.exceptions.InvalidTag`` when no key, the purpose or the bytes are the
    ones it was made with, ``ValueError`` for an unknown version."""
    keys = ring(secrets)
    version = ciphertext[:1]
    if version == bytes([_V2]):
        wanted = ciphertext[1 : 1 + KEY_ID_BYTES]
        body = ciphertext[1 + KEY_ID_BYTES :]
        # Two keys of a ring sharing an id (1 in 2^32) are both tried.
        candidates = [key for key in keys if hmac.compare_digest(key_id(key), wanted)]
    elif version == bytes([_V1]):
        body = ciphertext[1:]
        candidates = list(keys)
    else:
        raise ValueError("unknown ciphertext version")
    nonce, sealed = body[:_NONCE_BYTES], body[_NONCE_BYTES:]
    for key in candidates:
        try:
            return _cipher(key, purpose).decrypt(nonce, sealed, None)
        except InvalidTag:
            continue
    raise InvalidTag()


def reencrypt(secrets: Secrets, purpose: str, ciphertext: bytes) -> bytes | None:
    """``ciphertext`` encrypted anew under the current key, or ``None`` when it already
    is (re-encrypting twice changes nothing)."""
    if is_current(secrets, ciphertext):
        return None
    return encrypt(secrets, purpose, decrypt(secrets, purpose, ciphertext))
