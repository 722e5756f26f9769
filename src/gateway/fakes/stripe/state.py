"""What the fake Stripe account holds: its objects (as Stripe's JSON), events and deliveries.

Objects are kept as the dicts the API answers, so a route returns them as they are and an
event snapshots them with a deep copy.
"""

from __future__ import annotations

import copy
import secrets
import string
from dataclasses import dataclass, field
from typing import Any

from gateway.fakes.stripe.errors import invalid_value, resource_missing

ALPHABET = string.ascii_letters + string.digits

# Which collection an id's prefix points at, and the noun Stripe's "No such …" uses.
KINDS = {
    "cus_": ("customers", "customer"),
    "cs_": ("checkout_sessions", "checkout.session"),
    "bps_": ("portal_sessions", "billing_portal.session"),
    "sub_": ("subscriptions", "subscription"),
    "si_": ("subscription_items", "subscription item"),
    "in_": ("invoices", "invoice"),
    "price_": ("prices", "price"),
    "prod_": ("products", "product"),
    "mtr_": ("meters", "billing.meter"),
    "evt_": ("events", "event"),
}


def new_id(prefix: str, length: int = 24) -> str:
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(length))


@dataclass
class MeterEvent:
    """One ``POST /v1/billing/meter_events`` the fake accepted."""

    event_name: str
    customer: str
    value: int
    identifier: str
    timestamp: int
    payload: dict[str, str]


@dataclass
class Delivery:
    """One event POSTed (or meant to be POSTed) to the webhook URL, with every attempt."""

    event_id: str
    type: str
    url: str | None
    body: bytes
    signature: str
    attempts: list[int | str] = field(default_factory=list)

    @property
    def delivered(self) -> bool:
        return any(isinstance(a, int) and 200 <= a < 300 for a in self.attempts)


@dataclass
class IdempotentResult:
    fingerprint: tuple[str, str, tuple[tuple[str, str], ...]]
    request_id: str
    status: int | None = None  # None while the first request runs
    body: bytes = b""


@dataclass
class StripeState:
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    checkout_sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    portal_sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscription_items: dict[str, dict[str, Any]] = field(default_factory=dict)
    invoices: dict[str, dict[str, Any]] = field(default_factory=dict)
    prices: dict[str, dict[str, Any]] = field(default_factory=dict)
    products: dict[str, dict[str, Any]] = field(default_factory=dict)
    meters: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    meter_events: list[MeterEvent] = field(default_factory=list)
    refused_meter_events: list[dict[str, Any]] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    idempotency: dict[tuple[str, str], IdempotentResult] = field(default_factory=dict)
    # Checkout line items are not part of the session object (Stripe lists them apart).
    line_items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # What a checkout session's `subscription_data` asked of the subscription it creates.
    subscription_data: dict[str, dict[str, Any]] = field(default_factory=dict)

    def collection(self, object_id: str) -> tuple[dict[str, dict[str, Any]], str]:
        for prefix, (name, noun) in KINDS.items():
            if object_id.startswith(prefix):
                store: dict[str, dict[str, Any]] = getattr(self, name)
                return store, noun
        raise KeyError(object_id)

    def get(self, noun: str, object_id: str, param: str = "id") -> dict[str, Any]:
        """The object, or Stripe's 404 ``resource_missing`` naming ``param``."""
        try:
            store, kind = self.collection(object_id)
        except KeyError:
            raise resource_missing(noun, object_id, param) from None
        found = store.get(object_id)
        if found is None or kind != noun:
            raise resource_missing(noun, object_id, param)
        return found

    def find(self, object_id: str) -> dict[str, Any] | None:
        try:
            store, _ = self.collection(object_id)
        except KeyError:
            return None
        return store.get(object_id)

    def expand(self, obj: dict[str, Any], paths: list[str]) -> dict[str, Any]:
        """A copy of ``obj`` with the ids at ``paths`` (``customer``, ``items.data.price``…)
        replaced by their objects, as ``expand[]`` asks."""
        result = copy.deepcopy(obj)
        for path in paths:
            self._expand(result, path.split("."), path)
        return result

    def _expand(self, node: Any, parts: list[str], path: str) -> None:
        if not parts:
            return
        head, rest = parts[0], parts[1:]
        if isinstance(node, list):
            for item in node:
                self._expand(item, parts, path)
            return
        if not isinstance(node, dict) or head not in node:
            raise invalid_value("expand", f"This property cannot be expanded ({path}).")
        value = node[head]
        if isinstance(value, str):
            found = self.find(value)
            if found is None:
                raise invalid_value("expand", f"This property cannot be expanded ({path}).")
            value = node[head] = copy.deepcopy(found)
        if value is not None:
            self._expand(value, rest, path)
