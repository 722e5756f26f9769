"""The SSRF guard at both ends: when an endpoint is created and at every send."""

from __future__ import annotations

from typing import Any

import pytest
from arq.connections import ArqRedis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.config import Settings
from gateway.events.service import SessionRef, publish
from gateway.events.types import EventType
from gateway.models import WebhookAttempt, WebhookDelivery
from gateway.webhooks.delivery import http_client
from gateway.webhooks.tasks import deliver_webhook
from tests.conftest import running
from tests.factories import create_account
from tests.kit.test_safehttp import fake_dns


@pytest.fixture
def production(settings: Settings) -> Settings:
    return settings.model_copy(update={"allow_private_targets": False})


async def test_a_name_resolving_to_a_private_address_is_refused_at_create(
    production: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    async with running(create_app(production)) as client:
        with fake_dns({"hooks.internal.test": [["10.0.0.7"]]}):
            response = await client.post(
                "/v1/webhooks",
                headers=account.headers,
                json={"url": "https://hooks.internal.test/in"},
            )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "url_not_allowed"
    assert response.json()["error"]["param"] == "url"


async def test_a_dns_answer_turning_private_after_create_is_refused_at_send(
    production: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    arq_redis: ArqRedis,
) -> None:
    account = await create_account(sessionmaker)
    async with running(create_app(production)) as client:
        # Public when created, private when the event goes out (DNS rebinding).
        with fake_dns({"hooks.example.test": [["93.184.215.14"], ["10.0.0.7"]]}) as looked_up:
            created = await client.post(
                "/v1/webhooks",
                headers=account.headers,
                json={"url": "https://hooks.example.test/in"},
            )
            assert created.status_code == 201, created.text
            async with sessionmaker() as db:
                await publish(
                    db,
                    account_id=account.id,
                    type=EventType.message_received,
                    session=SessionRef("ses_01JA2B3C4D5E6F7G8H9J0KMNPQ", "main", {}),
                    data={},
                )
                await db.commit()
            http = http_client(production)
            context: dict[str, Any] = {
                "settings": production, "sessionmaker": sessionmaker,
                "redis": arq_redis, "webhook_http": http,
            }  # fmt: skip
            try:
                async with sessionmaker() as db:
                    delivery_id = await db.scalar(select(WebhookDelivery.id))
                assert delivery_id is not None
                assert await deliver_webhook(context, delivery_id) == "retry"
            finally:
                await http.aclose()
    assert looked_up == ["hooks.example.test", "hooks.example.test"]
    async with sessionmaker() as db:
        attempt = await db.scalar(select(WebhookAttempt))
    assert attempt is not None
    assert attempt.status_code is None
    assert attempt.error is not None
    assert "10.0.0.7" in attempt.error
