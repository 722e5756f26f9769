"""Cloud sessions and Meta-shaped webhook bodies for the webhook tests, written through
the ORM: no engine host runs them (desired state ``stopped``), the webhook needs none."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.cloud.credentials import CloudCredentials, seal, verify_token_digest
from gateway.cloud.tasks import process_cloud_notifications
from gateway.config import Settings
from gateway.kit.ids import new_id
from gateway.models import CloudNotification, CloudNumber, Event, Message, Session
from gateway.worker import create_worker

WABA_ID = "102290129340398"
APP_SECRET = "app-secret-0123456789abcdef"
VERIFY_TOKEN = "verify-token-0123456789"
_counter = itertools.count(1)


@dataclass(frozen=True)
class CloudSession:
    id: str
    account_id: str
    phone_number_id: str
    waba_id: str
    app_secret: str
    verify_token: str


async def store_cloud_session(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    account_id: str,
    *,
    phone_number_id: str = "106540352242922",
    waba_id: str = WABA_ID,
    access_token: str = "EAAG-test-access-token",  # noqa: S107 - a test value
    app_secret: str = APP_SECRET,
    verify_token: str = VERIFY_TOKEN,
    graph_base_url: str = "https://graph.facebook.com",
    name: str | None = None,
) -> CloudSession:
    """A stopped cloud session of the number, with its sealed credentials, written
    through the ORM (no engine runs it: for what the API side does alone). Sessions an
    engine runs are made through the API: ``tests/cloud/sessions.py``."""
    session_id = new_id("ses")
    secrets = CloudCredentials(access_token, app_secret, verify_token)
    async with sessionmaker() as db:
        db.add(
            Session(
                id=session_id,
                account_id=account_id,
                name=name or f"cloud-{next(_counter)}",
                engine="cloud",
                meta={"team": "support"},
                config={
                    "cloud": {
                        "phone_number_id": phone_number_id,
                        "waba_id": waba_id,
                        "graph_base_url": graph_base_url,
                        "graph_version": "v21.0",
                    }
                },
                desired_state="stopped",
                status_history=[],
            )
        )
        await db.flush()
        db.add(
            CloudNumber(
                session_id=session_id,
                account_id=account_id,
                phone_number_id=phone_number_id,
                waba_id=waba_id,
                verify_token_digest=verify_token_digest(settings.secret, verify_token),
                credentials=seal(settings.secret, secrets),
            )
        )
        await db.commit()
    return CloudSession(session_id, account_id, phone_number_id, waba_id, app_secret, verify_token)


async def create_sent_message(
    sessionmaker: async_sessionmaker[AsyncSession],
    session: CloudSession,
    *,
    wamid: str | None,
    status: str = "sent",
    to: str = "16315551181",
) -> str:
    """An outbound text message of the session, as the engine leaves it once sent (or
    still ``sending``: no wamid recorded yet)."""
    message_id = new_id("msg")
    async with sessionmaker() as db:
        db.add(
            Message(
                id=message_id,
                account_id=session.account_id,
                session_id=session.id,
                direction="outbound",
                chat_id=f"{to}@c.us",
                type="text",
                content={"text": "Your order has shipped."},
                status=status,
                engine_message_id=wamid,
                attempts=1,
            )
        )
        await db.commit()
    return message_id


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def post_notification(
    client: httpx.AsyncClient,
    payload: dict[str, Any],
    secret: str | None,
    *,
    header: str | None = None,
) -> httpx.Response:
    """POST ``payload`` as Meta does: the raw body signed with ``secret``."""
    body = body_of(payload)
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Hub-Signature-256"] = header or signature(body, secret)
    return await client.post("/v1/cloud/webhook", content=body, headers=headers)


def now() -> str:
    return str(int(time.time()))


def messages_change(session: CloudSession, **value: Any) -> dict[str, Any]:
    """A ``messages`` notification for the session's number."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": session.waba_id,
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": session.phone_number_id,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }


def status(wamid: str, kind: str, *, message_id: str | None = None, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": wamid,
        "status": kind,
        "timestamp": now(),
        "recipient_id": "16315551181",
        **extra,
    }
    if message_id is not None:
        item["biz_opaque_callback_data"] = message_id
    return item


def inbound(
    kind: str, content: Any, *, sender: str = "16315551181", **extra: Any
) -> dict[str, Any]:
    """A received message object of ``kind``; its wamid is new each time."""
    return {
        "from": sender,
        "id": f"wamid.HBgL{next(_counter):08d}AAA=",
        "timestamp": now(),
        "type": kind,
        kind: content,
        **extra,
    }


def contacts(sender: str = "16315551181", name: str = "Sheena Nelson") -> list[dict[str, Any]]:
    return [{"profile": {"name": name}, "wa_id": sender}]


async def run_worker(settings: Settings) -> None:
    """Run the jobs waiting on the shared queue (and those they push) in a real worker,
    until none is left (deferred ones too)."""
    worker = create_worker(settings, burst=True, cron_jobs=[], handle_signals=False)
    try:
        await worker.async_run()
    finally:
        await worker.close()


async def process_due(ctx: dict[str, Any]) -> str:
    """Run the processing job, as a worker would, over every row waiting now (a retry
    it schedules stays in Redis: the test decides when time has come)."""
    async with ctx["sessionmaker"]() as db:
        ids = list(
            (
                await db.scalars(
                    select(CloudNotification.id).where(CloudNotification.processed_at.is_(None))
                )
            ).all()
        )
    return await process_cloud_notifications(ctx, ids)


async def stored_notifications(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> list[CloudNotification]:
    async with sessionmaker() as db:
        return list(
            (await db.scalars(select(CloudNotification).order_by(CloudNotification.id))).all()
        )


async def events_of(
    sessionmaker: async_sessionmaker[AsyncSession], session_id: str, type_: str | None = None
) -> list[Event]:
    async with sessionmaker() as db:
        statement = select(Event).where(Event.session_id == session_id)
        if type_ is not None:
            statement = statement.where(Event.type == type_)
        return list((await db.scalars(statement.order_by(Event.seq, Event.id))).all())
