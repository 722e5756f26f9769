"""Rotating GATEWAY_SECRET_KEY without downtime, end to end.

A gateway on key A has an account, API keys, a webhook endpoint whose secret was rotated
once (a secret and a previous secret), a cloud number's credentials and a stored
idempotent response. It is rotated as docs/deployment.md says, while authenticated
requests keep running across the instances of every step: [A] → [A, B] (B known
everywhere before anything uses it) → [B, A] (B current) → ``gateway secrets reencrypt``
→ [B]. Nothing fails on the way; afterwards everything works with B alone, and exactly
the API keys the design cannot move without the key itself (never used under [B, A]) are
the ones that stop working, as ``status`` said they would.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks.webhooks import Webhook

from gateway.app import create_app
from gateway.cloud import credentials
from gateway.config import Settings
from gateway.events.service import SessionRef, publish
from gateway.events.types import EventType
from gateway.kit import crypto
from gateway.models import ApiKey, CloudNumber, IdempotencyKey, WebhookDelivery, WebhookEndpoint
from gateway.ops import secret_rotation
from gateway.webhooks.delivery import http_client
from gateway.webhooks.tasks import deliver_webhook
from tests.cloud.factories import (
    VERIFY_TOKEN,
    contacts,
    inbound,
    messages_change,
    post_notification,
    store_cloud_session,
)
from tests.conftest import SECRET_KEY, make_settings, running
from tests.factories import TestAccount, create_account, create_api_key
from tests.local_http import Reply, serving

KEY_A = SECRET_KEY
KEY_B = "rotated-secret-key-" + "y" * 40
SESSION = SessionRef("ses_01JA2B3C4D5E6F7G8H9J0KMNPQ", "main", {})


@pytest.fixture
def keyrings(database_url: str, redis_url: str, data_dir: Path) -> dict[str, Settings]:
    """The settings of each step. The key cache is off, so every request looks its key up
    in PostgreSQL under the instance's keyring (the cached path needs no database)."""

    def on(secret_key: str) -> Settings:
        return make_settings(
            database_url, redis_url, data_dir, secret_key=secret_key, auth_cache_seconds=0
        )

    return {
        "A": on(KEY_A),
        "A,B": on(f"{KEY_A},{KEY_B}"),
        "B,A": on(f"{KEY_B},{KEY_A}"),
        "B": on(KEY_B),
    }


class Traffic:
    """Authenticated requests, round-robin over the instances currently serving, until
    stopped: every answer is recorded."""

    def __init__(self, account: TestAccount) -> None:
        self.account = account
        self.serving: list[httpx.AsyncClient] = []
        self.answers: list[tuple[int, int, str]] = []  # (step, status, body)
        self.step = 0
        self._stop = asyncio.Event()
        self._answered = asyncio.Event()

    async def run(self) -> None:
        turn = 0
        while not self._stop.is_set():
            clients = list(self.serving)
            client = clients[turn % len(clients)]
            turn += 1
            response = await client.get("/v1/account", headers=self.account.headers)
            self.answers.append((self.step, response.status_code, response.text[:200]))
            self._answered.set()
            await asyncio.sleep(0)

    async def during(self, step: int, clients: list[httpx.AsyncClient], requests: int) -> None:
        """Serve from ``clients`` until ``requests`` more answers are in."""
        self.step = step
        self.serving[:] = clients
        target = len(self.answers) + requests
        async with asyncio.timeout(30):
            while len(self.answers) < target:
                self._answered.clear()
                await self._answered.wait()

    def stop(self) -> None:
        self._stop.set()


@contextlib.asynccontextmanager
async def webhook_context(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], redis: ArqRedis
) -> AsyncIterator[dict[str, Any]]:
    client = http_client(settings)
    try:
        yield {
            "settings": settings,
            "sessionmaker": sessionmaker,
            "redis": redis,
            "webhook_http": client,
        }
    finally:
        await client.aclose()


async def deliver_one(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: ArqRedis,
    account: TestAccount,
) -> None:
    """An event, delivered to the account's endpoint by a worker on ``settings``."""
    async with sessionmaker() as db:
        event = await publish(
            db, account_id=account.id, type=EventType.message_received, session=SESSION, data={}
        )
        await db.commit()
        delivery = (
            await db.scalars(select(WebhookDelivery).where(WebhookDelivery.event_id == event.id))
        ).one()
    async with webhook_context(settings, sessionmaker, redis) as ctx:
        await deliver_webhook(ctx, delivery.id)


async def check_cloud(client: httpx.AsyncClient, cloud: Any, settings: Settings) -> None:
    """Meta's handshake finds the number by its verify token's digest, and a notification
    signed with the number's app secret is accepted."""
    handshake = await client.get(
        "/v1/cloud/webhook",
        params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "42"},
    )
    assert handshake.status_code == 200, handshake.text
    assert handshake.text == "42"
    payload = messages_change(
        cloud, contacts=contacts(), messages=[inbound("text", {"body": "hi"})]
    )
    notified = await post_notification(client, payload, cloud.app_secret)
    assert notified.status_code == 200, notified.text


async def stored(sessionmaker: async_sessionmaker[AsyncSession], model: Any) -> list[Any]:
    async with sessionmaker() as db:
        return list((await db.scalars(select(model))).all())


@pytest.mark.timeout(120)
async def test_rotating_the_secret_key_while_requests_run(
    keyrings: dict[str, Settings],
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    a, ab, ba, b = (keyrings[name] for name in ("A", "A,B", "B,A", "B"))
    account = await create_account(sessionmaker)  # its key hashed under A
    idle = await create_api_key(sessionmaker, account.id)  # never used until the end
    cloud = await store_cloud_session(sessionmaker, a, account.id)
    (number,) = await stored(sessionmaker, CloudNumber)
    original_credentials = credentials.unseal(a.secrets, number.credentials)

    with serving({"/hook": Reply(200, b"ok")}) as receiver:
        async with (
            running(create_app(a)) as on_a,
            running(create_app(ab)) as on_ab,
            running(create_app(ba)) as on_ba,
        ):
            created = await on_a.post(
                "/v1/webhooks", headers=account.headers, json={"url": receiver.url("/hook")}
            )
            assert created.status_code == 201, created.text
            endpoint = created.json()
            rotated = await on_a.post(
                f"/v1/webhooks/{endpoint['id']}/rotate-secret", headers=account.headers
            )
            assert rotated.status_code == 200, rotated.text
            first_secret, second_secret = endpoint["secret"], rotated.json()["secret"]
            # A stored idempotent response (a new key's secret, encrypted under A).
            made = await on_a.post(
                "/v1/api-keys",
                headers={**account.headers, "Idempotency-Key": "rotation-1"},
                json={"name": "made before the rotation"},
            )
            assert made.status_code == 201, made.text

            traffic = Traffic(account)
            traffic.serving[:] = [on_a]
            running_traffic = asyncio.create_task(traffic.run())
            try:
                await traffic.during(0, [on_a], 20)
                # Step 1, rolled out: B known to every process, A still current.
                await traffic.during(1, [on_a, on_ab], 40)
                await traffic.during(1, [on_ab], 20)
                # Step 2, rolled out: B current.
                await traffic.during(2, [on_ab, on_ba], 40)
                await traffic.during(2, [on_ba], 20)
                await deliver_one(ab, sessionmaker, arq_redis, account)  # a worker still on [A, B]
                await deliver_one(ba, sessionmaker, arq_redis, account)
                await check_cloud(on_ab, cloud, ab)
                await check_cloud(on_ba, cloud, ba)
                # Step 3: re-encrypt, while requests keep running on [B, A].
                before = await secret_rotation.status(sessionmaker, ba.secrets)
                report = await secret_rotation.reencrypt(sessionmaker, ba.secrets, batch_size=1)
                await traffic.during(3, [on_ba], 20)
                replay = await on_ba.post(
                    "/v1/api-keys",
                    headers={**account.headers, "Idempotency-Key": "rotation-1"},
                    json={"name": "made before the rotation"},
                )
            finally:
                traffic.stop()
                await running_traffic

        failures = [answer for answer in traffic.answers if answer[1] != 200]
        assert not failures, failures[:5]
        assert {step for step, _status, _body in traffic.answers} == {0, 1, 2, 3}

        # What was stored under A needed A before the command, and is under B after it.
        assert before.old_key_needed
        assert before.old_ciphertexts["webhook endpoint secrets"] == 1
        assert before.old_ciphertexts["webhook endpoint previous secrets"] == 1
        assert before.old_ciphertexts["cloud number credentials"] == 1
        assert before.old_verify_digests == 1
        assert before.old_ciphertexts["stored idempotent responses"] >= 1
        counts = report.kinds
        assert counts["webhook endpoint secrets"].rewritten == 1
        assert counts["webhook endpoint previous secrets"].rewritten == 1
        assert counts["cloud number credentials"].rewritten == 1
        assert counts["stored idempotent responses"].rewritten >= 1
        assert not any(kind.undecryptable for kind in counts.values())
        (row,) = await stored(sessionmaker, WebhookEndpoint)
        assert crypto.is_current(b.secrets, row.secret)
        assert row.previous_secret is not None
        assert crypto.is_current(b.secrets, row.previous_secret)
        for idempotent in await stored(sessionmaker, IdempotencyKey):
            assert crypto.is_current(b.secrets, idempotent.response_body)
        again = await secret_rotation.reencrypt(sessionmaker, ba.secrets)
        assert sum(kind.rewritten for kind in again.kinds.values()) == 0  # idempotent

        # The key used under [B, A] was re-hashed on that use; the idle one could not be.
        keys = {key.id: key for key in await stored(sessionmaker, ApiKey)}
        assert keys[account.key_id].secret_key_id == crypto.key_id_hex(KEY_B.encode())
        assert keys[idle.key_id].secret_key_id == crypto.key_id_hex(KEY_A.encode())
        after = await secret_rotation.status(sessionmaker, ba.secrets)
        assert sum(after.old_ciphertexts.values()) == 0
        assert after.old_verify_digests == 0
        # Never used since B became current: the idle key and the one made on A.
        never_used = sorted([idle.key_id, made.json()["id"]])
        assert after.old_api_keys == 2
        assert after.old_api_key_ids == never_used
        assert after.old_key_needed

        # The old key dropped: [B] alone.
        async with running(create_app(b)) as on_b:
            for _ in range(5):
                response = await on_b.get("/v1/account", headers=account.headers)
                assert response.status_code == 200, response.text
            refused = await on_b.get("/v1/account", headers=idle.headers)
            assert refused.status_code == 401  # as `status` said: never used under [B, A]
            await check_cloud(on_b, cloud, b)
            replayed_on_b = await on_b.post(
                "/v1/api-keys",
                headers={**account.headers, "Idempotency-Key": "rotation-1"},
                json={"name": "made before the rotation"},
            )
        await deliver_one(b, sessionmaker, arq_redis, account)
        (number,) = await stored(sessionmaker, CloudNumber)
        assert credentials.unseal(b.secrets, number.credentials) == original_credentials

    # Every delivery, before, during and after, is signed with the endpoint's own
    # secrets, verified by the Standard Webhooks library as a receiver would.
    assert len(receiver.requests) == 3
    for request in receiver.requests:
        for secret in (first_secret, second_secret):
            assert Webhook(secret).verify(request.body, request.headers)["object"] == "event"
    # The stored response is replayed as it was, under [B, A] and under B alone.
    for response in (replay, replayed_on_b):
        assert response.status_code == 201
        assert response.headers["idempotent-replayed"] == "true"
        assert response.json() == made.json()
