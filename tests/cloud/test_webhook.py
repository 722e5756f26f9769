"""Meta's webhook, the receiving side: the handshake, signatures, and rows stored before
the 200 (once, for the right sessions only)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.cloud.inbound import MAX_BODY_BYTES
from gateway.config import Settings
from tests.cloud.factories import (
    VERIFY_TOKEN,
    CloudSession,
    body_of,
    contacts,
    events_of,
    inbound,
    messages_change,
    post_notification,
    signature,
    status,
    store_cloud_session,
    stored_notifications,
)
from tests.factories import create_account


@pytest.fixture
async def cloud(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> CloudSession:
    account = await create_account(sessionmaker)
    return await store_cloud_session(sessionmaker, settings, account.id)


def _handshake(token: str, **overrides: str) -> dict[str, str]:
    return {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444",
            **overrides}  # fmt: skip


async def test_the_handshake_echoes_the_challenge_for_a_known_verify_token(
    client: httpx.AsyncClient, cloud: CloudSession
) -> None:
    response = await client.get("/v1/cloud/webhook", params=_handshake(VERIFY_TOKEN))
    assert response.status_code == 200
    assert response.text == "1158201444"
    assert response.headers["content-type"].startswith("text/plain")


async def test_the_handshake_refuses_another_token_without_echoing_it(
    client: httpx.AsyncClient, cloud: CloudSession
) -> None:
    response = await client.get("/v1/cloud/webhook", params=_handshake("not-the-token"))
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["type"] == "permission_error"
    assert error["code"] == "verify_token_mismatch"
    assert "not-the-token" not in response.text
    assert "1158201444" not in response.text


@pytest.mark.parametrize("missing", ["hub.mode", "hub.verify_token", "hub.challenge"])
async def test_the_handshake_names_a_missing_parameter(
    client: httpx.AsyncClient, cloud: CloudSession, missing: str
) -> None:
    params = _handshake(VERIFY_TOKEN)
    del params[missing]
    response = await client.get("/v1/cloud/webhook", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["param"] == missing


async def test_the_handshake_wants_subscribe(
    client: httpx.AsyncClient, cloud: CloudSession
) -> None:
    response = await client.get(
        "/v1/cloud/webhook", params=_handshake(VERIFY_TOKEN, **{"hub.mode": "unsubscribe"})
    )
    assert response.status_code == 422
    assert response.json()["error"]["param"] == "hub.mode"


def _text_message(cloud: CloudSession, text: str = "Hi, is my order on its way?") -> dict[str, Any]:
    return messages_change(cloud, contacts=contacts(), messages=[inbound("text", {"body": text})])


async def test_a_signed_notification_is_stored_before_the_answer(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], cloud: CloudSession
) -> None:
    payload = _text_message(cloud)
    response = await post_notification(client, payload, cloud.app_secret)
    assert response.status_code == 200, response.text
    assert response.json() == {"received": 1}
    (row,) = await stored_notifications(sessionmaker)
    assert row.session_id == cloud.id
    assert row.account_id == cloud.account_id
    assert row.field == "messages"
    assert row.payload["value"] == payload["entry"][0]["changes"][0]["value"]
    assert row.payload["entry_id"] == cloud.waba_id


@pytest.mark.parametrize(
    "header",
    [
        None,
        "sha256=" + "0" * 64,
        "sha1=abcdef",
        "",
    ],
)
async def test_a_missing_or_wrong_signature_is_refused_and_nothing_stored(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    cloud: CloudSession,
    header: str | None,
) -> None:
    payload = _text_message(cloud)
    body = body_of(payload)
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["X-Hub-Signature-256"] = header
    response = await client.post("/v1/cloud/webhook", content=body, headers=headers)
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["type"] == "authentication_error"
    assert error["code"] == "signature_invalid"
    assert await stored_notifications(sessionmaker) == []


async def test_a_body_signed_then_changed_is_refused(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], cloud: CloudSession
) -> None:
    # The signature is over the exact bytes: the same JSON re-serialised does not match.
    payload = _text_message(cloud)
    signed = signature(body_of(payload), cloud.app_secret)
    changed = body_of(payload).replace(b'":"', b'": "')
    response = await client.post(
        "/v1/cloud/webhook",
        content=changed,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signed},
    )
    assert response.status_code == 401
    assert await stored_notifications(sessionmaker) == []


async def test_invalid_json_is_a_422_and_nothing_is_stored(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], cloud: CloudSession
) -> None:
    body = b'{"object": "whatsapp_business_account", "entry": ['
    response = await client.post(
        "/v1/cloud/webhook",
        content=body,
        headers={"X-Hub-Signature-256": signature(body, cloud.app_secret)},
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_json"
    assert await stored_notifications(sessionmaker) == []


async def test_a_nul_character_is_a_422_not_a_server_error(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], cloud: CloudSession
) -> None:
    body = body_of(messages_change(cloud, statuses=[status("wamid.x", "read", note="a\u0000b")]))
    response = await client.post(
        "/v1/cloud/webhook",
        content=body,
        headers={"X-Hub-Signature-256": signature(body, cloud.app_secret)},
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_json"
    assert await stored_notifications(sessionmaker) == []


async def test_an_oversized_body_is_a_413(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], cloud: CloudSession
) -> None:
    payload = _text_message(cloud, text="x" * (MAX_BODY_BYTES + 10))
    response = await post_notification(client, payload, cloud.app_secret)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"
    assert await stored_notifications(sessionmaker) == []


async def test_an_unknown_number_is_answered_200_with_nothing_stored(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], cloud: CloudSession
) -> None:
    # Meta retries anything but a 2xx for days: a number nobody set up must not be retried.
    other = CloudSession("ses_x", cloud.account_id, "999999999999999", "888", "s", "t")
    response = await post_notification(client, _text_message(other), "whatever")
    assert response.status_code == 200
    assert response.json() == {"received": 0}
    assert await stored_notifications(sessionmaker) == []


async def test_the_same_notification_twice_is_stored_once(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], cloud: CloudSession
) -> None:
    payload = _text_message(cloud)
    first = await post_notification(client, payload, cloud.app_secret)
    again = await post_notification(client, payload, cloud.app_secret)
    assert first.json() == {"received": 1}
    assert again.status_code == 200
    assert again.json() == {"received": 0}
    assert len(await stored_notifications(sessionmaker)) == 1


async def test_a_number_set_up_by_two_accounts_is_stored_for_the_signers_session_only(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    cloud: CloudSession,
) -> None:
    other_account = await create_account(sessionmaker, name="Other")
    other = await store_cloud_session(
        sessionmaker, settings, other_account.id, app_secret="another-app-secret-xyz",
        verify_token="another-verify-token",
    )  # fmt: skip
    response = await post_notification(client, _text_message(cloud), cloud.app_secret)
    assert response.json() == {"received": 1}
    (row,) = await stored_notifications(sessionmaker)
    assert row.session_id == cloud.id
    # Signed with the other account's secret: only the other session's.
    response = await post_notification(client, _text_message(other), other.app_secret)
    assert response.json() == {"received": 1}
    assert {r.session_id for r in await stored_notifications(sessionmaker)} == {cloud.id, other.id}
    assert await events_of(sessionmaker, other.id) == []


async def test_a_template_review_is_routed_by_the_waba(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], cloud: CloudSession
) -> None:
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": cloud.waba_id,
                "time": 1733100000,
                "changes": [
                    {
                        "field": "message_template_status_update",
                        "value": {
                            "event": "APPROVED",
                            "message_template_id": 594425479261596,
                            "message_template_name": "order_shipped",
                            "message_template_language": "en_US",
                            "reason": "NONE",
                        },
                    }
                ],
            }
        ],
    }
    response = await post_notification(client, payload, cloud.app_secret)
    assert response.json() == {"received": 1}
    (row,) = await stored_notifications(sessionmaker)
    assert row.field == "message_template_status_update"
    assert row.session_id == cloud.id
