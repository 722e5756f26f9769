"""ORM models, one module per table; importing this package registers them all."""

from gateway.models.account import Account
from gateway.models.api_key import ApiKey
from gateway.models.base import Base
from gateway.models.idempotency_key import IdempotencyKey

__all__ = ["Account", "ApiKey", "Base", "IdempotencyKey"]
