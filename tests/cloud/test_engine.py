"""The cloud engine against the fake Graph API: linking, what each message type sends,
Graph errors mapped, the 24-hour window, test-mode keys kept out."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.cloud import credentials
from gateway.config import Settings
from gateway.engines.host import EngineHost
from gateway.fakes.graph import FakeNumber
from gateway.models import CloudNumber, Message
from tests.cloud.sessions import cloud_config, create_cloud_session, open_window
from tests.factories import TestAccount, create_account, create_api_key, session_in_status
from tests.fakes.graph import GraphHandle, serving_graph
from tests.waiting import eventually

pytestmark = pytest.mark.usefixtures("engine_host")

CUSTOMER = "12025550123"


@pytest.fixture
async def graph() -> AsyncIterator[GraphHandle]:
    # No automatic statuses: these tests look at what the engine sends.
    async with serving_graph(status_delays=None, template_review_seconds=None) as handle:
        yield handle


@pytest.fixture
async def live(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker, mode=KeyMode.live)


async def _talking(
    client: httpx.AsyncClient,
    graph: GraphHandle,
    live: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> tuple[FakeNumber, dict[str, Any]]:
    """A WORKING cloud session whose customer wrote a moment ago (the window is open)."""
    number = graph.fake.add_number()
    session = await create_cloud_session(client, live, graph.base_url, number)
    await open_window(sessionmaker, session["id"], CUSTOMER)
    return number, session


async def _put_back(sessionmaker: async_sessionmaker[AsyncSession], message_id: str) -> Message:
    """The message's row once a failed attempt has put it back in the queue."""

    async def row() -> Message | None:
        async with sessionmaker() as db:
            return await db.get(Message, message_id)

    found = await eventually(
        row, lambda m: m is not None and m.attempts >= 1 and m.status == "queued", within=10
    )
    assert found is not None
    return found


async def _send(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, **body: Any
) -> httpx.Response:
    body.setdefault("chat_id", f"+{CUSTOMER}")
    return await client.post(
        f"/v1/sessions/{session_id}/messages", headers=account.headers, json=body
    )


async def _message_in(
    client: httpx.AsyncClient,
    account: TestAccount,
    message_id: str,
    *statuses: str,
    within: float = 10,
) -> dict[str, Any]:
    async def fetch() -> dict[str, Any]:
        response = await client.get(f"/v1/messages/{message_id}", headers=account.headers)
        body: dict[str, Any] = response.json()
        return body

    return await eventually(fetch, lambda m: m["status"] in statuses, within=within)


async def test_a_cloud_session_links_with_its_number_and_never_shows_its_secrets(
    client: httpx.AsyncClient, graph: GraphHandle, live: TestAccount
) -> None:
    number = graph.fake.add_number(display_phone_number="+1 555-010-4242", verified_name="Acme")
    session = await create_cloud_session(client, live, graph.base_url, number)

    assert session["me"]["phone_number"] == "+15550104242"
    assert session["me"]["verified_name"] == "Acme"
    assert session["me"]["quality_rating"] == "GREEN"
    cloud = session["config"]["cloud"]
    assert cloud["phone_number_id"] == number.phone_number_id
    assert cloud["access_token_hint"].endswith(number.access_token[-4:])
    assert "send_template" in session["capabilities"]
    assert "qr" not in session["capabilities"]
    listed = await client.get("/v1/sessions", headers=live.headers)
    for text in (listed.text, str(session)):
        for secret in (number.access_token, number.app_secret, number.verify_token):
            assert secret not in text

    qr = await client.get(f"/v1/sessions/{session['id']}/qr", headers=live.headers)
    assert qr.status_code == 501
    assert qr.json()["error"]["code"] == "engine_unsupported"
    pairing = await client.post(
        f"/v1/sessions/{session['id']}/pairing-code",
        headers=live.headers, json={"phone_number": "+12025550123"},
    )  # fmt: skip
    assert pairing.status_code == 501


async def test_a_bad_token_fails_the_session_with_a_readable_reason(
    client: httpx.AsyncClient, graph: GraphHandle, live: TestAccount
) -> None:
    number = graph.fake.add_number()
    session = await create_cloud_session(
        client, live, graph.base_url, number, status="FAILED", access_token="EAAGnot-the-token"
    )
    assert session["status_reason"].startswith("access_token_invalid: Graph error 190")
    assert "EAAGnot-the-token" not in str(session)


async def test_config_errors_name_the_field(
    client: httpx.AsyncClient, graph: GraphHandle, live: TestAccount
) -> None:
    number = graph.fake.add_number()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"engine": "cloud", "config": {}}, "config.cloud"),
        (
            {"engine": "cloud",
             "config": {"cloud": cloud_config(graph.base_url, number, access_token=None)}},
            "config.cloud.access_token",
        ),
        (
            {"engine": "cloud",
             "config": {"cloud": cloud_config(graph.base_url, number, phone_number_id="x1")}},
            "config.cloud.phone_number_id",
        ),
        (
            {"engine": "cloud",
             "config": {"cloud": cloud_config("ftp://example.com", number)}},
            "config.cloud.graph_base_url",
        ),
        ({"engine": "sandbox", "config": {"cloud": cloud_config(graph.base_url, number)}},
         "config.cloud"),
    ]  # fmt: skip
    for n, (body, param) in enumerate(cases):
        response = await client.post(
            "/v1/sessions", headers=live.headers, json={"name": f"bad{n}", **body}
        )
        assert response.status_code in (400, 422), response.text
        assert response.json()["error"]["param"] == param, response.text


async def test_test_mode_keys_cannot_create_or_use_cloud_sessions(
    client: httpx.AsyncClient,
    graph: GraphHandle,
    live: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    number = graph.fake.add_number()
    test_key = await create_api_key(sessionmaker, live.id, mode=KeyMode.test)
    created = await client.post(
        "/v1/sessions", headers=test_key.headers,
        json={"name": "c", "engine": "cloud",
              "config": {"cloud": cloud_config(graph.base_url, number)}},
    )  # fmt: skip
    assert created.status_code == 403
    assert created.json()["error"]["code"] == "livemode_required"

    session = await create_cloud_session(client, live, graph.base_url, number)
    for response in (
        await client.get(f"/v1/sessions/{session['id']}", headers=test_key.headers),
        await _send(client, test_key, session["id"], type="template",
                    template={"name": "hello_world", "language": "en_US"}),
    ):  # fmt: skip
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "livemode_required"


async def test_engines_are_listed_with_their_capabilities(
    client: httpx.AsyncClient, live: TestAccount
) -> None:
    response = await client.get("/v1/engines", headers=live.headers)
    assert response.status_code == 200
    engines = {e["name"]: e for e in response.json()["data"]}
    assert set(engines) >= {"sandbox", "cloud"}
    assert engines["cloud"]["livemode"] is True
    assert "send_poll" not in engines["cloud"]["capabilities"]
    assert "send_template" not in engines["sandbox"]["capabilities"]


async def test_a_free_form_message_outside_the_window_is_refused_at_the_api(
    client: httpx.AsyncClient,
    graph: GraphHandle,
    live: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    number = graph.fake.add_number()
    session = await create_cloud_session(client, live, graph.base_url, number)
    never = await _send(client, live, session["id"], type="text", text="hi")
    assert never.status_code == 422
    assert never.json()["error"]["code"] == "outside_customer_service_window"
    assert never.json()["error"]["param"] == "type"

    await open_window(sessionmaker, session["id"], CUSTOMER, ago=timedelta(hours=25))
    stale = await _send(client, live, session["id"], type="text", text="hi")
    assert stale.status_code == 422

    template = await _send(
        client, live, session["id"], type="template",
        template={"name": "hello_world", "language": "en_US"},
    )  # fmt: skip
    assert template.status_code == 202, template.text

    await open_window(sessionmaker, session["id"], CUSTOMER)
    inside = await _send(client, live, session["id"], type="text", text="hi")
    assert inside.status_code == 202, inside.text
    sent = await _message_in(client, live, inside.json()["id"], "sent")
    body = graph.fake.sent[-1].body
    assert sent["engine_message_id"] == graph.fake.sent[-1].wamid
    assert body["to"] == CUSTOMER
    assert body["text"] == {"body": "hi", "preview_url": True}
    assert body["biz_opaque_callback_data"] == inside.json()["id"]


async def test_every_supported_type_goes_out_in_metas_shape(
    client: httpx.AsyncClient,
    graph: GraphHandle,
    live: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    _number, session = await _talking(client, graph, live, sessionmaker)
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 64).decode()
    upload = await client.post(
        "/v1/media", headers=live.headers,
        files={"file": ("pic.png", base64.b64decode(png), "image/png")},
    )  # fmt: skip
    assert upload.status_code == 201, upload.text
    media_id = upload.json()["id"]
    first = await _send(client, live, session["id"], type="text", text="first")
    first_sent = await _message_in(client, live, first.json()["id"], "sent")

    bodies: dict[str, dict[str, Any]] = {
        "image": {"type": "image", "media": {"media_id": media_id}, "caption": "look"},
        "image again": {"type": "image", "media": {"media_id": media_id}},
        "document": {"type": "document", "filename": "a.pdf",
                     "media": {"base64": base64.b64encode(b"%PDF-1.4 x").decode(),
                               "mime_type": "application/pdf"}},
        "location": {"type": "location", "latitude": 52.5, "longitude": 13.4, "name": "Here"},
        "contact": {"type": "contact",
                    "vcard": "BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nN:Lovelace;Ada;;;\n"
                             "TEL;type=CELL;waid=447700900123:+44 7700 900123\nEND:VCARD"},
        "reaction": {"type": "reaction", "message_id": first.json()["id"], "emoji": "👍"},
        "reply": {"type": "text", "text": "re", "reply_to": first.json()["id"],
                  "link_preview": False},
        "buttons": {"type": "interactive", "interactive": {
            "type": "button", "body": "Pick", "footer": "f",
            "buttons": [{"id": "y", "title": "Yes"}, {"id": "n", "title": "No"}]}},
        "list": {"type": "interactive", "interactive": {
            "type": "list", "body": "Menu", "button": "Open",
            "sections": [{"title": "S", "rows": [{"id": "r1", "title": "One"}]}]}},
        "cta": {"type": "interactive", "interactive": {
            "type": "cta_url", "body": "Visit", "display_text": "Go",
            "url": "https://example.com/x"}},
        "template": {"type": "template", "template": {"name": "hello_world",
                                                      "language": "en_US"}},
    }  # fmt: skip
    sent: dict[str, dict[str, Any]] = {}
    for label, body in bodies.items():
        response = await _send(client, live, session["id"], **body)
        assert response.status_code == 202, (label, response.text)
        message = await _message_in(client, live, response.json()["id"], "sent", "failed")
        assert message["status"] == "sent", (label, message)
        (graph_body,) = [s.body for s in graph.fake.sent if s.wamid == message["engine_message_id"]]
        sent[label] = graph_body

    assert sent["image"]["image"]["caption"] == "look"
    assert sent["image again"]["image"]["id"] == sent["image"]["image"]["id"]
    assert len(graph.fake.media) == 2  # the image once, the document once
    assert sent["document"]["document"]["filename"] == "a.pdf"
    assert sent["location"]["location"] == {"latitude": 52.5, "longitude": 13.4, "name": "Here"}
    (contact,) = sent["contact"]["contacts"]
    assert contact["name"]["formatted_name"] == "Ada Lovelace"
    assert contact["name"]["first_name"] == "Ada"
    assert contact["phones"] == [
        {"phone": "+44 7700 900123", "wa_id": "447700900123", "type": "CELL"}
    ]
    assert sent["reaction"]["reaction"] == {
        "message_id": first_sent["engine_message_id"],
        "emoji": "👍",
    }
    assert sent["reply"]["context"] == {"message_id": first_sent["engine_message_id"]}
    assert sent["reply"]["text"]["preview_url"] is False
    assert sent["buttons"]["interactive"]["action"]["buttons"][1] == {
        "type": "reply",
        "reply": {"id": "n", "title": "No"},
    }
    assert sent["list"]["interactive"]["action"]["sections"][0]["rows"] == [
        {"id": "r1", "title": "One"}
    ]
    assert sent["cta"]["interactive"]["action"] == {
        "name": "cta_url",
        "parameters": {"display_text": "Go", "url": "https://example.com/x"},
    }
    assert sent["template"]["template"] == {"name": "hello_world", "language": {"code": "en_US"}}


async def test_what_the_cloud_api_cannot_do_answers_501(
    client: httpx.AsyncClient,
    graph: GraphHandle,
    live: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    _number, session = await _talking(client, graph, live, sessionmaker)
    poll = await _send(client, live, session["id"], type="poll", question="?", options=["a", "b"])
    assert poll.status_code == 501
    assert "cloud" in poll.json()["error"]["message"]
    for path in ("contacts", "chats", "groups"):
        response = await client.get(f"/v1/sessions/{session['id']}/{path}", headers=live.headers)
        assert response.status_code == 501, (path, response.text)


@pytest.mark.parametrize(
    ("code", "our_code"),
    [
        (131047, "outside_customer_service_window"),
        (131026, "undeliverable"),
        (131051, "unsupported_message_type"),
        (100, "invalid_parameter"),
        (131008, "invalid_parameter"),
        (131009, "invalid_parameter"),
    ],
)
async def test_graph_errors_fail_the_message_with_our_code_and_metas(
    client: httpx.AsyncClient,
    graph: GraphHandle,
    live: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    code: int,
    our_code: str,
) -> None:
    number, session = await _talking(client, graph, live, sessionmaker)
    graph.fake.script_failure(CUSTOMER, code)
    response = await _send(client, live, session["id"], type="text", text="x")
    assert response.status_code == 202, response.text
    failed = await _message_in(client, live, response.json()["id"], "failed")
    assert failed["error"]["code"] == our_code
    assert failed["error"]["engine_code"] == str(code)
    assert failed["error"]["message"].startswith(f"Graph error {code}")
    assert number.access_token not in str(failed)


async def test_throughput_errors_are_retried_until_sent(
    client: httpx.AsyncClient,
    graph: GraphHandle,
    live: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    _number, session = await _talking(client, graph, live, sessionmaker)
    graph.fake.script_failure(CUSTOMER, 130429, times=2)  # the number's throughput
    response = await _send(client, live, session["id"], type="text", text="x")
    sent = await _message_in(client, live, response.json()["id"], "sent", within=20)
    assert sent["attempts"] == 3


async def test_an_expired_token_fails_the_session_and_the_message_waits(
    client: httpx.AsyncClient,
    graph: GraphHandle,
    live: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    _number, session = await _talking(client, graph, live, sessionmaker)
    graph.fake.script_failure(CUSTOMER, 190)
    response = await _send(client, live, session["id"], type="text", text="x")
    failed = await session_in_status(client, live, session["id"], "FAILED", within=10)
    assert failed["status_reason"].startswith("access_token_invalid")
    # The session's status commits first; the send's outcome (back in the queue) follows.
    message = await _message_in(client, live, response.json()["id"], "queued", "failed")
    assert message["status"] == "queued"


async def test_the_send_rate_is_shared_by_the_number(
    client: httpx.AsyncClient,
    graph: GraphHandle,
    live: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    engine_host: EngineHost,
) -> None:
    number: FakeNumber = graph.fake.add_number()
    session = await create_cloud_session(
        client, live, graph.base_url, number, messages_per_second=20
    )
    await open_window(sessionmaker, session["id"], CUSTOMER)
    ids = []
    for n in range(40):
        response = await _send(client, live, session["id"], type="text", text=f"n{n}")
        ids.append(response.json()["id"])
    await _message_in(client, live, ids[-1], "sent")
    times = sorted(s.at for s in graph.fake.sent if s.callback_data in ids)
    # A burst of one second's worth (20) at once, then 20 per second.
    assert times[-1] - times[0] >= 0.9


async def test_deleting_a_cloud_session_erases_its_credentials(
    client: httpx.AsyncClient,
    graph: GraphHandle,
    live: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    number = graph.fake.add_number()
    session = await create_cloud_session(client, live, graph.base_url, number)
    deleted = await client.delete(f"/v1/sessions/{session['id']}", headers=live.headers)
    assert deleted.status_code == 200
    async with sessionmaker() as db:
        assert await db.get(CloudNumber, session["id"]) is None


async def test_a_template_send_is_checked_against_the_wabas_templates(
    client: httpx.AsyncClient, graph: GraphHandle, live: TestAccount
) -> None:
    number = graph.fake.add_number()
    session = await create_cloud_session(client, live, graph.base_url, number)
    # Never listed: the send looks the template up at Meta first.
    extra = await _send(
        client, live, session["id"], type="template",
        template={"name": "hello_world", "language": "en_US", "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "surplus"}]}]},
    )  # fmt: skip
    assert extra.status_code == 422, extra.text
    assert extra.json()["error"]["code"] == "template_parameters_mismatch"
    assert extra.json()["error"]["param"].startswith("template.components[0]")
    unknown = await _send(
        client, live, session["id"], type="template",
        template={"name": "no_such_template", "language": "en_US"},
    )  # fmt: skip
    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "template_not_found"
    assert unknown.json()["error"]["param"] == "template.name"
    assert not graph.fake.sent  # nothing refused here reached Meta


@pytest.mark.parametrize(
    ("code", "our_code", "delay"),
    [
        (80007, "rate_limited", 60),  # the business account's limit: a minute
        (131056, "recipient_rate_limited", 10),  # this recipient: a while
        (1, "engine_unavailable", 5),  # Graph failed on its side (HTTP 500)
        (2, "engine_unavailable", 5),  # Graph temporarily unavailable (HTTP 503)
    ],
)
async def test_transient_graph_errors_put_the_message_back_with_backoff(
    client: httpx.AsyncClient,
    graph: GraphHandle,
    live: TestAccount,
    sessionmaker: async_sessionmaker[AsyncSession],
    code: int,
    our_code: str,
    delay: float,
) -> None:
    _number, session = await _talking(client, graph, live, sessionmaker)
    graph.fake.script_failure(CUSTOMER, code)
    response = await _send(client, live, session["id"], type="text", text="x")
    retried = await _put_back(sessionmaker, response.json()["id"])
    assert retried.attempts == 1
    assert retried.error_code == our_code
    assert retried.error_engine_code == str(code)
    assert retried.next_attempt_at is not None
    wait = (retried.next_attempt_at - retried.updated_at).total_seconds()
    assert delay - 1 <= wait <= delay + 1


async def test_graph_out_of_reach_puts_the_message_back(
    client: httpx.AsyncClient, live: TestAccount, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with serving_graph(status_delays=None) as gone:
        number, session = await _talking(client, gone, live, sessionmaker)
    # The fake has stopped: connections are refused, as for a timeout or an outage.
    response = await _send(client, live, session["id"], type="text", text="x")
    retried = await _put_back(sessionmaker, response.json()["id"])
    assert retried.error_code == "engine_unavailable"
    assert retried.error_engine_code is None
    assert number.access_token not in (retried.error_message or "")


async def test_a_config_read_from_the_api_can_be_sent_back_changed(
    client: httpx.AsyncClient,
    graph: GraphHandle,
    live: TestAccount,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    number = graph.fake.add_number()
    session = await create_cloud_session(client, live, graph.base_url, number)
    config = session["config"]
    config["cloud"]["messages_per_second"] = 200
    updated = await client.patch(
        f"/v1/sessions/{session['id']}", headers=live.headers, json={"config": config}
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["config"]["cloud"]["messages_per_second"] == 200
    assert (
        updated.json()["config"]["cloud"]["access_token_hint"]
        == (session["config"]["cloud"]["access_token_hint"])
    )
    async with sessionmaker() as db:
        stored = await db.get(CloudNumber, session["id"])
    assert stored is not None
    kept = credentials.unseal(settings.secret, stored.credentials)
    assert (kept.access_token, kept.app_secret, kept.verify_token) == (
        number.access_token,
        number.app_secret,
        number.verify_token,
    )
