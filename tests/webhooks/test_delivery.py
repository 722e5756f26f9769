"""Webhook deliveries to a real receiver on 127.0.0.1, verified as a receiver would."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks.webhooks import Webhook

from gateway.config import Settings
from gateway.events.service import SessionRef, publish
from gateway.events.types import EventType
from gateway.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from gateway.webhooks.delivery import http_client
from gateway.webhooks.signing import secret_bytes
from gateway.webhooks.tasks import deliver_webhook
from tests.factories import TestAccount, create_account
from tests.local_http import Recorded, Reply, serving

SESSION = SessionRef("ses_01JA2B3C4D5E6F7G8H9J0KMNPQ", "main", {"team": "ops"})
OTHER_SESSION = SessionRef("ses_01JA2B3C4D5E6F7G8H9J0KMNPR", "other", {})


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


@pytest.fixture
async def job_context(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], arq_redis: ArqRedis
) -> AsyncIterator[dict[str, Any]]:
    fast = settings.model_copy(update={"webhook_retry_schedule": [0, 0.2, 0.4, 0.2]})
    client = http_client(fast)
    yield {
        "settings": fast,
        "sessionmaker": sessionmaker,
        "redis": arq_redis,
        "webhook_http": client,
    }
    await client.aclose()


async def emit(
    sessionmaker: async_sessionmaker[AsyncSession],
    account: TestAccount,
    type_: EventType = EventType.message_received,
    session: SessionRef = SESSION,
) -> str:
    async with sessionmaker() as db:
        event = await publish(
            db, account_id=account.id, type=type_, session=session, data={"hello": "world"}
        )
        await db.commit()
    return event.id


async def deliveries(sessionmaker: async_sessionmaker[AsyncSession]) -> list[WebhookDelivery]:
    async with sessionmaker() as db:
        return list((await db.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))).all())


async def deliver_all(
    job_context: dict[str, Any], sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    for delivery in await deliveries(sessionmaker):
        await deliver_webhook(job_context, delivery.id)


async def test_deliveries_verify_with_standard_webhooks_before_and_during_rotation(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, Any],
) -> None:
    with serving({"/hook": Reply(200, b"ok")}) as receiver:
        created = (
            await client.post(
                "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
            )
        ).json()
        first_secret = created["secret"]
        event_id = await emit(sessionmaker, account)
        await deliver_all(job_context, sessionmaker)

        rotated = (
            await client.post(
                f"/v1/webhooks/{created['id']}/rotate-secret", headers=account.headers
            )
        ).json()
        second_event = await emit(sessionmaker, account)
        await deliver_webhook(job_context, (await deliveries(sessionmaker))[-1].id)

    first, second = receiver.requests
    for request, secrets in ((first, [first_secret]), (second, [first_secret, rotated["secret"]])):
        for secret in secrets:  # the standard library, unchanged, accepts each
            payload = Webhook(secret).verify(request.body, request.headers)
            assert payload["object"] == "event"
    assert first.headers["webhook-id"] == event_id
    assert second.headers["webhook-id"] == second_event
    assert len(second.headers["webhook-signature"].split()) == 2
    body = Webhook(rotated["secret"]).verify(second.body, second.headers)
    assert body["session"] == {"id": SESSION.id, "name": "main", "metadata": {"team": "ops"}}
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(rotated["secret"]).verify(first.body, first.headers)


async def test_a_receiver_down_at_first_gets_the_event_once_on_schedule(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, Any],
) -> None:
    answers = itertools.chain(
        [Reply(500, b"down"), Reply(503, b"still down")], itertools.repeat(Reply(200))
    )

    def flaky(_: Recorded) -> Reply:
        return next(answers)

    with serving({"/hook": flaky}) as receiver:
        await client.post(
            "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
        )
        event_id = await emit(sessionmaker, account)
        (delivery,) = await deliveries(sessionmaker)
        for _ in range(50):
            await deliver_webhook(job_context, delivery.id)
            (delivery,) = await deliveries(sessionmaker)
            if delivery.status != "pending":
                break
            await asyncio.sleep(0.05)
    assert delivery.status == "succeeded"
    assert {r.headers["webhook-id"] for r in receiver.requests} == {event_id}
    async with sessionmaker() as db:
        attempts = list(
            (await db.scalars(select(WebhookAttempt).order_by(WebhookAttempt.id))).all()
        )
    assert [a.status_code for a in attempts] == [500, 503, 200]
    assert attempts[0].response_excerpt == "down"
    gaps = [
        (b.attempted_at - a.attempted_at).total_seconds() for a, b in itertools.pairwise(attempts)
    ]
    assert gaps[0] >= 0.2
    assert gaps[1] >= 0.4


async def test_410_disables_the_endpoint(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, Any],
) -> None:
    with serving({"/hook": Reply(410, b"gone")}) as receiver:
        created = (
            await client.post(
                "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
            )
        ).json()
        await emit(sessionmaker, account)
        await deliver_all(job_context, sessionmaker)
        endpoint = (
            await client.get(f"/v1/webhooks/{created['id']}", headers=account.headers)
        ).json()
        assert endpoint["enabled"] is False
        assert "410" in endpoint["disabled_reason"]
        await emit(sessionmaker, account)  # a disabled endpoint gets no new deliveries
    assert [d.status for d in await deliveries(sessionmaker)] == ["failed"]
    assert len(receiver.requests) == 1


async def test_continuous_failure_disables_after_the_window(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, Any],
) -> None:
    job_context["settings"] = job_context["settings"].model_copy(
        update={"webhook_disable_after_seconds": 0.3, "webhook_retry_schedule": [0] + [0.2] * 10}
    )
    with serving({"/hook": Reply(500)}) as receiver:
        created = (
            await client.post(
                "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
            )
        ).json()
        await emit(sessionmaker, account)
        (delivery,) = await deliveries(sessionmaker)
        for _ in range(20):
            await deliver_webhook(job_context, delivery.id)
            await asyncio.sleep(0.1)
    async with sessionmaker() as db:
        endpoint = await db.get(WebhookEndpoint, created["id"])
    assert endpoint is not None
    assert endpoint.enabled is False
    assert "every delivery failed since" in (endpoint.disabled_reason or "")
    # Re-enabled by the account, it receives again.
    again = await client.patch(
        f"/v1/webhooks/{created['id']}", headers=account.headers, json={"enabled": True}
    )
    assert again.json()["enabled"] is True


async def test_filters_by_type_and_session(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await client.post(
        "/v1/webhooks",
        headers=account.headers,
        json={
            "url": "http://127.0.0.1:9/hook",
            "event_types": ["message.received"],
            "session_ids": [SESSION.id],
        },
    )
    await emit(sessionmaker, account, EventType.session_status, SESSION)
    await emit(sessionmaker, account, EventType.message_received, OTHER_SESSION)
    wanted = await emit(sessionmaker, account, EventType.message_received, SESSION)
    other_account = await create_account(sessionmaker, name="other")
    await emit(sessionmaker, other_account, EventType.message_received, SESSION)
    assert [d.event_id for d in await deliveries(sessionmaker)] == [wanted]


async def test_delivery_log_retry_recover_and_test_event(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, Any],
) -> None:
    job_context["settings"] = job_context["settings"].model_copy(
        update={"webhook_retry_schedule": [0]}
    )
    replies = itertools.chain([Reply(500, b"boom")], itertools.repeat(Reply(204)))
    with serving({"/hook": lambda _: next(replies)}) as receiver:
        created = (
            await client.post(
                "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
            )
        ).json()
        base = f"/v1/webhooks/{created['id']}"
        await emit(sessionmaker, account)
        await deliver_all(job_context, sessionmaker)  # 500, and no retry left: failed

        listed = (await client.get(f"{base}/deliveries", headers=account.headers)).json()
        (failed,) = listed["data"]
        assert failed["status"] == "failed"
        assert failed["last_status_code"] == 500
        detail = (
            await client.get(f"{base}/deliveries/{failed['id']}", headers=account.headers)
        ).json()
        assert [(a["status_code"], a["response_excerpt"]) for a in detail["attempt_log"]] == [
            (500, "boom")
        ]
        only_failed = await client.get(
            f"{base}/deliveries", headers=account.headers, params={"status": "succeeded"}
        )
        assert only_failed.json()["data"] == []

        retried = await client.post(
            f"{base}/deliveries/{failed['id']}/retry", headers=account.headers
        )
        assert retried.json()["status"] == "pending"
        await deliver_all(job_context, sessionmaker)
        assert (await deliveries(sessionmaker))[0].status == "succeeded"

        # Recover: everything failed since a time goes out again.
        await emit(sessionmaker, account)
        async with sessionmaker() as db:
            for delivery in await db.scalars(
                select(WebhookDelivery).where(WebhookDelivery.status == "pending")
            ):
                delivery.status = "failed"
            await db.commit()
        recovered = await client.post(
            f"{base}/recover", headers=account.headers, json={"since": "2000-01-01T00:00:00Z"}
        )
        assert recovered.json()["retried"] == 1
        await deliver_all(job_context, sessionmaker)

        test = await client.post(f"{base}/test", headers=account.headers)
        assert test.status_code == 202
        await deliver_webhook(job_context, test.json()["id"])
    assert [d.status for d in await deliveries(sessionmaker)] == ["succeeded"] * 3
    last = Webhook(created["secret"]).verify(
        receiver.requests[-1].body, receiver.requests[-1].headers
    )
    assert last["type"] == "webhook.test"
    # Another account sees none of it.
    intruder = await create_account(sessionmaker, name="intruder")
    for response in (
        await client.get(f"{base}/deliveries", headers=intruder.headers),
        await client.get(f"{base}/deliveries/{failed['id']}", headers=intruder.headers),
        await client.post(f"{base}/deliveries/{failed['id']}/retry", headers=intruder.headers),
    ):
        assert response.status_code == 404


async def test_waha_hmac_header(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, Any],
) -> None:
    with serving({"/hook": Reply(200)}) as receiver:
        created = (
            await client.post(
                "/v1/webhooks",
                headers=account.headers,
                json={"url": receiver.url("/hook"), "waha_hmac": True},
            )
        ).json()
        await emit(sessionmaker, account)
        await deliver_all(job_context, sessionmaker)
    (request,) = receiver.requests
    expected = hmac.new(secret_bytes(created["secret"]), request.body, hashlib.sha512).hexdigest()
    assert request.headers["x-webhook-hmac"] == expected


async def test_retry_and_recover_need_an_enabled_endpoint(
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    created = (
        await client.post(
            "/v1/webhooks", headers=account.headers, json={"url": "http://127.0.0.1:9/hook"}
        )
    ).json()
    base = f"/v1/webhooks/{created['id']}"
    await emit(sessionmaker, account)
    (delivery,) = await deliveries(sessionmaker)
    await client.patch(base, headers=account.headers, json={"enabled": False})
    for response in (
        await client.post(f"{base}/deliveries/{delivery.id}/retry", headers=account.headers),
        await client.post(
            f"{base}/recover", headers=account.headers, json={"since": "2000-01-01T00:00:00Z"}
        ),
    ):
        assert response.status_code == 409, response.text
        assert response.json()["error"]["code"] == "webhook_endpoint_disabled"
    missing = await client.post(f"{base}/deliveries/dlv_nope/retry", headers=account.headers)
    assert missing.status_code == 409  # the endpoint is checked first
    await client.patch(base, headers=account.headers, json={"enabled": True})
    missing = await client.post(f"{base}/deliveries/dlv_nope/retry", headers=account.headers)
    assert missing.status_code == 404
