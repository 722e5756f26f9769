"""``FakeStripe``: the account's state, its events, and what Stripe does on its own.

Events caused by an API request (a subscription updated or cancelled) go out from a
background task so the request answers first, as Stripe's do. Events caused by a control
method (a checkout completed, a renewal paid or failed) are delivered before the method
returns, so a test can assert on what the receiver did right after awaiting it.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import httpx

from gateway.fakes.stripe import objects
from gateway.fakes.stripe.errors import invalid_request
from gateway.fakes.stripe.state import Delivery, MeterEvent, StripeState, new_id
from gateway.fakes.stripe.webhooks import Deliverer

# The version the `stripe` library this project pins sends; events are rendered in it.
API_VERSION = "2026-10-28.endive"
RETRY_DAYS = 3
# Test-mode credentials of the fake account; nothing real is ever signed with them.
TEST_API_KEY = "sk_test_fake_4eC39HqLyjWDarjtT1zdp7dc"
TEST_WEBHOOK_SECRET = "whsec_fake_secret_for_tests"  # noqa: S105


class FakeStripe:
    """An in-memory Stripe test-mode account: Billing objects, meter events, signed events."""

    def __init__(
        self,
        *,
        api_key: str = TEST_API_KEY,
        webhook_url: str | None = None,
        webhook_secret: str = TEST_WEBHOOK_SECRET,
        api_version: str = API_VERSION,
        clock: Callable[[], int] | None = None,
        notify_client: httpx.AsyncClient | None = None,
        notify_attempts: int = 3,
        notify_backoff: float = 0.05,
    ) -> None:
        self.state = StripeState()
        self.api_keys = {api_key}
        self.api_key = api_key
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.api_version = api_version
        self.clock = clock or (lambda: int(time.time()))
        self.deliverer = Deliverer(
            self.state, notify_client, attempts=notify_attempts, backoff=notify_backoff
        )
        self._invoice_numbers = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        # Seconds each answer of ``POST /v1/billing/meter_events`` waits once the request
        # was served (the event recorded, an idempotent result saved): a client that gives
        # up or dies meanwhile has reported the event without learning so. Lowering it
        # releases the answers waiting.
        self.meter_event_delay = 0.0

    # What tests read.
    @property
    def events(self) -> list[dict[str, Any]]:
        """Every event the account produced, oldest first."""
        return list(self.state.events.values())

    @property
    def deliveries(self) -> list[Delivery]:
        return self.state.deliveries

    @property
    def meter_events(self) -> list[MeterEvent]:
        return self.state.meter_events

    def event_types(self) -> list[str]:
        return [e["type"] for e in self.state.events.values()]

    def events_of_type(self, type: str) -> list[dict[str, Any]]:
        return [e for e in self.state.events.values() if e["type"] == type]

    def usage(self, customer_id: str, event_name: str | None = None) -> int:
        """The sum of the meter event values reported for ``customer_id``."""
        return sum(
            m.value
            for m in self.state.meter_events
            if m.customer == customer_id and event_name in (None, m.event_name)
        )

    # Catalogue set-up (what a developer does once in the dashboard).
    def add_meter(self, event_name: str, display_name: str | None = None) -> dict[str, Any]:
        for existing in self.state.meters.values():
            if existing["event_name"] == event_name:
                return existing
        meter = objects.meter(self.clock(), event_name, display_name)
        self.state.meters[meter["id"]] = meter
        return meter

    def add_price(
        self,
        *,
        unit_amount: int | None = 1000,
        currency: str = "usd",
        interval: str | None = "month",
        product_name: str = "Gateway plan",
        product_id: str | None = None,
        meter_event_name: str | None = None,
        lookup_key: str | None = None,
        nickname: str | None = None,
        price_id: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """A price (and its product, and its meter for a metered price) the API then knows."""
        if interval is not None and interval not in objects.INTERVALS:
            raise ValueError(f"interval must be one of {objects.INTERVALS}")
        now = self.clock()
        if product_id is None or product_id not in self.state.products:
            prod = objects.product(now, product_name, product_id)
            self.state.products[prod["id"]] = prod
            product_id = prod["id"]
        meter_id = self.add_meter(meter_event_name)["id"] if meter_event_name else None
        price = objects.price(
            now,
            product_id=product_id,
            unit_amount=unit_amount,
            currency=currency,
            interval=interval,
            meter_id=meter_id,
            lookup_key=lookup_key,
            nickname=nickname,
            price_id=price_id,
            metadata=metadata,
        )
        self.state.prices[price["id"]] = price
        return price

    # Events.
    def emit(
        self,
        type: str,
        obj: dict[str, Any],
        previous_attributes: dict[str, Any] | None = None,
        *,
        request: tuple[str, str | None] | None = None,
    ) -> dict[str, Any]:
        """Record an event carrying a snapshot of ``obj`` (not yet sent)."""
        request_id, key = request or (None, None)
        event = objects.event(
            self.clock(),
            type=type,
            obj=copy.deepcopy(obj),
            api_version=self.api_version,
            previous_attributes=copy.deepcopy(previous_attributes),
            request_id=request_id,
            idempotency_key=key,
        )
        self.state.events[event["id"]] = event
        return event

    async def send(self, event_ids: Sequence[str], *, signature: str = "valid") -> list[Delivery]:
        """POST these events, in this order (any order: a replay, or out of order)."""
        deliveries = []
        for event_id in event_ids:
            event = self.state.events.get(event_id)
            if event is None:
                raise KeyError(f"no event {event_id!r}")
            deliveries.append(
                await self.deliverer.deliver(
                    event, self.webhook_url, self.webhook_secret, signature=signature
                )
            )
        return deliveries

    async def resend(self, event_id: str, *, signature: str = "valid") -> Delivery:
        """Send an event again, as Stripe's retries and the dashboard's "Resend" do."""
        return (await self.send([event_id], signature=signature))[0]

    async def send_with_bad_signature(self, event_id: str) -> Delivery:
        return await self.resend(event_id, signature="bad")

    async def send_with_stale_signature(self, event_id: str) -> Delivery:
        return await self.resend(event_id, signature="stale")

    def send_later(self, events: Sequence[dict[str, Any]]) -> None:
        """Deliver ``events`` in order from a background task (the request answers first)."""
        if events:
            self._spawn(self.send([e["id"] for e in events]))

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settle(self) -> None:
        """Wait for the background deliveries started so far."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.deliverer.aclose()

    # What Stripe does on its own, on demand.
    async def complete_checkout(
        self, session_id: str, *, email: str | None = None
    ) -> dict[str, Any]:
        """The customer pays on the Checkout page: the customer (when new), an ``active``
        subscription and its paid first invoice, then the events, in Stripe's usual order."""
        session = self.state.get("checkout.session", session_id)
        if session["status"] != "open":
            raise invalid_request(f"Checkout session {session_id} is {session['status']}.")
        events: list[dict[str, Any]] = []
        now = self.clock()
        if session["customer"] is None:
            customer = objects.customer(now, email=email or session["customer_email"])
            self.state.customers[customer["id"]] = customer
            events.append(self.emit("customer.created", customer))
        else:
            customer = self.state.customers[session["customer"]]
        sub_id = new_id("sub_", 24)
        items = [
            objects.subscription_item(now, sub_id, self.state.prices[li["price"]], li["quantity"])
            for li in self.state.line_items[session_id]
        ]
        for item in items:
            self.state.subscription_items[item["id"]] = item
        sub = objects.subscription(
            now,
            subscription_id=sub_id,
            customer_id=customer["id"],
            items=items,
            metadata=dict(self.state.subscription_data[session_id].get("metadata", {})),
            currency=items[0]["price"]["currency"],
        )
        sub["status"] = "active"
        self.state.subscriptions[sub_id] = sub
        invoice = self._new_invoice(sub, "subscription_create")
        self._pay(invoice)
        sub["latest_invoice"] = invoice["id"]
        session.update(
            status="complete",
            payment_status="paid" if invoice["amount_due"] else "no_payment_required",
            customer=customer["id"],
            subscription=sub_id,
            invoice=invoice["id"],
            url=None,
        )
        session["customer_details"] = {"email": customer["email"], "name": customer["name"]}
        events.append(self.emit("customer.subscription.created", sub))
        events += self._invoice_events(invoice, paid=True)
        events.append(self.emit("checkout.session.completed", session))
        await self.send([e["id"] for e in events])
        return sub

    async def pay_invoice(self, invoice_id: str) -> dict[str, Any]:
        """An open invoice is paid (a retry succeeds); a ``past_due`` subscription recovers."""
        invoice = self.state.get("invoice", invoice_id)
        if invoice["status"] != "open":
            raise invalid_request(f"Invoice is already {invoice['status']}.")
        self._pay(invoice)
        events = [
            self.emit("invoice.paid", invoice),
            self.emit("invoice.payment_succeeded", invoice),
        ]
        sub_id = invoice["parent"]["subscription_details"]["subscription"]
        sub = self.state.subscriptions[sub_id]
        if sub["status"] in ("past_due", "unpaid"):
            previous = {"status": sub["status"]}
            sub["status"] = "active"
            events.append(self.emit("customer.subscription.updated", sub, previous))
        await self.send([e["id"] for e in events])
        return invoice

    async def fail_payment(self, subscription_id: str) -> dict[str, Any]:
        """The period renews and its invoice's payment fails: ``past_due``, an open invoice."""
        sub = self._live_subscription(subscription_id)
        previous = self._renew(sub)
        invoice = self._new_invoice(sub, "subscription_cycle")
        now = self.clock()
        invoice.update(
            status="open",
            attempted=True,
            attempt_count=1,
            next_payment_attempt=now + RETRY_DAYS * 86400,
            hosted_invoice_url=f"https://invoice.stripe.com/i/{invoice['id']}",
        )
        invoice["status_transitions"]["finalized_at"] = now
        previous.update(status=sub["status"], latest_invoice=sub["latest_invoice"])
        sub.update(status="past_due", latest_invoice=invoice["id"])
        events = [
            self.emit("invoice.created", invoice),
            self.emit("invoice.finalized", invoice),
            self.emit("invoice.payment_failed", invoice),
            self.emit("customer.subscription.updated", sub, previous),
        ]
        await self.send([e["id"] for e in events])
        return invoice

    async def cancel_at_period_end(
        self, subscription_id: str, cancel: bool = True
    ) -> dict[str, Any]:
        """What the Customer Portal's "Cancel plan" does (or, with ``cancel=False``, undoes)."""
        sub = self._live_subscription(subscription_id)
        previous = self.set_cancel_at_period_end(sub, cancel)
        await self.send([self.emit("customer.subscription.updated", sub, previous)["id"]])
        return sub

    async def end_period(self, subscription_id: str) -> dict[str, Any]:
        """The current period ends: a subscription set to cancel is deleted; any other renews
        and its invoice is paid."""
        sub = self._live_subscription(subscription_id)
        if sub["cancel_at_period_end"]:
            ended = self.end_subscription(sub, at=sub["items"]["data"][0]["current_period_end"])
            await self.send([ended["id"]])
            return sub
        previous = self._renew(sub)
        invoice = self._new_invoice(sub, "subscription_cycle")
        self._pay(invoice)
        previous["latest_invoice"] = sub["latest_invoice"]
        sub["latest_invoice"] = invoice["id"]
        events = self._invoice_events(invoice, paid=True)
        events.append(self.emit("customer.subscription.updated", sub, previous))
        await self.send([e["id"] for e in events])
        return sub

    async def cancel_now(self, subscription_id: str) -> dict[str, Any]:
        """The subscription ends at once (cancelled in the dashboard, or dunning gave up)."""
        sub = self._live_subscription(subscription_id)
        await self.send([self.end_subscription(sub)["id"]])
        return sub

    # Shared by the routes and the control methods.
    def set_cancel_at_period_end(self, sub: dict[str, Any], cancel: bool) -> dict[str, Any]:
        keys = ("cancel_at_period_end", "cancel_at", "canceled_at", "cancellation_details")
        previous = {k: copy.deepcopy(sub[k]) for k in keys}
        end = sub["items"]["data"][0]["current_period_end"]
        sub.update(
            cancel_at_period_end=cancel,
            cancel_at=end if cancel else None,
            canceled_at=self.clock() if cancel else None,
            cancellation_details={
                "comment": None,
                "feedback": None,
                "reason": "cancellation_requested" if cancel else None,
            },
        )
        return {k: v for k, v in previous.items() if v != sub[k]}

    def end_subscription(self, sub: dict[str, Any], at: int | None = None) -> dict[str, Any]:
        """Mark ``sub`` canceled and record ``customer.subscription.deleted`` (not sent)."""
        now = self.clock()
        sub.update(status="canceled", ended_at=at or now, canceled_at=sub["canceled_at"] or now)
        if sub["cancellation_details"]["reason"] is None:
            sub["cancellation_details"]["reason"] = "cancellation_requested"
        return self.emit("customer.subscription.deleted", sub)

    def _live_subscription(self, subscription_id: str) -> dict[str, Any]:
        sub = self.state.get("subscription", subscription_id)
        if sub["status"] in ("canceled", "incomplete_expired"):
            raise invalid_request(f"Subscription {subscription_id} is {sub['status']}.")
        return sub

    def _renew(self, sub: dict[str, Any]) -> dict[str, Any]:
        """Move every item to its next period; the previous attributes of the change."""
        previous = {"items": copy.deepcopy(sub["items"])}
        for item in sub["items"]["data"]:
            interval = (item["price"]["recurring"] or {}).get("interval", "month")
            start = item["current_period_end"]
            item.update(
                current_period_start=start,
                current_period_end=objects.period_end(start, interval),
            )
        return previous

    def _new_invoice(self, sub: dict[str, Any], billing_reason: str) -> dict[str, Any]:
        self._invoice_numbers += 1
        invoice = objects.invoice(
            self.clock(), sub, billing_reason=billing_reason, number=self._invoice_numbers
        )
        self.state.invoices[invoice["id"]] = invoice
        return invoice

    def _pay(self, invoice: dict[str, Any]) -> None:
        now = self.clock()
        invoice.update(
            status="paid",
            amount_paid=invoice["amount_due"],
            amount_remaining=0,
            attempted=True,
            attempt_count=invoice["attempt_count"] or 1,
            next_payment_attempt=None,
            hosted_invoice_url=f"https://invoice.stripe.com/i/{invoice['id']}",
        )
        transitions = invoice["status_transitions"]
        transitions["finalized_at"] = transitions["finalized_at"] or now
        transitions["paid_at"] = now

    def _invoice_events(self, invoice: dict[str, Any], *, paid: bool) -> list[dict[str, Any]]:
        draft = {**invoice, "status": "draft", "amount_paid": 0}
        events = [self.emit("invoice.created", draft), self.emit("invoice.finalized", invoice)]
        if paid:
            events += [
                self.emit("invoice.paid", invoice),
                self.emit("invoice.payment_succeeded", invoice),
            ]
        return events
