"""The API operations: parameters in (decoded form values), Stripe objects out.

Each checks its parameters as Stripe does (unknown → ``parameter_unknown``, absent →
``parameter_missing``, ids that name nothing → ``resource_missing`` with the param's path)
before it changes anything, so a refused request leaves no trace.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from gateway.fakes.stripe import objects
from gateway.fakes.stripe.errors import (
    StripeError,
    invalid_request,
    invalid_value,
    parameter_missing,
)
from gateway.fakes.stripe.fake import FakeStripe
from gateway.fakes.stripe.forms import Params, integer, merge_metadata, metadata
from gateway.fakes.stripe.state import MeterEvent, new_id

CUSTOMER_FIELDS = ("email", "name", "description", "phone")
CHECKOUT_PARAMS = (
    "mode",
    "customer",
    "customer_email",
    "line_items",
    "success_url",
    "cancel_url",
    "client_reference_id",
    "metadata",
    "subscription_data",
    "allow_promotion_codes",
    "automatic_tax",
    "billing_address_collection",
    "customer_update",
    "tax_id_collection",
    "locale",
    "payment_method_types",
    "ui_mode",
    "expires_at",
)
MODES = ("payment", "setup", "subscription")
SESSION_LIFETIME = 24 * 3600


@dataclass(frozen=True)
class Call:
    """What a route knows about the request beyond its parameters."""

    request_id: str
    idempotency_key: str | None
    base_url: str

    @property
    def origin(self) -> tuple[str, str | None]:
        return self.request_id, self.idempotency_key


class Resources:
    def __init__(self, fake: FakeStripe) -> None:
        self.fake = fake
        self.state = fake.state

    # Customers.
    def create_customer(self, values: dict[str, Any], call: Call) -> dict[str, Any]:
        params = Params(values, (*CUSTOMER_FIELDS, "metadata", "preferred_locales"))
        fields: dict[str, Any] = {k: params.string(k) for k in CUSTOMER_FIELDS}
        fields["metadata"] = merge_metadata({}, params.metadata())
        customer = objects.customer(self.fake.clock(), **fields)
        self.state.customers[customer["id"]] = customer
        self.fake.send_later([self.fake.emit("customer.created", customer, request=call.origin)])
        return customer

    def update_customer(
        self, customer_id: str, values: dict[str, Any], call: Call
    ) -> dict[str, Any]:
        customer = self.state.get("customer", customer_id)
        params = Params(values, (*CUSTOMER_FIELDS, "metadata", "preferred_locales"))
        previous: dict[str, Any] = {}
        for name in CUSTOMER_FIELDS:
            if name in params and customer[name] != params.string(name):
                previous[name] = customer[name]
                customer[name] = params.string(name)
        merged = merge_metadata(customer["metadata"], params.metadata())
        if merged != customer["metadata"]:
            previous["metadata"] = customer["metadata"]
            customer["metadata"] = merged
        if previous:
            event = self.fake.emit("customer.updated", customer, previous, request=call.origin)
            self.fake.send_later([event])
        return customer

    # Checkout.
    def create_checkout_session(self, values: dict[str, Any], call: Call) -> dict[str, Any]:
        params = Params(values, CHECKOUT_PARAMS)
        mode = params.string("mode", required=True)
        if mode not in MODES:
            raise invalid_value("mode", f"Invalid mode: must be one of {', '.join(MODES)}")
        if mode != "subscription":
            raise invalid_value("mode", "This fake only serves mode=subscription sessions.")
        if params.string("ui_mode") in (None, "hosted"):
            params.string("success_url", required=True)
        customer_id = params.string("customer")
        if customer_id is not None:
            self.state.get("customer", customer_id, "customer")
            if params.string("customer_email"):
                raise StripeError(
                    400,
                    "You may only specify one of these parameters: customer, customer_email.",
                    code="parameters_exclusive",
                    param="customer",
                    saved=False,
                )
        line_items = self._line_items(params.raw("line_items"))
        subscription_data = params.raw("subscription_data") or {}
        if not isinstance(subscription_data, dict):
            raise invalid_value("subscription_data", "Invalid hash: subscription_data")
        sub_metadata = metadata(subscription_data.get("metadata"), "subscription_data[metadata]")
        now = self.fake.clock()
        session_id = new_id("cs_test_", 58)
        prices = [self.state.prices[li["price"]] for li in line_items]
        total = sum(
            (p["unit_amount"] or 0) * (li["quantity"] or 0)
            for p, li in zip(prices, line_items, strict=True)
        )
        session: dict[str, Any] = {
            "id": session_id,
            "object": "checkout.session",
            "allow_promotion_codes": params.boolean("allow_promotion_codes"),
            "amount_subtotal": total,
            "amount_total": total,
            "billing_address_collection": params.string("billing_address_collection"),
            "cancel_url": params.string("cancel_url"),
            "client_reference_id": params.string("client_reference_id"),
            "created": now,
            "currency": prices[0]["currency"],
            "customer": customer_id,
            "customer_creation": None if customer_id else "always",
            "customer_details": None,
            "customer_email": params.string("customer_email"),
            "expires_at": params.integer("expires_at") or now + SESSION_LIFETIME,
            "invoice": None,
            "livemode": False,
            "locale": params.string("locale"),
            "metadata": merge_metadata({}, params.metadata()),
            "mode": mode,
            "payment_method_types": ["card"],
            "payment_status": "unpaid",
            "status": "open",
            "subscription": None,
            "success_url": params.string("success_url"),
            "ui_mode": params.string("ui_mode") or "hosted",
            "url": f"{call.base_url}/c/pay/{session_id}",
        }
        self.state.checkout_sessions[session_id] = session
        self.state.line_items[session_id] = line_items
        self.state.subscription_data[session_id] = {"metadata": sub_metadata or {}}
        return session

    def _line_items(self, raw: Any) -> list[dict[str, Any]]:
        if raw is None or raw == "":
            raise parameter_missing("line_items")
        if not isinstance(raw, list) or not all(isinstance(li, dict) for li in raw):
            raise invalid_value("line_items", "Invalid array: line_items")
        items = []
        for index, line in enumerate(raw):
            param = f"line_items[{index}]"
            price_id = line.get("price")
            if not price_id:
                raise parameter_missing(f"{param}[price]")
            price = self.state.get("price", price_id, f"{param}[price]")
            quantity = integer(line.get("quantity"), f"{param}[quantity]")
            metered = (price["recurring"] or {}).get("usage_type") == "metered"
            if metered and quantity is not None:
                raise invalid_value(
                    f"{param}[quantity]",
                    "Quantity should not be specified where usage_type is `metered`. "
                    "Remove quantity from `line_items`.",
                )
            if price["recurring"] is None:
                raise invalid_value(f"{param}[price]", "This fake needs recurring prices.")
            items.append({"price": price_id, "quantity": None if metered else quantity or 1})
        return items

    # Billing portal.
    def create_portal_session(self, values: dict[str, Any], call: Call) -> dict[str, Any]:
        params = Params(values, ("customer", "return_url", "configuration", "locale", "flow_data"))
        customer_id = params.string("customer", required=True)
        assert customer_id is not None
        self.state.get("customer", customer_id, "customer")
        session_id = new_id("bps_", 24)
        session = {
            "id": session_id,
            "object": "billing_portal.session",
            "configuration": params.string("configuration") or "bpc_fake_default",
            "created": self.fake.clock(),
            "customer": customer_id,
            "flow": None,
            "livemode": False,
            "locale": params.string("locale"),
            "on_behalf_of": None,
            "return_url": params.string("return_url"),
            "url": f"{call.base_url}/p/session/{session_id}",
        }
        self.state.portal_sessions[session_id] = session
        return session

    # Subscriptions.
    def list_subscriptions(self, values: dict[str, Any]) -> dict[str, Any]:
        params = Params(values, ("customer", "status", "price", "limit", "starting_after"))
        customer, status = params.string("customer"), params.string("status")
        found = [
            s
            for s in reversed(self.state.subscriptions.values())
            if customer in (None, s["customer"]) and _status_matches(s["status"], status)
        ]
        limit = max(1, min(params.integer("limit") or 10, 100))
        return {
            "object": "list",
            "data": found[:limit],
            "has_more": len(found) > limit,
            "url": "/v1/subscriptions",
        }

    def update_subscription(
        self, subscription_id: str, values: dict[str, Any], call: Call
    ) -> dict[str, Any]:
        sub = self.state.get("subscription", subscription_id)
        params = Params(
            values,
            (
                "cancel_at_period_end",
                "items",
                "metadata",
                "proration_behavior",
                "payment_behavior",
                "cancellation_details",
                "description",
            ),
        )
        if sub["status"] == "canceled" and set(params.values) - {
            "metadata",
            "cancellation_details",
        }:
            raise invalid_request(
                "A canceled subscription can only update its cancellation_details and metadata."
            )
        behavior = params.string("proration_behavior")
        if behavior not in (None, "create_prorations", "none", "always_invoice"):
            raise invalid_value(
                "proration_behavior",
                "Invalid proration_behavior: must be one of always_invoice, "
                "create_prorations, or none",
            )
        item_changes = self._item_changes(sub, params.raw("items"))
        cancel = params.boolean("cancel_at_period_end")
        new_metadata = params.metadata()
        previous: dict[str, Any] = {}
        if item_changes is not None:
            previous["items"] = copy.deepcopy(sub["items"])
            self._apply_items(sub, item_changes)
        if cancel is not None and cancel != sub["cancel_at_period_end"]:
            previous.update(self.fake.set_cancel_at_period_end(sub, cancel))
        if new_metadata is not None:
            merged = merge_metadata(sub["metadata"], new_metadata)
            if merged != sub["metadata"]:
                previous["metadata"] = sub["metadata"]
                sub["metadata"] = merged
        if previous:
            event = self.fake.emit(
                "customer.subscription.updated", sub, previous, request=call.origin
            )
            self.fake.send_later([event])
        return sub

    def _item_changes(self, sub: dict[str, Any], raw: Any) -> list[dict[str, Any]] | None:
        if raw is None:
            return None
        if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
            raise invalid_value("items", "Invalid array: items")
        current = {i["id"] for i in sub["items"]["data"]}
        changes = []
        for index, change in enumerate(raw):
            param = f"items[{index}]"
            item_id = change.get("id")
            if item_id is not None and item_id not in current:
                raise invalid_value(
                    f"{param}[id]",
                    f"Subscription item {item_id} does not belong to this subscription.",
                )
            price_id = change.get("price")
            if price_id is not None:
                self.state.get("price", price_id, f"{param}[price]")
            elif item_id is None:
                raise parameter_missing(f"{param}[price]")
            deleted = change.get("deleted")
            if deleted not in (None, "true", "false"):
                raise invalid_value(f"{param}[deleted]", f"Invalid boolean: {deleted}")
            changes.append(
                {
                    "id": item_id,
                    "price": price_id,
                    "quantity": integer(change.get("quantity"), f"{param}[quantity]"),
                    "deleted": deleted == "true",
                }
            )
        return changes

    def _apply_items(self, sub: dict[str, Any], changes: list[dict[str, Any]]) -> None:
        items: list[dict[str, Any]] = sub["items"]["data"]
        now = self.fake.clock()
        for change in changes:
            item = next((i for i in items if i["id"] == change["id"]), None)
            if change["deleted"] and item is not None:
                items.remove(item)
                self.state.subscription_items.pop(item["id"], None)
                continue
            if item is None:
                price = self.state.prices[change["price"]]
                item = objects.subscription_item(now, sub["id"], price, change["quantity"])
                if items:  # a new item joins the subscription's current period
                    item["current_period_start"] = items[0]["current_period_start"]
                    item["current_period_end"] = items[0]["current_period_end"]
                items.append(item)
                self.state.subscription_items[item["id"]] = item
                continue
            if change["price"] is not None:
                item["price"] = self.state.prices[change["price"]]
                if item["price"]["recurring"]["usage_type"] == "metered":
                    item.pop("quantity", None)
                else:
                    item.setdefault("quantity", 1)
            if change["quantity"] is not None and "quantity" in item:
                item["quantity"] = change["quantity"]
        if not items:
            raise invalid_request("A subscription must have at least one active plan.", "items")
        sub["items"]["total_count"] = len(items)

    def cancel_subscription(
        self, subscription_id: str, values: dict[str, Any], call: Call
    ) -> dict[str, Any]:
        sub = self.state.get("subscription", subscription_id)
        Params(values, ("invoice_now", "prorate", "cancellation_details"))
        if sub["status"] == "canceled":
            raise invalid_request(f"This subscription ({subscription_id}) is already canceled.")
        event = self.fake.end_subscription(sub)
        event["request"] = {"id": call.request_id, "idempotency_key": call.idempotency_key}
        self.fake.send_later([event])
        return sub

    # Metering.
    def create_meter_event(self, values: dict[str, Any], call: Call) -> dict[str, Any]:
        params = Params(values, ("event_name", "payload", "identifier", "timestamp"))
        event_name = params.string("event_name", required=True)
        assert event_name is not None
        payload = params.raw("payload")
        if payload is None:
            raise parameter_missing("payload")
        if not isinstance(payload, dict):
            raise invalid_value("payload", "Invalid hash: payload")
        customer_id = payload.get("stripe_customer_id")
        if not customer_id:
            raise parameter_missing("payload[stripe_customer_id]")
        raw_value = payload.get("value")
        if raw_value is None:
            raise parameter_missing("payload[value]")
        value = integer(raw_value, "payload[value]")
        now = self.fake.clock()
        timestamp = params.integer("timestamp") or now
        if not now - 35 * 86400 <= timestamp <= now + 300:
            raise invalid_value(
                "timestamp",
                "Timestamp must be within the past 35 calendar days or up to 5 minutes "
                "in the future.",
            )
        identifier = params.string("identifier") or new_id("", 32)
        seen = {m.identifier for m in self.state.meter_events}
        if identifier in seen:
            self.state.refused_meter_events.append(dict(values))
            raise invalid_value(
                "identifier",
                f"An event already exists with identifier {identifier}.",
            )
        assert value is not None
        record = MeterEvent(event_name, customer_id, value, identifier, timestamp, dict(payload))
        self.state.meter_events.append(record)
        return {
            "object": "billing.meter_event",
            "created": now,
            "event_name": event_name,
            "identifier": identifier,
            "livemode": False,
            "payload": dict(payload),
            "timestamp": timestamp,
        }


def _status_matches(status: str, wanted: str | None) -> bool:
    """Stripe's list leaves canceled subscriptions out unless ``status`` asks for them."""
    if wanted == "all":
        return True
    if wanted is None:
        return status != "canceled"
    return status == wanted
