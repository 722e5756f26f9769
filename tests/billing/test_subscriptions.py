"""Subscriptions through Stripe (the fake): checkout → active → the plan's limits at once
on every API process; cancel → the default plan at period end; payment failure → past
due → grace → the default plan; replays, out-of-order events and forged signatures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.auth.keys import KeyMode
from gateway.billing.plans import limits_for, plan_cache
from gateway.billing.stripe_tasks import end_grace_periods, sweep_stripe_events
from gateway.config import Settings
from gateway.kit.time import utcnow
from gateway.models import BillingCustomer, Event, StripeEvent
from gateway.worker import create_worker
from tests.billing.stripe_gateway import BillingGateway, billing_gateway
from tests.conftest import running
from tests.factories import TestAccount, create_account
from tests.waiting import eventually


async def live_account(
    sessionmaker: async_sessionmaker[AsyncSession], name: str = "Acme"
) -> TestAccount:
    return await create_account(sessionmaker, mode=KeyMode.live, name=name)


async def subscription_events(
    sessionmaker: async_sessionmaker[AsyncSession], account_id: str
) -> list[dict[str, Any]]:
    async with sessionmaker() as db:
        rows = await db.scalars(
            select(Event)
            .where(Event.account_id == account_id, Event.type == "billing.subscription.updated")
            .order_by(Event.id)
        )
        return [row.data for row in rows.all()]


async def create_web_session(gw: BillingGateway, account: TestAccount, name: str) -> int:
    response = await gw.client.post(
        "/v1/sessions", headers=account.headers,
        json={"name": name, "engine": "web", "start": False},
    )  # fmt: skip
    return response.status_code


async def stored_events(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as db:
        return int(await db.scalar(select(func.count()).select_from(StripeEvent)) or 0)


async def test_checkout_subscribes_and_the_limits_change_on_every_api_process(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with billing_gateway(settings) as gw:
        account = await live_account(sessionmaker)
        before = await gw.subscription(account)
        assert before["status"] == "none"
        assert before["plan"]["name"] == "Free"
        assert before["stripe_customer_id"] is None
        # On Free (1 session) the second session is refused.
        assert await create_web_session(gw, account, "one") == 201
        assert await create_web_session(gw, account, "two") == 402

        second_app = create_app(gw.settings)
        async with running(second_app):
            second = second_app.state.gateway
            # Cached by the second process now: the change must reach it anyway.
            cached = await limits_for(
                account.id, reads=second.autocommit_sessionmaker, cache=plan_cache(second)
            )
            assert cached.plan_name == "Free"

            session = await gw.checkout(account)
            assert session["object"] == "checkout_session"
            assert session["plan"] == {"id": gw.pro["id"], "name": "Pro"}
            assert session["url"].startswith(gw.stripe.base_url)
            assert session["expires_at"] is not None  # Stripe's 24 hours to pay
            (customer,) = gw.stripe.fake.state.customers.values()
            assert customer["metadata"] == {"account_id": account.id}

            await gw.stripe.fake.complete_checkout(session["id"])
            assert all(d.delivered for d in gw.stripe.fake.deliveries)
            await gw.run_jobs()

            async def limits() -> Any:
                return await limits_for(
                    account.id, reads=second.autocommit_sessionmaker, cache=plan_cache(second)
                )

            got = await eventually(limits, lambda got: got.plan_name == "Pro", within=1.0)
            assert got.sessions == 5

        after = await gw.subscription(account)
        assert after["object"] == "billing_subscription"
        assert after["status"] == "active"
        assert after["plan"] == {"id": gw.pro["id"], "name": "Pro"}
        assert after["subscribed_plan"] == after["plan"]
        assert after["stripe_customer_id"] == customer["id"]
        assert after["stripe_subscription_id"].startswith("sub_")
        assert after["cancel_at_period_end"] is False
        assert after["current_period_end"] is not None
        assert await create_web_session(gw, account, "two") == 201

        # One event for the change, however many Stripe events said so.
        published = await subscription_events(sessionmaker, account.id)
        assert [e["status"] for e in published] == ["active"]
        assert published[0]["plan"]["name"] == "Pro"


async def test_cancel_keeps_the_plan_until_the_period_ends(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with billing_gateway(settings) as gw:
        account = await live_account(sessionmaker)
        before_plan_id = (await gw.subscription(account))["plan"]["id"]
        subscribed = await gw.subscribe(account)
        sub_id = subscribed["stripe_subscription_id"]

        await gw.stripe.fake.cancel_at_period_end(sub_id)
        await gw.run_jobs()
        cancelling = await gw.subscription(account)
        assert cancelling["status"] == "active"
        assert cancelling["cancel_at_period_end"] is True
        assert cancelling["plan"]["name"] == "Pro"

        await gw.stripe.fake.end_period(sub_id)
        await gw.run_jobs()
        ended = await gw.subscription(account)
        assert ended["status"] == "canceled"
        assert ended["plan"]["name"] == "Free"
        assert ended["plan"]["id"] == before_plan_id
        assert ended["subscribed_plan"]["name"] == "Pro"  # what it paid for, for the record

        statuses = [
            (e["status"], e["cancel_at_period_end"], e["plan"]["name"])
            for e in await subscription_events(sessionmaker, account.id)
        ]
        assert statuses == [
            ("active", False, "Pro"),
            ("active", True, "Pro"),
            ("canceled", True, "Free"),
        ]
        # Subscribing again after the end works: a new checkout.
        again = await gw.subscribe(account)
        assert again["status"] == "active"
        assert again["stripe_subscription_id"] != sub_id
        assert again["plan"]["name"] == "Pro"


async def test_a_failed_payment_is_past_due_then_grace_then_the_default_plan(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with billing_gateway(settings, billing_grace_days=7) as gw:
        account = await live_account(sessionmaker)
        sub_id = (await gw.subscribe(account))["stripe_subscription_id"]

        invoice = await gw.stripe.fake.fail_payment(sub_id)
        await gw.run_jobs()
        past_due = await gw.subscription(account)
        assert past_due["status"] == "past_due"
        assert past_due["plan"]["name"] == "Pro"  # within the grace period
        assert past_due["grace_ends_at"] is not None

        job_ctx = {"settings": gw.settings, "sessionmaker": sessionmaker, "redis": gw.state.redis}
        assert await end_grace_periods(job_ctx) == 0  # not over yet
        async with sessionmaker() as db:  # eight days later
            await db.execute(
                update(BillingCustomer)
                .where(BillingCustomer.account_id == account.id)
                .values(past_due_since=utcnow() - timedelta(days=8))
            )
            await db.commit()
        assert await end_grace_periods(job_ctx) == 1
        assert await end_grace_periods(job_ctx) == 0  # once
        downgraded = await gw.subscription(account)
        assert downgraded["status"] == "past_due"
        assert downgraded["plan"]["name"] == "Free"

        # Paying the invoice restores the plan.
        await gw.stripe.fake.pay_invoice(invoice["id"])
        await gw.run_jobs()
        restored = await gw.subscription(account)
        assert restored["status"] == "active"
        assert restored["plan"]["name"] == "Pro"
        assert restored["grace_ends_at"] is None

        steps = [
            (e["status"], e["plan"]["name"])
            for e in await subscription_events(sessionmaker, account.id)
        ]
        assert steps == [
            ("active", "Pro"),
            ("past_due", "Pro"),
            ("past_due", "Free"),
            ("active", "Pro"),
        ]


async def test_a_replayed_event_is_a_no_op(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with billing_gateway(settings) as gw:
        account = await live_account(sessionmaker)
        await gw.subscribe(account)
        stored = await stored_events(sessionmaker)
        assert stored == len(gw.stripe.fake.events)
        for event in gw.stripe.fake.events:
            delivery = await gw.stripe.fake.resend(event["id"])
            assert delivery.attempts == [200]
        assert await stored_events(sessionmaker) == stored
        raw = await gw.client.post(
            "/v1/billing/stripe/webhook",
            content=gw.stripe.fake.deliveries[0].body,
            headers={"Stripe-Signature": gw.stripe.fake.deliveries[0].signature},
        )
        assert raw.status_code == 200
        assert raw.json() == {"received": True, "duplicate": True}
        await gw.run_jobs()
        assert len(await subscription_events(sessionmaker, account.id)) == 1


async def test_events_in_any_order_end_in_stripes_state(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with billing_gateway(settings) as gw:
        account = await live_account(sessionmaker)
        session = await gw.checkout(account)
        fake = gw.stripe.fake
        url, fake.webhook_url = fake.webhook_url, None  # Stripe is slow to deliver
        sub = await fake.complete_checkout(session["id"])
        await fake.cancel_at_period_end(sub["id"])
        await fake.end_period(sub["id"])  # ended, before any event arrived
        fake.webhook_url = url
        # The newest first: the deletion, then the creation and the checkout.
        await fake.send([e["id"] for e in reversed(fake.events)])
        await gw.run_jobs()
        final = await gw.subscription(account)
        assert final["status"] == "canceled"
        assert final["plan"]["name"] == "Free"
        assert final["stripe_subscription_id"] == sub["id"]
        # However they came, the account never showed a state Stripe no longer had.
        assert {e["status"] for e in await subscription_events(sessionmaker, account.id)} == {
            "canceled"
        }


async def test_bad_stale_or_missing_signatures_store_nothing(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with billing_gateway(settings) as gw:
        account = await live_account(sessionmaker)
        fake = gw.stripe.fake
        url, fake.webhook_url = fake.webhook_url, None
        await fake.complete_checkout((await gw.checkout(account))["id"])
        fake.webhook_url = url
        event_id = fake.events[-1]["id"]
        for delivery in (
            await fake.send_with_bad_signature(event_id),
            await fake.send_with_stale_signature(event_id),
        ):
            assert delivery.attempts == [400]
        body = fake.deliveries[-1].body
        for headers in ({}, {"Stripe-Signature": "t=1,v1=00"}, {"Stripe-Signature": "garbage"}):
            response = await gw.client.post(
                "/v1/billing/stripe/webhook", content=body, headers=headers
            )
            assert response.status_code == 400, response.text
            error = response.json()["error"]
            assert error["code"] == "signature_invalid"
            assert error["param"] == "Stripe-Signature"
            assert gw.settings.stripe_webhook_secret is not None
            assert gw.settings.stripe_webhook_secret.get_secret_value() not in response.text
        assert await stored_events(sessionmaker) == 0
        assert (await gw.subscription(account))["status"] == "none"


async def test_a_lost_job_or_an_unreachable_stripe_is_retried(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with billing_gateway(settings) as gw:
        account = await live_account(sessionmaker)
        await gw.stripe.fake.complete_checkout((await gw.checkout(account))["id"])
        state = gw.state
        await state.redis.flushdb()  # the jobs are lost with Redis
        async with sessionmaker() as db:
            pending = await db.scalar(
                select(func.count())
                .select_from(StripeEvent)
                .where(StripeEvent.processed_at.is_(None))
            )
        assert pending == len(gw.stripe.fake.events)

        # Stripe cannot be reached when the sweep's jobs run: retried later, not lost.
        unreachable = gw.settings.model_copy(update={"stripe_api_base": "http://127.0.0.1:9"})
        async with sessionmaker() as db:
            await db.execute(
                update(StripeEvent).values(next_attempt_at=utcnow() - timedelta(minutes=1))
            )
            await db.commit()
        ctx = {"settings": unreachable, "sessionmaker": sessionmaker, "redis": state.redis}
        assert await sweep_stripe_events(ctx) == pending
        worker = create_worker(unreachable, burst=True, cron_jobs=[], handle_signals=False)
        try:
            await worker.async_run()
        finally:
            await worker.close()
        assert (await gw.subscription(account))["status"] == "none"
        async with sessionmaker() as db:
            rows = (await db.scalars(select(StripeEvent))).all()
        syncing = {"checkout.session.completed", "customer.subscription.created", "invoice.paid",
                   "invoice.payment_succeeded"}  # fmt: skip
        for row in rows:
            if row.type in syncing:  # needed Stripe: waiting for a retry
                assert row.processed_at is None, row.type
                assert row.attempts == 1
                assert row.last_error is not None
                assert "APIConnectionError" in row.last_error
                assert row.next_attempt_at > utcnow()
            else:  # customer.created, invoice.created …: nothing to sync
                assert row.outcome == "ignored", row.type

        # Due again, with Stripe back: the sweep finds them, and they sync once.
        async with sessionmaker() as db:
            await db.execute(
                update(StripeEvent).values(next_attempt_at=utcnow() - timedelta(minutes=1))
            )
            await db.commit()
        ctx["settings"] = gw.settings
        assert await sweep_stripe_events(ctx) > 0
        await gw.run_jobs()
        assert (await gw.subscription(account))["status"] == "active"
        async with sessionmaker() as db:
            outcomes = dict(
                (await db.execute(
                    select(StripeEvent.outcome, func.count()).group_by(StripeEvent.outcome)
                )).all()
            )  # fmt: skip
        assert set(outcomes) <= {"synced", "ignored"}
        assert len(await subscription_events(sessionmaker, account.id)) == 1


async def test_another_accounts_subscription_is_its_own(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with billing_gateway(settings) as gw:
        mine = await live_account(sessionmaker, "Mine")
        theirs = await live_account(sessionmaker, "Theirs")
        subscribed = await gw.subscribe(mine)
        other = await gw.subscription(theirs)
        assert other["status"] == "none"
        assert other["plan"]["name"] == "Free"
        assert other["stripe_customer_id"] != subscribed["stripe_customer_id"]
        assert await subscription_events(sessionmaker, theirs.id) == []
        # Their portal is their own customer, made for them.
        portal = await gw.client.post("/v1/billing/portal", headers=theirs.headers, json={})
        assert portal.status_code == 201, portal.text
        customers = {
            c["metadata"]["account_id"]: c["id"] for c in gw.stripe.fake.state.customers.values()
        }
        assert customers.keys() == {mine.id, theirs.id}
