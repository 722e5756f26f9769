"""Stripe's object shapes, as the current API version (basil and later) answers them.

Since 2025-03-31.basil the billing period lives on each subscription item
(``items.data[].current_period_start/end``), not on the subscription, and an invoice names
its subscription under ``parent.subscription_details``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from gateway.fakes.stripe.state import new_id

INTERVALS = ("day", "week", "month", "year")


def customer(now: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": new_id("cus_", 14),
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": now,
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": fields.get("description"),
        "discount": None,
        "email": fields.get("email"),
        "invoice_prefix": new_id("", 8).upper(),
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": fields.get("metadata") or {},
        "name": fields.get("name"),
        "next_invoice_sequence": 1,
        "phone": fields.get("phone"),
        "preferred_locales": fields.get("preferred_locales") or [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def product(now: int, name: str, product_id: str | None = None) -> dict[str, Any]:
    return {
        "id": product_id or new_id("prod_", 14),
        "object": "product",
        "active": True,
        "created": now,
        "default_price": None,
        "description": None,
        "images": [],
        "livemode": False,
        "metadata": {},
        "name": name,
        "tax_code": None,
        "type": "service",
        "updated": now,
        "url": None,
    }


def meter(now: int, event_name: str, display_name: str | None = None) -> dict[str, Any]:
    return {
        "id": new_id("mtr_", 24),
        "object": "billing.meter",
        "created": now,
        "customer_mapping": {"event_payload_key": "stripe_customer_id", "type": "by_id"},
        "default_aggregation": {"formula": "sum"},
        "display_name": display_name or event_name,
        "event_name": event_name,
        "event_time_window": None,
        "livemode": False,
        "status": "active",
        "status_transitions": {"deactivated_at": None},
        "updated": now,
        "value_settings": {"event_payload_key": "value"},
    }


def price(
    now: int,
    *,
    product_id: str,
    unit_amount: int | None,
    currency: str,
    interval: str | None,
    meter_id: str | None,
    lookup_key: str | None,
    nickname: str | None,
    price_id: str | None,
    metadata: dict[str, str] | None,
) -> dict[str, Any]:
    recurring = None
    if interval is not None:
        recurring = {
            "interval": interval,
            "interval_count": 1,
            "meter": meter_id,
            "trial_period_days": None,
            "usage_type": "metered" if meter_id else "licensed",
        }
    return {
        "id": price_id or new_id("price_", 24),
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": now,
        "currency": currency,
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": lookup_key,
        "metadata": metadata or {},
        "nickname": nickname,
        "product": product_id,
        "recurring": recurring,
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring" if recurring else "one_time",
        "unit_amount": unit_amount,
        "unit_amount_decimal": None if unit_amount is None else str(unit_amount),
    }


def period_end(start: int, interval: str) -> int:
    """One ``interval`` after ``start``, on the calendar as Stripe bills (month-end clamps)."""
    moment = dt.datetime.fromtimestamp(start, dt.UTC)
    if interval == "day":
        moment += dt.timedelta(days=1)
    elif interval == "week":
        moment += dt.timedelta(weeks=1)
    elif interval == "month":
        year, month = divmod(moment.month, 12)
        year, month = moment.year + year, month + 1
        day = min(moment.day, calendar.monthrange(year, month)[1])
        moment = moment.replace(year=year, month=month, day=day)
    else:
        day = min(moment.day, calendar.monthrange(moment.year + 1, moment.month)[1])
        moment = moment.replace(year=moment.year + 1, day=day)
    return int(moment.timestamp())


def subscription_item(
    now: int, subscription_id: str, price_obj: dict[str, Any], quantity: int | None
) -> dict[str, Any]:
    interval = (price_obj["recurring"] or {}).get("interval", "month")
    metered = (price_obj["recurring"] or {}).get("usage_type") == "metered"
    item: dict[str, Any] = {
        "id": new_id("si_", 14),
        "object": "subscription_item",
        "billing_thresholds": None,
        "created": now,
        "current_period_end": period_end(now, interval),
        "current_period_start": now,
        "discounts": [],
        "metadata": {},
        "price": price_obj,
        "subscription": subscription_id,
        "tax_rates": [],
    }
    if not metered:
        item["quantity"] = quantity or 1
    return item


def subscription(
    now: int,
    *,
    subscription_id: str,
    customer_id: str,
    items: list[dict[str, Any]],
    metadata: dict[str, str],
    currency: str,
) -> dict[str, Any]:
    return {
        "id": subscription_id,
        "object": "subscription",
        "application": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": now,
        "billing_mode": {"type": "flexible"},
        "cancel_at": None,
        "cancel_at_period_end": False,
        "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": "charge_automatically",
        "created": now,
        "currency": currency,
        "customer": customer_id,
        "days_until_due": None,
        "default_payment_method": None,
        "description": None,
        "discounts": [],
        "ended_at": None,
        "invoice_settings": {"account_tax_ids": None, "issuer": {"type": "self"}},
        "items": {
            "object": "list",
            "data": items,
            "has_more": False,
            "total_count": len(items),
            "url": f"/v1/subscription_items?subscription={subscription_id}",
        },
        "latest_invoice": None,
        "livemode": False,
        "metadata": metadata,
        "pause_collection": None,
        "pending_update": None,
        "start_date": now,
        "status": "incomplete",
        "test_clock": None,
        "trial_end": None,
        "trial_start": None,
    }


def invoice(now: int, sub: dict[str, Any], *, billing_reason: str, number: int) -> dict[str, Any]:
    invoice_id = new_id("in_", 24)
    lines = []
    for item in sub["items"]["data"]:
        amount = (item["price"]["unit_amount"] or 0) * item.get("quantity", 0)
        lines.append(
            {
                "id": new_id("il_", 24),
                "object": "line_item",
                "amount": amount,
                "currency": sub["currency"],
                "description": None,
                "invoice": invoice_id,
                "livemode": False,
                "metadata": {},
                "parent": {
                    "type": "subscription_item_details",
                    "subscription_item_details": {
                        "invoice_item": None,
                        "proration": False,
                        "subscription": sub["id"],
                        "subscription_item": item["id"],
                    },
                },
                "period": {
                    "start": item["current_period_start"],
                    "end": item["current_period_end"],
                },
                "pricing": {
                    "type": "price_details",
                    "price_details": {
                        "price": item["price"]["id"],
                        "product": item["price"]["product"],
                    },
                    "unit_amount_decimal": item["price"]["unit_amount_decimal"],
                },
                "quantity": item.get("quantity"),
            }
        )
    total = sum(line["amount"] for line in lines)
    first = sub["items"]["data"][0]
    return {
        "id": invoice_id,
        "object": "invoice",
        "account_country": "US",
        "amount_due": total,
        "amount_paid": 0,
        "amount_remaining": total,
        "attempt_count": 0,
        "attempted": False,
        "auto_advance": True,
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically",
        "created": now,
        "currency": sub["currency"],
        "customer": sub["customer"],
        "hosted_invoice_url": None,
        "lines": {
            "object": "list",
            "data": lines,
            "has_more": False,
            "total_count": len(lines),
            "url": f"/v1/invoices/{invoice_id}/lines",
        },
        "livemode": False,
        "metadata": {},
        "next_payment_attempt": None,
        "number": f"{new_id('', 8).upper()}-{number:04d}",
        "parent": {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {
                "metadata": dict(sub["metadata"]),
                "subscription": sub["id"],
                "subscription_proration_date": None,
            },
        },
        "period_end": first["current_period_start"],
        "period_start": first["current_period_start"],
        "status": "draft",
        "status_transitions": {
            "finalized_at": None,
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        },
        "subtotal": total,
        "total": total,
    }


def event(
    now: int,
    *,
    type: str,
    obj: dict[str, Any],
    api_version: str,
    previous_attributes: dict[str, Any] | None = None,
    request_id: str | None = None,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {"object": obj}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    return {
        "id": new_id("evt_", 24),
        "object": "event",
        "api_version": api_version,
        "created": now,
        "data": data,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": request_id, "idempotency_key": idempotency_key},
        "type": type,
    }
