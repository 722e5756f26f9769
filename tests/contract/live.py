"""A gateway served over real HTTP from a thread of its own, for tests whose client is
synchronous (schemathesis drives ``requests``): the API behind uvicorn and an engine host
on one event loop, billing on against the fake Stripe, and the data the fuzzed operations
need: a test-mode account, sandbox sessions linked and WORKING, a group, a message, a file,
keys, webhook endpoints, a delivery, plans.

    gateway = RunningGateway(settings)   # resets the databases, then makes the data
    requests.get(f"{gateway.live.base_url}/v1/account", headers=gateway.live.account.headers)
    gateway.stop()
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Coroutine
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import uvicorn
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.billing.plans import BUILT_IN_DEFAULT
from gateway.billing.plans_repository import insert_default_unless_any
from gateway.config import Settings
from gateway.db import create_engine, create_sessionmaker
from gateway.kit.ids import new_id
from gateway.models import Base
from tests.conftest import ADMIN_TOKEN, HOST_TIMINGS, running_host
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.fakes.stripe import serving_stripe

T = TypeVar("T")

# A contact of the sandbox network, and a webhook target nothing listens on (deliveries to
# it fail, which is all a delivery needs to exist).
CONTACT = "+12025550111"
HOOK = "http://127.0.0.1:9/hook"


@dataclass(frozen=True)
class LiveGateway:
    base_url: str
    admin_token: str
    account: TestAccount
    # Real objects for the path parameters that name them, by parameter name; a few
    # operations (ending a session, deleting, revoking) get objects of their own instead,
    # so that the others still find theirs (``spares``: operation id -> parameter -> id).
    ids: dict[str, str]
    spares: dict[str, dict[str, str]]
    # Values the engine knows (a contact of the sandbox network, a group of the session):
    # for the cases meant to be valid, whose generated values the engine would not know.
    known: dict[str, str]


class _LoopThread:
    """An event loop running in a daemon thread; coroutines are handed to it and awaited
    from the calling thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="live-gateway")
        self._thread.daemon = True
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


@asynccontextmanager
async def _serving(settings: Settings) -> AsyncIterator[str]:
    """The app behind uvicorn on a free port of 127.0.0.1; yields its base URL."""
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=0,
        lifespan="on",
        log_level="warning",
        access_log=False,
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if serving.done():
                serving.result()  # raises what stopped it
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


async def _reset(sessionmaker: async_sessionmaker[AsyncSession], redis_url: str) -> None:
    """What ``clean_state`` does before each test elsewhere: empty tables, the default plan
    without its rate limit (the settings' 1000/s applies), an empty Redis database."""
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with sessionmaker() as db:
        await db.execute(text(f"TRUNCATE {tables} CASCADE"))
        await insert_default_unless_any(
            db, {**BUILT_IN_DEFAULT, "id": new_id("plan"), "rate_limit": None}
        )
        await db.commit()
    redis = Redis.from_url(redis_url)
    try:
        await redis.flushdb()
    finally:
        await redis.aclose()


async def _start(stack: AsyncExitStack, settings: Settings) -> LiveGateway:
    engine = create_engine(str(settings.database_url), pool_size=1)
    stack.push_async_callback(engine.dispose)
    sessionmaker = create_sessionmaker(engine)
    await _reset(sessionmaker, str(settings.redis_url))
    # Billing on, against the fake Stripe, so the billing operations reach their rules.
    stripe = await stack.enter_async_context(serving_stripe())
    live_settings = settings.model_copy(
        update={
            **HOST_TIMINGS,
            "stripe_secret_key": SecretStr(stripe.api_key),
            "stripe_webhook_secret": SecretStr(stripe.webhook_secret),
            "stripe_api_base": stripe.base_url,
        }
    )
    base_url = await stack.enter_async_context(_serving(live_settings))
    await stack.enter_async_context(running_host(live_settings))
    account = await create_account(sessionmaker, name="Fuzz")
    spare_account = await create_account(sessionmaker, name="Spare")
    client = await stack.enter_async_context(httpx.AsyncClient(base_url=base_url))
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    price = stripe.fake.add_price(unit_amount=2900, product_name="Pro")
    pro = await _created(
        client.post(
            "/admin/plans",
            headers=admin,
            json={"name": "Pro", "stripe_price_id": price["id"], "sessions": 5},
        )
    )
    doomed_plan = await _created(client.post("/admin/plans", headers=admin, json={"name": "Old"}))
    sessions = {}
    for name in ("linked", "spare", "doomed"):
        session = await create_session(client, account, name=name, auto_link=True)
        sessions[name] = session["id"]
    for session_id in sessions.values():
        await session_in_status(client, account, session_id, "WORKING", within=20)
    linked = sessions["linked"]
    headers = account.headers
    group = await _created(
        client.post(
            f"/v1/sessions/{linked}/groups",
            headers=headers,
            json={"subject": "Fuzz", "participants": [CONTACT]},
        )
    )
    message = await _created(
        client.post(
            f"/v1/sessions/{linked}/messages",
            headers=headers,
            json={"type": "text", "chat_id": CONTACT, "text": "hello"},
        )
    )
    media = await _created(
        client.post("/v1/media", headers=headers, files={"file": ("a.txt", b"hello", "text/plain")})
    )
    key = await _created(client.post("/v1/api-keys", headers=headers, json={"name": "spare"}))
    doomed_key = await _created(client.post("/v1/api-keys", headers=headers, json={"name": "x"}))
    endpoints = [
        await _created(client.post("/v1/webhooks", headers=headers, json={"url": HOOK}))
        for _ in range(2)
    ]
    delivery = await client.post(f"/v1/webhooks/{endpoints[0]['id']}/test", headers=headers)
    assert delivery.status_code == 202, delivery.text
    events = await client.get("/v1/events", headers=headers, params={"limit": 1})
    assert events.status_code == 200, events.text
    ending_a_session = {"session_id": sessions["spare"]}
    return LiveGateway(
        base_url=base_url,
        admin_token=ADMIN_TOKEN,
        account=account,
        ids={
            "session_id": linked,
            "account_id": spare_account.id,
            "plan_id": pro["id"],
            "message_id": message["id"],
            "media_id": media["id"],
            "key_id": key["id"],
            "endpoint_id": endpoints[0]["id"],
            "delivery_id": delivery.json()["id"],
            "event_id": events.json()["data"][0]["id"],
        },
        spares={
            "delete_session": {"session_id": sessions["doomed"]},
            "stop_session": ending_a_session,
            "restart_session": ending_a_session,
            "logout_session": ending_a_session,
            "sandbox_disconnect_session": ending_a_session,
            "admin_delete_plan": {"plan_id": doomed_plan["id"]},
            "revoke_api_key": {"key_id": doomed_key["id"]},
            "delete_webhook": {"endpoint_id": endpoints[1]["id"]},
        },
        known={
            "chat_id": CONTACT,
            "contact_id": CONTACT,
            "phone_number": CONTACT,
            "group_id": group["id"],
        },
    )


async def _created(request: Awaitable[httpx.Response]) -> dict[str, Any]:
    response = await request
    assert response.status_code in (201, 202), response.text
    body: dict[str, Any] = response.json()
    return body


class RunningGateway:
    """A started gateway: ``live`` describes it; ``stop()`` ends it and its thread."""

    def __init__(self, settings: Settings) -> None:
        self._loop = _LoopThread()
        self._stack = AsyncExitStack()
        try:
            self.live = self._loop.run(_start(self._stack, settings))
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        try:
            self._loop.run(self._stack.aclose())
        finally:
            self._loop.close()
