"""Standard Webhooks signatures (https://www.standardwebhooks.com): an HMAC-SHA256 over
``{id}.{timestamp}.{body}`` keyed with the secret's bytes, sent as ``v1,<base64>``."""

from __future__ import annotations

import base64
import hashlib
import hmac

PREFIX = "whsec_"


def secret_bytes(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    mac = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def signature_header(secrets: list[str], message_id: str, timestamp: int, body: bytes) -> str:
    """One signature per secret, space-separated (two while a rotated secret is in grace)."""
    return " ".join(sign(s, message_id, timestamp, body) for s in secrets)


def waha_hmac(secret: str, body: bytes) -> str:
    """WAHA's ``X-Webhook-Hmac``: HMAC-SHA512 of the body, hex, keyed with the secret."""
    return hmac.new(secret_bytes(secret), body, hashlib.sha512).hexdigest()
