"""API key format: ``gw_<mode>_<30 random base62><6 base62 checksum>``.

The checksum (CRC32 of the rest) lets us reject a mistyped key without a lookup and lets
secret scanners recognise a leaked key; only an HMAC-SHA256 of the key is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import zlib
from enum import StrEnum

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
RANDOM_LENGTH = 30
CHECKSUM_LENGTH = 6
_KEY_RE = re.compile(rf"gw_(live|test)_([0-9A-Za-z]{{{RANDOM_LENGTH + CHECKSUM_LENGTH}}})")


class KeyMode(StrEnum):
    live = "live"
    test = "test"


def _base62(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, rest = divmod(number, 62)
        chars.append(ALPHABET[rest])
    return "".join(reversed(chars))


def _checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode()), CHECKSUM_LENGTH)


def generate_key(mode: KeyMode) -> str:
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    body = f"gw_{mode.value}_{random_part}"
    return body + _checksum(body)


def parse_key(key: str) -> KeyMode | None:
    """The key's mode if it is well formed with a valid checksum, else ``None``."""
    match = _KEY_RE.fullmatch(key)
    if match is None:
        return None
    if not hmac.compare_digest(key[-CHECKSUM_LENGTH:], _checksum(key[:-CHECKSUM_LENGTH])):
        return None
    return KeyMode(match.group(1))


def hash_key(key: str, secret: bytes) -> str:
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()


def redact(key_or_last4: str, mode: str) -> str:
    return f"gw_{mode}_…{key_or_last4[-4:]}"
