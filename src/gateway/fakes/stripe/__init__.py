"""A fake of Stripe's API (test mode), following Stripe's published wire format.

``FakeStripe`` holds the account; ``create_app(fake)`` serves it over HTTP; ``gateway
fake-stripe`` runs it with a demo plan. Point the real library at it with
``stripe.StripeClient(key, base_addresses={"api": base_url}, http_client=stripe.HTTPXClient())``
and its ``*_async`` methods when the fake runs in the same event loop.

API (form-encoded, ``Authorization: Bearer sk_test_…``, ``Idempotency-Key`` on POST):

====================================  =====================================================
``POST /v1/customers``                create; ``GET``/``POST /v1/customers/{id}``
``POST /v1/checkout/sessions``        mode=subscription; ``GET …/{id}``; ``url`` → ``/c/pay/``
``POST /v1/billing_portal/sessions``  customer, return_url; ``url`` → ``/p/session/``
``GET /v1/subscriptions[/{id}]``      list (customer, status), retrieve
``POST /v1/subscriptions/{id}``       cancel_at_period_end, items (change price), metadata
``DELETE /v1/subscriptions/{id}``     cancel now
``GET /v1/prices|products|invoices|events/{id}``
``POST /v1/billing/meter_events``     event_name, payload[stripe_customer_id|value],
                                      identifier (duplicates refused), timestamp
====================================  =====================================================

What Stripe does on its own (``FakeStripe`` methods, and ``POST /_fake/…``):
``complete_checkout``, ``pay_invoice``, ``fail_payment``, ``cancel_at_period_end``,
``end_period``, ``cancel_now``, ``resend`` / ``send`` (replays, any order) and
``send_with_bad_signature`` / ``send_with_stale_signature``.
"""

from gateway.fakes.stripe.app import create_app
from gateway.fakes.stripe.errors import StripeError
from gateway.fakes.stripe.fake import API_VERSION, FakeStripe
from gateway.fakes.stripe.state import Delivery, MeterEvent
from gateway.fakes.stripe.webhooks import sign

__all__ = [
    "API_VERSION",
    "Delivery",
    "FakeStripe",
    "MeterEvent",
    "StripeError",
    "create_app",
    "sign",
]
