"""The fake Stripe API driven by the real ``stripe`` library over HTTP, and its signed events."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe
from stripe.params.billing import MeterEventCreateParams

from gateway.billing.stripe_api import HTTPXClient
from gateway.fakes.stripe import FakeStripe, sign
from tests.fakes.stripe import StripeHandle, serving_stripe
from tests.local_http import Recorded, Reply, serving


@pytest.fixture
async def fake_stripe() -> AsyncIterator[StripeHandle]:
    async with serving_stripe() as handle:
        yield handle


@pytest.fixture
def client(fake_stripe: StripeHandle) -> stripe.StripeClient:
    return fake_stripe.client()


def construct(request: Recorded, secret: str) -> stripe.Event:
    return stripe.Webhook.construct_event(request.body, request.headers["stripe-signature"], secret)


async def checkout(
    client: stripe.StripeClient, price_id: str, **extra: Any
) -> stripe.checkout.Session:
    params: dict[str, Any] = {
        "mode": "subscription",
        "line_items": [{"price": price_id, "quantity": 1}],
        "success_url": "https://app.example/billing?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://app.example/billing",
        **extra,
    }
    return await client.v1.checkout.sessions.create_async(params)  # type: ignore[arg-type]


async def test_customers_create_retrieve_update(client: stripe.StripeClient) -> None:
    created = await client.v1.customers.create_async(
        {"email": "ada@example.com", "name": "Ada", "metadata": {"account_id": "acct_1"}}
    )
    assert created.id.startswith("cus_")
    assert created.object == "customer"
    assert created.livemode is False
    assert isinstance(created.created, int)
    assert created.metadata.to_dict() == {"account_id": "acct_1"}

    fetched = await client.v1.customers.retrieve_async(created.id)
    assert fetched.email == "ada@example.com"

    updated = await client.v1.customers.update_async(
        created.id, {"name": "Ada L.", "metadata": {"plan": "pro", "account_id": ""}}
    )
    assert updated.name == "Ada L."
    assert updated.metadata.to_dict() == {
        "plan": "pro"
    }  # an empty value unsets a key, as Stripe does


async def test_errors_are_stripe_envelopes(
    fake_stripe: StripeHandle, client: stripe.StripeClient
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await client.v1.customers.retrieve_async("cus_nope")
    assert missing.value.http_status == 404
    assert missing.value.code == "resource_missing"
    assert missing.value.param == "id"
    assert missing.value.request_id is not None
    assert "No such customer: 'cus_nope'" in str(missing.value.user_message)

    with pytest.raises(stripe.InvalidRequestError) as unknown:
        await client.v1.customers.create_async({"colour": "red"})  # type: ignore[typeddict-unknown-key]
    assert (unknown.value.http_status, unknown.value.code) == (400, "parameter_unknown")
    assert unknown.value.param == "colour"

    with pytest.raises(stripe.InvalidRequestError) as absent:
        await client.v1.checkout.sessions.create_async({"mode": "subscription"})
    assert (absent.value.code, absent.value.param) == ("parameter_missing", "success_url")

    with pytest.raises(stripe.AuthenticationError) as bad_key:
        await fake_stripe.client("sk_test_wrong_key_123456").v1.customers.retrieve_async("cus_x")
    assert bad_key.value.http_status == 401
    assert str(bad_key.value.user_message).startswith("Invalid API Key provided: sk_test_")

    async with httpx.AsyncClient() as http:
        anonymous = await http.get(f"{fake_stripe.base_url}/v1/customers/cus_x")
        unrouted = await http.get(
            f"{fake_stripe.base_url}/v1/nothing", headers={"Authorization": "Bearer x"}
        )
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["type"] == "invalid_request_error"
    assert "You did not provide an API key" in anonymous.json()["error"]["message"]
    assert unrouted.status_code == 404
    assert unrouted.json()["error"]["message"].startswith("Unrecognized request URL (GET")


async def test_idempotency_replays_and_refuses_other_params(
    client: stripe.StripeClient, fake_stripe: StripeHandle
) -> None:
    options = {"idempotency_key": "key-1"}
    first = await client.v1.customers.create_async({"email": "a@example.com"}, options)
    again = await client.v1.customers.create_async({"email": "a@example.com"}, options)
    assert again.id == first.id
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    assert len(fake_stripe.fake.state.customers) == 1

    with pytest.raises(stripe.IdempotencyError) as mismatch:
        await client.v1.customers.create_async({"email": "b@example.com"}, options)
    assert mismatch.value.http_status == 400
    assert mismatch.value.error is not None
    assert mismatch.value.error.type == "idempotency_error"

    # A request refused while its parameters are checked saves nothing: the key stays free.
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.customers.create_async({"bogus": "1"}, {"idempotency_key": "key-2"})  # type: ignore[typeddict-unknown-key]
    retried = await client.v1.customers.create_async({"name": "ok"}, {"idempotency_key": "key-2"})
    assert retried.name == "ok"


async def test_checkout_complete_subscription_and_events(fake_stripe: StripeHandle) -> None:
    with serving({"/stripe": Reply(200)}) as receiver:
        fake_stripe.fake.webhook_url = receiver.url("/stripe")
        client = fake_stripe.client()
        price = fake_stripe.fake.add_price(unit_amount=2900, lookup_key="pro_monthly")
        customer = await client.v1.customers.create_async({"email": "ada@example.com"})
        await fake_stripe.fake.settle()
        session = await checkout(
            client,
            price["id"],
            customer=customer.id,
            client_reference_id="acct_123",
            metadata={"account_id": "acct_123"},
            subscription_data={"metadata": {"account_id": "acct_123"}},
        )
        assert session.id.startswith("cs_test_")
        assert session.object == "checkout.session"
        assert (session.status, session.mode, session.payment_status) == (
            "open",
            "subscription",
            "unpaid",
        )
        assert session.url == f"{fake_stripe.base_url}/c/pay/{session.id}"
        assert session.subscription is None

        sub = await fake_stripe.fake.complete_checkout(session.id)

        done = await client.v1.checkout.sessions.retrieve_async(
            session.id, {"expand": ["subscription"]}
        )
        assert done.status == "complete"
        assert done.payment_status == "paid"
        assert isinstance(done.subscription, stripe.Subscription)
        assert done.subscription.id == sub["id"]

        fetched = await client.v1.subscriptions.retrieve_async(sub["id"])
        assert fetched.id.startswith("sub_")
        assert fetched.status == "active"
        assert fetched.customer == customer.id
        assert fetched.metadata.to_dict() == {"account_id": "acct_123"}
        item = fetched["items"].data[0]
        assert item.price.id == price["id"]
        assert item.current_period_start < item.current_period_end  # on the item, as in basil
        assert "current_period_end" not in fetched
        assert isinstance(fetched.latest_invoice, str)
        assert fetched.latest_invoice.startswith("in_")

        types = [construct(r, fake_stripe.webhook_secret).type for r in receiver.requests]
    assert types[0] == "customer.created"
    assert "customer.subscription.created" in types
    assert "invoice.paid" in types
    assert types[-1] == "checkout.session.completed"
    completed = fake_stripe.fake.events_of_type("checkout.session.completed")[0]
    assert completed["id"].startswith("evt_")
    assert completed["api_version"] == fake_stripe.fake.api_version
    assert completed["livemode"] is False
    assert completed["data"]["object"]["client_reference_id"] == "acct_123"
    assert completed["data"]["object"]["subscription"] == sub["id"]


async def test_portal_session(client: stripe.StripeClient, fake_stripe: StripeHandle) -> None:
    customer = await client.v1.customers.create_async({})
    portal = await client.v1.billing_portal.sessions.create_async(
        {"customer": customer.id, "return_url": "https://app.example/billing"}
    )
    assert portal.id.startswith("bps_")
    assert portal.object == "billing_portal.session"
    assert portal.url.startswith(f"{fake_stripe.base_url}/p/session/bps_")
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await client.v1.billing_portal.sessions.create_async({"customer": "cus_gone"})
    assert (missing.value.code, missing.value.param) == ("resource_missing", "customer")


async def test_update_cancel_and_lifecycle(fake_stripe: StripeHandle) -> None:
    fake = fake_stripe.fake
    with serving({"/stripe": Reply(200)}) as receiver:
        fake.webhook_url = receiver.url("/stripe")
        client = fake_stripe.client()
        basic = fake.add_price(unit_amount=900)
        pro = fake.add_price(unit_amount=2900)
        session = await checkout(client, basic["id"], customer_email="bo@example.com")
        sub = await fake.complete_checkout(session.id)
        item_id = sub["items"]["data"][0]["id"]

        changed = await client.v1.subscriptions.update_async(
            sub["id"], {"items": [{"id": item_id, "price": pro["id"]}]}
        )
        assert changed["items"].data[0].price.id == pro["id"]
        assert changed["items"].data[0].id == item_id

        invoice = await fake.fail_payment(sub["id"])
        assert invoice["status"] == "open"
        assert (await client.v1.subscriptions.retrieve_async(sub["id"])).status == "past_due"
        await fake.pay_invoice(invoice["id"])
        assert (await client.v1.subscriptions.retrieve_async(sub["id"])).status == "active"

        ending = await client.v1.subscriptions.update_async(
            sub["id"], {"cancel_at_period_end": True}
        )
        assert ending.cancel_at_period_end is True
        assert ending.cancel_at == ending["items"].data[0].current_period_end
        await fake.settle()
        await fake.end_period(sub["id"])
        ended = await client.v1.subscriptions.retrieve_async(sub["id"])
        assert ended.status == "canceled"

        with pytest.raises(stripe.InvalidRequestError):
            await client.v1.subscriptions.cancel_async(sub["id"])
        with pytest.raises(stripe.InvalidRequestError) as gone:
            await client.v1.subscriptions.retrieve_async("sub_missing")
        assert gone.value.code == "resource_missing"

        await fake.settle()
        types = [construct(r, fake.webhook_secret).type for r in receiver.requests]
    assert "invoice.payment_failed" in types
    assert types.count("customer.subscription.updated") >= 4
    assert types[-1] == "customer.subscription.deleted"
    updated = fake.events_of_type("customer.subscription.updated")
    assert any(e["data"]["previous_attributes"].get("status") == "active" for e in updated)


async def test_cancel_now_by_api(client: stripe.StripeClient, fake_stripe: StripeHandle) -> None:
    price = fake_stripe.fake.add_price()
    sub = await fake_stripe.fake.complete_checkout((await checkout(client, price["id"])).id)
    cancelled = await client.v1.subscriptions.cancel_async(sub["id"])
    assert cancelled.status == "canceled"
    assert cancelled.ended_at is not None
    await fake_stripe.fake.settle()
    assert fake_stripe.fake.event_types()[-1] == "customer.subscription.deleted"
    listed = await client.v1.subscriptions.list_async({"status": "all"})
    assert [s.id for s in listed.data] == [sub["id"]]


async def test_meter_events_sum_and_refuse_duplicates(
    client: stripe.StripeClient, fake_stripe: StripeHandle
) -> None:
    fake_stripe.fake.add_price(unit_amount=1, meter_event_name="messages")
    customer = await client.v1.customers.create_async({})
    for index, value in enumerate((10, 5)):
        event = await client.v1.billing.meter_events.create_async(
            {
                "event_name": "messages",
                "payload": {"stripe_customer_id": customer.id, "value": str(value)},
                "identifier": f"usage-{index}",
            }
        )
        assert event.object == "billing.meter_event"
        assert event.payload["value"] == str(value)
    with pytest.raises(stripe.InvalidRequestError) as duplicate:
        await client.v1.billing.meter_events.create_async(
            {
                "event_name": "messages",
                "payload": {"stripe_customer_id": customer.id, "value": "10"},
                "identifier": "usage-0",
            }
        )
    assert duplicate.value.param == "identifier"
    with pytest.raises(stripe.InvalidRequestError) as no_value:
        await client.v1.billing.meter_events.create_async(
            {"event_name": "messages", "payload": {"stripe_customer_id": customer.id}}
        )
    assert (no_value.value.code, no_value.value.param) == ("parameter_missing", "payload[value]")
    assert fake_stripe.fake.usage(customer.id) == 15
    assert fake_stripe.fake.usage(customer.id, "messages") == 15
    assert len(fake_stripe.fake.state.refused_meter_events) == 1


async def test_a_slow_meter_event_answer_comes_after_the_event_is_recorded(
    client: stripe.StripeClient, fake_stripe: StripeHandle
) -> None:
    customer = await client.v1.customers.create_async({})
    fake_stripe.fake.meter_event_delay = 3.0
    http_client = HTTPXClient(timeout=0.5)
    impatient = stripe.StripeClient(
        fake_stripe.api_key,
        base_addresses={"api": fake_stripe.base_url},
        http_client=http_client,
        max_network_retries=0,
    )
    params: MeterEventCreateParams = {
        "event_name": "messages",
        "payload": {"stripe_customer_id": customer.id, "value": "7"},
        "identifier": "overage-1",
    }
    try:
        # The client gives up waiting; the event is recorded all the same.
        with pytest.raises(stripe.APIConnectionError):
            await impatient.v1.billing.meter_events.create_async(
                params, {"idempotency_key": "overage-1"}
            )
        assert fake_stripe.fake.usage(customer.id) == 7
        # Asked again under the same key once answers are quick: the saved answer, no second event.
        fake_stripe.fake.meter_event_delay = 0.0
        again = await impatient.v1.billing.meter_events.create_async(
            params, {"idempotency_key": "overage-1"}
        )
        assert again.identifier == "overage-1"
        assert again.last_response is not None
        assert again.last_response.headers["Idempotent-Replayed"] == "true"
    finally:
        await http_client.close_async()  # type: ignore[no-untyped-call]
    assert len(fake_stripe.fake.meter_events) == 1
    assert fake_stripe.fake.usage(customer.id) == 7


async def test_signatures_replays_bad_and_stale(fake_stripe: StripeHandle) -> None:
    fake = fake_stripe.fake
    with serving({"/stripe": Reply(200)}) as receiver:
        fake.webhook_url = receiver.url("/stripe")
        client = fake_stripe.client()
        price = fake.add_price()
        sub = await fake.complete_checkout((await checkout(client, price["id"])).id)
        events = fake.events
        sent = len(receiver.requests)
        # Out of order, and twice: the last event first, then the first one again.
        await fake.send([events[-1]["id"], events[0]["id"], events[0]["id"]])
        await fake.send_with_bad_signature(events[0]["id"])
        await fake.send_with_stale_signature(events[0]["id"])
        requests = receiver.requests[sent:]
    secret = fake.webhook_secret
    replayed = [construct(r, secret) for r in requests[:3]]
    assert [e.id for e in replayed] == [events[-1]["id"], events[0]["id"], events[0]["id"]]
    assert replayed[0].data.object["subscription"] == sub["id"]
    with pytest.raises(stripe.SignatureVerificationError):
        construct(requests[3], secret)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        construct(requests[4], secret)
    # The header is Stripe's scheme, byte for byte: t=<ts>,v1=<hmac of "t.body">.
    header = requests[0].headers["stripe-signature"]
    timestamp = int(header.split(",")[0].removeprefix("t="))
    assert header == sign(requests[0].body, secret, timestamp)
    assert json.loads(requests[0].body)["object"] == "event"


async def test_control_routes_and_checkout_page(fake_stripe: StripeHandle) -> None:
    client = fake_stripe.client()
    async with httpx.AsyncClient(base_url=fake_stripe.base_url) as http:
        added = await http.post("/_fake/prices", json={"unit_amount": 500, "lookup_key": "x"})
        assert added.status_code == 200
        session = await checkout(client, added.json()["id"])
        page = await http.get(f"/c/pay/{session.id}")
        assert "Fake Stripe Checkout" in page.text
        paid = await http.post(f"/c/pay/{session.id}")
        assert paid.status_code == 303
        assert paid.headers["location"].endswith(f"session={session.id}")
        sub_id = (await client.v1.checkout.sessions.retrieve_async(session.id)).subscription
        assert isinstance(sub_id, str)
        failed = await http.post(f"/_fake/subscriptions/{sub_id}/fail_payment")
        assert failed.json()["status"] == "open"
        listed = await http.get("/_fake/events")
        assert "invoice.payment_failed" in [e["type"] for e in listed.json()["events"]]
        wrong = await http.post("/_fake/subscriptions/sub_nope/end_period")
        assert wrong.status_code == 404


def test_form_decoding_matches_the_library_encoding() -> None:
    from stripe._encode import _api_encode

    from gateway.fakes.stripe.forms import decode

    params = {
        "line_items": [{"price": "price_1", "quantity": 2}],
        "subscription_data": {"metadata": {"a": "b"}},
        "expand": ["subscription", "customer"],
        "flag": True,
    }
    pairs = [(k, str(v)) for k, v in _api_encode(params)]
    assert decode(pairs) == {
        "line_items": [{"price": "price_1", "quantity": "2"}],
        "subscription_data": {"metadata": {"a": "b"}},
        "expand": ["subscription", "customer"],
        "flag": "true",
    }
    assert decode([("expand[]", "a"), ("expand[]", "b")]) == {"expand": ["a", "b"]}


def test_fake_refuses_unknown_intervals() -> None:
    with pytest.raises(ValueError, match="interval"):
        FakeStripe().add_price(interval="fortnight")


def test_cli_serves_the_demo_plan_it_prints() -> None:
    """``gateway fake-stripe`` prints settings that work against what it serves."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gateway = Path(sys.executable).parent / "gateway"
    process = subprocess.Popen(  # noqa: S603
        [str(gateway), "fake-stripe", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("Settings for the gateway")
        env = {}
        for _ in range(4):  # NAME=value lines, as a .env file takes them
            name, _, value = process.stdout.readline().strip().partition("=")
            env[name] = value
        prices = dict(
            item.split("=") for item in process.stdout.readline().removeprefix("Prices:").split()
        )
        assert env["GATEWAY_STRIPE_METER_EVENT_NAME"] == "gateway_messages"
        assert env["GATEWAY_STRIPE_WEBHOOK_SECRET"].startswith("whsec_")
        url = f"{env['GATEWAY_STRIPE_API_BASE']}/v1/prices/{prices['stripe_price_id']}"
        headers = {"Authorization": f"Bearer {env['GATEWAY_STRIPE_SECRET_KEY']}"}
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(url, headers=headers)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "fake-stripe never started listening"
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.json()["unit_amount"] == 2900
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
