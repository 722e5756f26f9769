"""A cloud number's secrets: sealed at rest, shown as hints, the verify token looked up
by digest.

The access token, app secret and verify token are encrypted together with the server
secret (the engine sends with the token and the inbound webhook verifies Meta's
signature with the app secret, so neither can be hashed). Meta's subscription handshake
names nothing but the verify token, so a keyed digest of it is stored beside, to find the
number without decrypting every one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from gateway.kit import crypto

PURPOSE = "cloud-number-credentials"
_DIGEST_LABEL = b"cloud-verify-token:"


@dataclass(frozen=True)
class CloudCredentials:
    access_token: str
    app_secret: str
    verify_token: str

    def __repr__(self) -> str:  # never in a log line or a traceback
        return "CloudCredentials(…)"


def seal(secret: bytes, credentials: CloudCredentials) -> bytes:
    plaintext = json.dumps(
        {
            "access_token": credentials.access_token,
            "app_secret": credentials.app_secret,
            "verify_token": credentials.verify_token,
        }
    ).encode()
    return crypto.encrypt(secret, PURPOSE, plaintext)


def unseal(secret: crypto.Secrets, sealed: bytes) -> CloudCredentials:
    values = json.loads(crypto.decrypt(secret, PURPOSE, sealed))
    return CloudCredentials(values["access_token"], values["app_secret"], values["verify_token"])


def verify_token_digest(secret: bytes, verify_token: str) -> bytes:
    return hmac.new(secret, _DIGEST_LABEL + verify_token.encode(), hashlib.sha256).digest()


def hint(value: str) -> str:
    """Enough of a secret to tell which one is stored, never enough to use it."""
    if len(value) < 16:
        return "…" + value[-2:]
    return f"{value[:4]}…{value[-4:]}"
