"""The webhook pages: endpoints created, edited, rotated, tested and deleted through the
webhooks' service as the API does; the delivery log with each attempt; retry and recover;
and the account, scope and CSRF rules on every one."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from arq.connections import ArqRedis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.models import WebhookDelivery
from gateway.webhooks.delivery import http_client
from gateway.webhooks.tasks import deliver_webhook
from tests.dashboard.conftest import form_token, signed_in
from tests.factories import TestAccount, create_account, create_api_key
from tests.local_http import Reply, serving

_SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]+")


@pytest.fixture
async def job_context(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], arq_redis: ArqRedis
) -> AsyncIterator[dict[str, Any]]:
    # One attempt per delivery: the first failure is final, as after the whole schedule.
    once = settings.model_copy(
        update={"webhook_retry_schedule": [0], "allow_private_targets": True}
    )
    client = http_client(once)
    yield {
        "settings": once,
        "sessionmaker": sessionmaker,
        "redis": arq_redis,
        "webhook_http": client,
    }
    await client.aclose()


async def create_endpoint(
    web: httpx.AsyncClient, url: str = "http://127.0.0.1:9/hooks", **fields: Any
) -> tuple[str, str]:
    """Fill in the create form; the new endpoint's id and the secret the page shows."""
    token = await form_token(web, "/dashboard/webhooks")
    response = await web.post(
        "/dashboard/webhooks", data={"csrf_token": token, "url": url, **fields}
    )
    assert response.status_code == 201, response.text
    found = re.search(r"<code>(whk_[0-9A-Z]+)</code>", response.text)
    secret = _SECRET.search(response.text)
    assert found is not None
    assert secret is not None
    return found[1], secret[0]


async def api_endpoint(
    client: httpx.AsyncClient, account: TestAccount, endpoint_id: str
) -> dict[str, Any]:
    response = await client.get(f"/v1/webhooks/{endpoint_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def deliveries(sessionmaker: async_sessionmaker[AsyncSession]) -> list[WebhookDelivery]:
    async with sessionmaker() as db:
        return list((await db.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))).all())


async def test_create_shows_the_secret_once_and_lists_the_endpoint(
    web: httpx.AsyncClient, client: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    endpoint_id, secret = await create_endpoint(
        web,
        description="orders <team>",
        event_types=["message.received", "session.status"],
    )
    created = await api_endpoint(client, account, endpoint_id)
    assert created["url"] == "http://127.0.0.1:9/hooks"
    assert created["event_types"] == ["message.received", "session.status"]
    assert created["description"] == "orders <team>"

    listing = await web.get("/dashboard/webhooks")
    assert f'data-endpoint="{endpoint_id}"' in listing.text
    assert "orders &lt;team&gt;" in listing.text
    assert "<code>message.received</code>, <code>session.status</code>" in listing.text
    page = await web.get(f"/dashboard/webhooks/{endpoint_id}")
    assert page.status_code == 200
    assert secret not in page.text
    assert secret not in listing.text

    # No type chosen: every event, as the API's default.
    all_id, _ = await create_endpoint(web, "http://127.0.0.1:9/all")
    assert (await api_endpoint(client, account, all_id))["event_types"] == ["*"]


async def test_a_bad_url_is_explained_and_the_form_kept(
    web: httpx.AsyncClient, client: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    token = await form_token(web, "/dashboard/webhooks")
    for url in ("not a url", "ftp://example.com/x", "https://"):
        response = await web.post(
            "/dashboard/webhooks",
            data={"csrf_token": token, "url": url, "description": "kept"},
        )
        assert response.status_code == 422, (url, response.text)
        assert 'role="alert"' in response.text
        assert 'aria-invalid="true"' in response.text
        assert 'value="kept"' in response.text
    nul = await web.post(
        "/dashboard/webhooks", data={"csrf_token": token, "url": "http://127.0.0.1:9/\x00"}
    )
    assert nul.status_code == 422
    assert "must not contain NUL characters" in nul.text
    listed = await client.get("/v1/webhooks", headers=account.headers)
    assert listed.json()["data"] == []


async def test_edit_rotate_test_and_delete(
    web: httpx.AsyncClient,
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await signed_in(web, account.key)
    endpoint_id, first_secret = await create_endpoint(web)
    path = f"/dashboard/webhooks/{endpoint_id}"
    token = await form_token(web, path)

    saved = await web.post(
        path,
        data={
            "csrf_token": token,
            "url": "http://127.0.0.1:9/v2",
            "event_types": ["group.joined"],
            "was_enabled": "on",
        },
    )
    assert saved.status_code == 303
    after = await web.get(saved.headers["location"])
    assert "Endpoint saved." in after.text
    assert "disabled" in after.text
    edited = await api_endpoint(client, account, endpoint_id)
    assert edited["url"] == "http://127.0.0.1:9/v2"
    assert edited["event_types"] == ["group.joined"]
    assert edited["enabled"] is False

    refused = await web.post(path, data={"csrf_token": token, "url": "http://no spaces"})
    assert refused.status_code == 422
    assert (await api_endpoint(client, account, endpoint_id))["url"] == "http://127.0.0.1:9/v2"

    rotated = await web.post(f"{path}/rotate-secret", data={"csrf_token": token})
    assert rotated.status_code == 200
    new_secret = _SECRET.search(rotated.text)
    assert new_secret is not None
    assert new_secret[0] != first_secret
    assert (await api_endpoint(client, account, endpoint_id))["previous_secret_expires_at"]
    assert new_secret[0] not in (await web.get(path)).text

    tested = await web.post(f"{path}/test", data={"csrf_token": token})
    assert tested.status_code == 303
    log = await web.get(tested.headers["location"])
    (delivery,) = await deliveries(sessionmaker)
    assert delivery.event_type == "webhook.test"
    assert f'data-delivery="{delivery.id}"' in log.text
    assert "Test event sent" in log.text

    deleted = await web.post(f"{path}/delete", data={"csrf_token": token})
    assert deleted.status_code == 303
    assert "Endpoint deleted." in (await web.get(deleted.headers["location"])).text
    gone = await client.get(f"/v1/webhooks/{endpoint_id}", headers=account.headers)
    assert gone.status_code == 404


async def test_the_delivery_log_shows_each_attempt_and_retry_and_recover_resend(
    web: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    job_context: dict[str, Any],
) -> None:
    await signed_in(web, account.key)
    answer = {"reply": Reply(500, b"<b>receiver down</b>")}
    with serving(fallback=lambda _: answer["reply"]) as receiver:
        endpoint_id, _ = await create_endpoint(web, receiver.url("/hook"))
        path = f"/dashboard/webhooks/{endpoint_id}"
        token = await form_token(web, path)
        for _ in range(2):
            assert (await web.post(f"{path}/test", data={"csrf_token": token})).status_code == 303
        first, second = await deliveries(sessionmaker)
        for delivery in (first, second):
            await deliver_webhook(job_context, delivery.id)

        log = await web.get(path, params={"status": "failed"})
        assert log.text.count("Retry delivery dlv_") == 2
        assert "HTTP 500" in log.text
        shown = await web.get(f"{path}/deliveries/{first.id}")
        assert shown.status_code == 200
        assert "&lt;b&gt;receiver down&lt;/b&gt;" in shown.text
        assert "<b>receiver down" not in shown.text
        assert re.search(r"<td data-label=\"HTTP status\" data-attempt-status>500</td>", shown.text)
        assert re.search(r"\d+ ms", shown.text)

        answer["reply"] = Reply(204)
        retried = await web.post(f"{path}/deliveries/{first.id}/retry", data={"csrf_token": token})
        assert retried.status_code == 303
        await deliver_webhook(job_context, first.id)
        after = await web.get(retried.headers["location"])
        assert 'data-delivery-status="' + first.id + '">succeeded' in after.text
        assert after.text.count("data-attempt>") == 2

        recovered = await web.post(
            f"{path}/recover", data={"csrf_token": token, "since": "2000-01-01T00:00"}
        )
        assert recovered.status_code == 303
        await deliver_webhook(job_context, second.id)
        succeeded = await web.get(path, params={"status": "succeeded"})
        assert f'data-delivery="{second.id}"' in succeeded.text
        assert f'data-delivery="{first.id}"' in succeeded.text

        bad_since = await web.post(f"{path}/recover", data={"csrf_token": token, "since": "soon"})
        assert bad_since.status_code == 422
        assert "Invalid since" in bad_since.text


async def test_another_accounts_endpoints_are_never_shown_and_their_ids_are_not_found(
    web: httpx.AsyncClient,
    other_web: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    client: httpx.AsyncClient,
) -> None:
    other = await create_account(sessionmaker, name="Other")
    await signed_in(other_web, other.key)
    theirs, _ = await create_endpoint(other_web, "http://127.0.0.1:9/theirs")
    token_other = await form_token(other_web, f"/dashboard/webhooks/{theirs}")
    assert (
        await other_web.post(f"/dashboard/webhooks/{theirs}/test", data={"csrf_token": token_other})
    ).status_code == 303
    (their_delivery,) = await deliveries(sessionmaker)

    await signed_in(web, account.key)
    listing = await web.get("/dashboard/webhooks")
    assert theirs not in listing.text
    assert "http://127.0.0.1:9/theirs" not in listing.text
    token = await form_token(web, "/dashboard/webhooks")
    base = f"/dashboard/webhooks/{theirs}"
    for method, url, data in (
        ("GET", base, None),
        ("GET", f"{base}/deliveries/{their_delivery.id}", None),
        ("POST", base, {"url": "http://127.0.0.1:9/mine"}),
        ("POST", f"{base}/rotate-secret", {}),
        ("POST", f"{base}/test", {}),
        ("POST", f"{base}/recover", {"since": "2000-01-01T00:00"}),
        ("POST", f"{base}/deliveries/{their_delivery.id}/retry", {}),
        ("POST", f"{base}/delete", {}),
    ):
        if method == "GET":
            response = await web.get(url)
        else:
            response = await web.post(url, data={"csrf_token": token, **(data or {})})
        assert response.status_code == 404, (url, response.text)
        assert "Not found" in response.text
        assert "http://127.0.0.1:9/theirs" not in response.text
    still = await client.get(f"/v1/webhooks/{theirs}", headers=other.headers)
    assert still.json()["url"] == "http://127.0.0.1:9/theirs"
    assert (await deliveries(sessionmaker))[0].attempts == 0


async def test_every_form_needs_the_csrf_token(
    web: httpx.AsyncClient,
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await signed_in(web, account.key)
    endpoint_id, _ = await create_endpoint(web)
    token = await form_token(web, f"/dashboard/webhooks/{endpoint_id}")
    await web.post(f"/dashboard/webhooks/{endpoint_id}/test", data={"csrf_token": token})
    (delivery,) = await deliveries(sessionmaker)
    base = f"/dashboard/webhooks/{endpoint_id}"
    for url, data in (
        ("/dashboard/webhooks", {"url": "http://127.0.0.1:9/sneaky"}),
        (base, {"url": "http://127.0.0.1:9/sneaky"}),
        (f"{base}/rotate-secret", {}),
        (f"{base}/test", {}),
        (f"{base}/recover", {"since": "2000-01-01T00:00"}),
        (f"{base}/deliveries/{delivery.id}/retry", {}),
        (f"{base}/delete", {}),
    ):
        for extra in ({}, {"csrf_token": "forged"}):
            response = await web.post(url, data={**data, **extra})
            assert response.status_code == 403, (url, extra)
            assert "did not come from this dashboard" in response.text
    listed = (await client.get("/v1/webhooks", headers=account.headers)).json()["data"]
    assert [e["url"] for e in listed] == ["http://127.0.0.1:9/hooks"]
    assert listed[0]["previous_secret_expires_at"] is None
    assert len(await deliveries(sessionmaker)) == 1


async def test_scopes_hold_on_every_page(
    web: httpx.AsyncClient,
    other_web: httpx.AsyncClient,
    client: httpx.AsyncClient,
    account: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await signed_in(other_web, account.key)
    endpoint_id, _ = await create_endpoint(other_web)

    reader = await create_api_key(sessionmaker, account.id, scopes={"webhooks": "read"})
    await signed_in(web, reader.key)
    listing = await web.get("/dashboard/webhooks")
    assert listing.status_code == 200
    assert "Add an endpoint" not in listing.text
    assert "lacks the <code>webhooks: write</code> scope" in listing.text
    page = await web.get(f"/dashboard/webhooks/{endpoint_id}")
    assert page.status_code == 200
    assert "Rotate secret" not in page.text
    token = await form_token(web, "/dashboard/webhooks")
    for url in ("/dashboard/webhooks", f"/dashboard/webhooks/{endpoint_id}/rotate-secret"):
        response = await web.post(url, data={"csrf_token": token, "url": "http://127.0.0.1:9/x"})
        assert response.status_code == 403
        assert "does not have the &#39;webhooks: write&#39; scope" in response.text
    listed = (await client.get("/v1/webhooks", headers=account.headers)).json()["data"]
    assert len(listed) == 1

    no_webhooks = await create_api_key(sessionmaker, account.id, scopes={"sessions": "read"})
    web.cookies.clear()  # another browser, as it were
    await signed_in(web, no_webhooks.key)
    for url in ("/dashboard/webhooks", f"/dashboard/webhooks/{endpoint_id}"):
        response = await web.get(url)
        assert response.status_code == 403
        assert "does not have the &#39;webhooks: read&#39; scope" in response.text

    session_key = await create_api_key(
        sessionmaker,
        account.id,
        scopes={"webhooks": "write"},
        session_id="ses_01JA2B3C4D5E6F7G8H9J0KMNPQ",
    )
    web.cookies.clear()
    await signed_in(web, session_key.key)
    response = await web.get("/dashboard/webhooks")
    assert response.status_code == 403
    assert "restricted to one session cannot manage webhooks" in response.text
