"""Encryption at rest for secrets the gateway must be able to read back (stored idempotent
responses that carry a new key, webhook signing secrets).

AES-256-GCM with a key derived from the server secret per purpose (HKDF), so one secret
serves every use without one use's ciphertext being valid for another.
"""

from __future__ import annotations

import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = b"\x01"
_NONCE_BYTES = 12


@lru_cache(maxsize=32)
def _cipher(secret: bytes, purpose: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        secret
    )
    return AESGCM(key)


def encrypt(secret: bytes, purpose: str, plaintext: bytes) -> bytes:
    """Encrypt ``plaintext`` for ``purpose``; the result carries its version and nonce."""
    nonce = os.urandom(_NONCE_BYTES)
    return _VERSION + nonce + _cipher(secret, purpose).encrypt(nonce, plaintext, None)


def decrypt(secret: bytes, purpose: str, ciphertext: bytes) -> bytes:
    """Decrypt what ``encrypt`` produced; raises ``cryptography.exceptions.InvalidTag``
    when the secret, the purpose or the bytes are not the ones it was made with."""
    if ciphertext[:1] != _VERSION:
        raise ValueError("unknown ciphertext version")
    nonce = ciphertext[1 : 1 + _NONCE_BYTES]
    return _cipher(secret, purpose).decrypt(nonce, ciphertext[1 + _NONCE_BYTES :], None)
