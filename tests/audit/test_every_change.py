"""Every mutating operation of the OpenAPI document leaves an audit entry.

One walk through the API calls each operation the way a client would, in an order that
gives each the objects it needs, and reads the operator's audit log after each call. The
test fails for an operation of the document that it does not call, unless the operation
is exempt below with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.config import Settings
from tests.billing.stripe_gateway import billing_gateway
from tests.cloud.template_factories import create_cloud_session
from tests.conftest import ADMIN_TOKEN
from tests.factories import TestAccount, create_account, create_session, session_in_status
from tests.fakes.graph import serving_graph
from tests.local_http import Reply, serving
from tests.messages.test_pipeline import FAST_ACKS, message_in_status

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
DOCUMENT = Path(__file__).parents[2] / "openapi" / "openapi.json"
ADA, GRACE = "+12025550111", "+12025550112"
ADA_CHAT = "12025550111@c.us"

# Operations that change nothing an audit log is for, each with its reason.
EXEMPT = {
    # The message row is the record of a send (who, when, what, every status change) and
    # is itself exported and retained; an entry per message would double the send path's
    # writes for nothing a reader of the log wants.
    "send_message": "the message row records the send",
    "set_chat_typing": "changes nothing stored: a typing indicator shown for seconds",
    "check_contact_numbers": "a lookup: changes nothing",
    # Third parties' notifications, authenticated by their signatures, not an actor's
    # change. What they change is audited where it is applied (a subscription's plan).
    "receive_cloud_webhook": "Meta's notifications, stored as rows by id",
    "receive_stripe_webhook": "Stripe's events; the plan change they cause is audited",
}

MUTATING = {"post", "put", "patch", "delete"}


def mutating_operations() -> set[str]:
    document = json.loads(DOCUMENT.read_text())
    return {
        operation["operationId"]
        for path in document["paths"].values()
        for method, operation in path.items()
        if method in MUTATING
    }


class Walk:
    """Calls operations and records which left audit entries."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.audited: dict[str, list[str]] = {}
        self.failed: dict[str, str] = {}
        self.last_id: str | None = None

    async def entries_since(self) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"limit": 100}
        if self.last_id:
            params["ending_before"] = self.last_id
        response = await self.client.get("/admin/audit-log", headers=ADMIN, params=params)
        assert response.status_code == 200, response.text
        entries: list[dict[str, Any]] = response.json()["data"]
        if entries:
            self.last_id = entries[0]["id"]
        return entries

    async def call(
        self, operation: str, request: Awaitable[httpx.Response] | Callable[[], Awaitable[Any]]
    ) -> httpx.Response:
        await self.entries_since()  # what setting up left is not this operation's
        response = await (request() if callable(request) else request)
        assert isinstance(response, httpx.Response)
        if response.status_code >= 300:
            self.failed[operation] = f"{response.status_code} {response.text[:300]}"
            return response
        self.audited[operation] = [e["action"] for e in await self.entries_since()]
        return response


async def test_every_mutating_operation_is_audited(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    engine_host: object,
) -> None:
    walk = Walk(client)
    account = await create_account(sessionmaker, mode=KeyMode.live)
    await _admin(walk)
    await _keys_and_media(walk, account)
    main = await _sessions(walk, account)
    guest = await _pairing(walk, account)
    await _messages_and_chats(walk, account, main)
    await _contacts_and_groups(walk, account, main, guest)
    await _sandbox(walk, account, guest)
    await _webhooks(walk, account)
    await _templates(walk, sessionmaker, settings, account)
    await _session_lifecycle(walk, account, main)
    async with billing_gateway(settings) as gateway:
        billing = Walk(gateway.client)
        await _billing(billing, account)
        walk.audited.update(billing.audited)
        walk.failed.update(billing.failed)
    await _data_rights(walk, account)

    assert walk.failed == {}
    silent = sorted(op for op, actions in walk.audited.items() if not actions)
    assert silent == [], f"operations that left no audit entry: {silent}"
    missing = sorted(mutating_operations() - set(EXEMPT) - set(walk.audited))
    assert missing == [], f"operations the walk does not call: {missing}"
    assert not set(EXEMPT) & set(walk.audited)


async def _admin(walk: Walk) -> None:
    c = walk.client
    plan = await walk.call(
        "admin_create_plan", c.post("/admin/plans", headers=ADMIN, json={"name": "Team"})
    )
    plan_id = plan.json()["id"]
    await walk.call(
        "admin_update_plan",
        c.patch(f"/admin/plans/{plan_id}", headers=ADMIN, json={"sessions": 3}),
    )
    await walk.call("admin_delete_plan", c.delete(f"/admin/plans/{plan_id}", headers=ADMIN))
    other = await walk.call(
        "admin_create_account", c.post("/admin/accounts", headers=ADMIN, json={"name": "Other"})
    )
    await walk.call(
        "admin_update_account",
        c.patch(f"/admin/accounts/{other.json()['id']}", headers=ADMIN, json={"name": "Renamed"}),
    )


async def _keys_and_media(walk: Walk, account: TestAccount) -> None:
    c, h = walk.client, account.headers
    await walk.call(
        "update_account",
        c.patch("/v1/account", headers=h, json={"retention": {"messages_days": 30}}),
    )
    key = await walk.call("create_api_key", c.post("/v1/api-keys", headers=h, json={"name": "ci"}))
    key_id = key.json()["id"]
    await walk.call(
        "update_api_key", c.patch(f"/v1/api-keys/{key_id}", headers=h, json={"name": "ci-2"})
    )
    await walk.call("revoke_api_key", c.post(f"/v1/api-keys/{key_id}/revoke", headers=h))
    await walk.call(
        "upload_media",
        c.post(
            "/v1/media",
            headers=h,
            files={"file": ("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")},
        ),
    )


async def _sessions(walk: Walk, account: TestAccount) -> str:
    c, h = walk.client, account.headers
    created = await walk.call(
        "create_session",
        c.post(
            "/v1/sessions",
            headers=h,
            json={
                "name": "main",
                "config": {"sandbox": {"auto_link": True, **FAST_ACKS}},
            },
        ),
    )
    session_id: str = created.json()["id"]
    await walk.call(
        "update_session",
        c.patch(f"/v1/sessions/{session_id}", headers=h, json={"metadata": {"team": "ops"}}),
    )
    await session_in_status(c, account, session_id, "WORKING")
    return session_id


async def _pairing(walk: Walk, account: TestAccount) -> str:
    """A second session, linked by pairing code: it joins the main one's group later."""
    c, h = walk.client, account.headers
    guest = await create_session(c, account, name="guest")
    await session_in_status(c, account, guest["id"], "SCAN_QR_CODE")
    await walk.call(
        "request_pairing_code",
        c.post(
            f"/v1/sessions/{guest['id']}/pairing-code",
            headers=h,
            json={"phone_number": "+12025550177"},
        ),
    )
    await walk.call(
        "sandbox_link_session",
        c.post(
            f"/v1/sandbox/sessions/{guest['id']}/link",
            headers=h,
            json={"phone_number": "+12025550177"},
        ),
    )
    await session_in_status(c, account, guest["id"], "WORKING")
    return str(guest["id"])


async def _messages_and_chats(walk: Walk, account: TestAccount, session_id: str) -> None:
    c, h = walk.client, account.headers
    messages = f"/v1/sessions/{session_id}/messages"
    first = await c.post(messages, headers=h, json={"type": "text", "chat_id": ADA, "text": "Hi"})
    second = await c.post(messages, headers=h, json={"type": "text", "chat_id": ADA, "text": "Yo"})
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    scheduled = await c.post(
        messages,
        headers=h,
        json={"type": "text", "chat_id": ADA, "text": "Later", "send_at": later},
    )
    for sent in (first, second):
        await message_in_status(c, account, sent.json()["id"], "read")
    await walk.call(
        "edit_message",
        c.patch(f"/v1/messages/{first.json()['id']}", headers=h, json={"text": "Hi there"}),
    )
    await walk.call("revoke_message", c.delete(f"/v1/messages/{second.json()['id']}", headers=h))
    await walk.call(
        "cancel_message", c.post(f"/v1/messages/{scheduled.json()['id']}/cancel", headers=h)
    )
    chat = f"/v1/sessions/{session_id}/chats/{ADA_CHAT}"
    for operation, verb in (
        ("mark_chat_read", "read"),
        ("archive_chat", "archive"),
        ("unarchive_chat", "unarchive"),
        ("mark_chat_unread", "unread"),
    ):
        await walk.call(operation, c.post(f"{chat}/{verb}", headers=h))
    await walk.call("delete_chat", c.delete(chat, headers=h))


async def _contacts_and_groups(
    walk: Walk, account: TestAccount, session_id: str, guest_id: str
) -> None:
    c, h = walk.client, account.headers
    contacts = f"/v1/sessions/{session_id}/contacts"
    await walk.call("block_contact", c.post(f"{contacts}/{GRACE}/block", headers=h))
    await walk.call("unblock_contact", c.post(f"{contacts}/{GRACE}/unblock", headers=h))
    groups = f"/v1/sessions/{session_id}/groups"
    created = await walk.call(
        "create_group", c.post(groups, headers=h, json={"subject": "Ops", "participants": [ADA]})
    )
    group_id = created.json()["id"]
    await walk.call(
        "update_group", c.patch(f"{groups}/{group_id}", headers=h, json={"subject": "Ops 2"})
    )
    await walk.call(
        "update_group_participants",
        c.post(
            f"{groups}/{group_id}/participants/promote", headers=h, json={"participants": [ADA]}
        ),
    )
    invite = await c.get(f"{groups}/{group_id}/invite", headers=h)
    assert invite.status_code == 200, invite.text
    await walk.call(
        "join_group",
        c.post(
            f"/v1/sessions/{guest_id}/groups/join", headers=h, json={"code": invite.json()["code"]}
        ),
    )
    await walk.call("revoke_group_invite", c.post(f"{groups}/{group_id}/invite/revoke", headers=h))
    await walk.call(
        "leave_group", c.post(f"/v1/sessions/{guest_id}/groups/{group_id}/leave", headers=h)
    )


async def _sandbox(walk: Walk, account: TestAccount, session_id: str) -> None:
    c, h = walk.client, account.headers
    base = f"/v1/sandbox/sessions/{session_id}"
    await walk.call(
        "sandbox_inject_inbound",
        c.post(f"{base}/inbound", headers=h, json={"from": GRACE, "text": "Hello"}),
    )
    await walk.call(
        "sandbox_inject_presence",
        c.post(f"{base}/presence", headers=h, json={"from": GRACE, "presence": "available"}),
    )
    await walk.call("sandbox_disconnect_session", c.post(f"{base}/disconnect", headers=h))


async def _webhooks(walk: Walk, account: TestAccount) -> None:
    c, h = walk.client, account.headers
    with serving(fallback=Reply(500, b"down")) as receiver:
        created = await walk.call(
            "create_webhook", c.post("/v1/webhooks", headers=h, json={"url": receiver.url("/hook")})
        )
        endpoint = f"/v1/webhooks/{created.json()['id']}"
        await walk.call("update_webhook", c.patch(endpoint, headers=h, json={"description": "x"}))
        await walk.call("rotate_webhook_secret", c.post(f"{endpoint}/rotate-secret", headers=h))
        tested = await walk.call("test_webhook", c.post(f"{endpoint}/test", headers=h))
        delivery_id = tested.json()["id"]

        await walk.call(
            "retry_webhook_delivery",
            c.post(f"{endpoint}/deliveries/{delivery_id}/retry", headers=h),
        )
        since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        await walk.call(
            "recover_webhook_deliveries",
            c.post(f"{endpoint}/recover", headers=h, json={"since": since}),
        )
        await walk.call("delete_webhook", c.delete(endpoint, headers=h))


async def _templates(
    walk: Walk,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    account: TestAccount,
) -> None:
    c, h = walk.client, account.headers
    async with serving_graph(template_review_seconds=None) as graph:
        number = graph.fake.add_number()
        session_id = await create_cloud_session(
            sessionmaker, settings, account.id, graph.base_url, number
        )
        created = await walk.call(
            "create_template",
            c.post(
                f"/v1/sessions/{session_id}/templates",
                headers=h,
                json={
                    "name": "order_shipped",
                    "language": "en_US",
                    "category": "UTILITY",
                    "components": [{"type": "BODY", "text": "Your order has shipped."}],
                },
            ),
        )
        await walk.call(
            "delete_template",
            c.delete(f"/v1/sessions/{session_id}/templates/{created.json()['id']}", headers=h),
        )


async def _session_lifecycle(walk: Walk, account: TestAccount, session_id: str) -> None:
    c, h = walk.client, account.headers
    base = f"/v1/sessions/{session_id}"
    await walk.call("stop_session", c.post(f"{base}/stop", headers=h))
    await walk.call("start_session", c.post(f"{base}/start", headers=h))
    await walk.call("restart_session", c.post(f"{base}/restart", headers=h))
    await walk.call("logout_session", c.post(f"{base}/logout", headers=h))
    await walk.call("delete_session", c.delete(base, headers=h))


async def _billing(walk: Walk, account: TestAccount) -> None:
    c, h = walk.client, account.headers
    plans = await c.get("/admin/plans", headers=ADMIN)
    pro = next(p for p in plans.json()["data"] if p["name"] == "Pro")
    await walk.call(
        "create_checkout_session",
        c.post(
            "/v1/billing/checkout",
            headers=h,
            json={"plan": pro["id"], "success_url": "https://app.example.com/done"},
        ),
    )
    await walk.call(
        "create_portal_session",
        c.post("/v1/billing/portal", headers=h, json={"return_url": "https://app.example.com"}),
    )


async def _data_rights(walk: Walk, account: TestAccount) -> None:
    """Last: the account is deleted at the end."""
    c, h = walk.client, account.headers
    await walk.call("create_export", c.post("/v1/exports", headers=h))
    await walk.call(
        "erase_contact", c.post("/v1/contacts/erase", headers=h, json={"phone_number": ADA})
    )
    asked = await c.delete("/v1/account", headers=h)
    assert asked.status_code == 409, asked.text
    token = asked.headers["confirmation-token"]
    await walk.call("delete_account", c.delete("/v1/account", headers=h, params={"confirm": token}))


@pytest.mark.parametrize("operation", sorted(EXEMPT))
def test_exemptions_name_operations_of_the_document(operation: str) -> None:
    assert operation in mutating_operations()
