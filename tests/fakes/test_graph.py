"""The fake Graph API over real HTTP: answers, errors, media, templates and signed webhooks."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.fakes.graph import HANGS, FakeGraph, FakeNumber, magic_number
from tests.fakes.graph import GraphHandle, serving_graph
from tests.local_http import Recorded, Reply, serving
from tests.waiting import eventually

FAST = {"status_delays": (0.01, 0.01, 0.01), "template_review_seconds": 0.05}


@pytest.fixture
async def graph() -> AsyncIterator[GraphHandle]:
    async with serving_graph(**FAST) as handle:
        yield handle


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def text(to: str, body: str = "hi", **extra: Any) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "to": to,
        "type": "text",
        "text": {"body": body},
        **extra,
    }


async def send(
    http: httpx.AsyncClient, graph: GraphHandle, number: FakeNumber, body: dict[str, Any]
) -> httpx.Response:
    url = graph.url(f"{number.phone_number_id}/messages")
    return await http.post(url, json=body, headers=graph.auth(number))


def signed_by(request: Recorded, secret: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.headers["x-hub-signature-256"], expected)


async def test_phone_number_fields(graph: GraphHandle, http: httpx.AsyncClient) -> None:
    number = graph.fake.add_number(verified_name="Hooli", display_phone_number="15550001111")
    answer = await http.get(graph.url(number.phone_number_id), headers=graph.auth(number))
    assert answer.json() == {
        "verified_name": "Hooli",
        "code_verification_status": "VERIFIED",
        "display_phone_number": "15550001111",
        "quality_rating": "GREEN",
        "platform_type": "CLOUD_API",
        "throughput": {"level": "STANDARD"},
        "id": number.phone_number_id,
    }
    some = await http.get(
        graph.url(number.phone_number_id, version="v19.0"),
        params={"fields": "verified_name,quality_rating"},
        headers=graph.auth(number),
    )
    assert some.json() == {
        "verified_name": "Hooli",
        "quality_rating": "GREEN",
        "id": number.phone_number_id,
    }


async def test_tokens_are_checked_like_graph(graph: GraphHandle, http: httpx.AsyncClient) -> None:
    number, other = graph.fake.add_number(), graph.fake.add_number()
    for headers in ({}, {"Authorization": "Bearer nope"}):
        answer = await http.get(graph.url(number.phone_number_id), headers=headers)
        assert answer.status_code == 401
        error = answer.json()["error"]
        assert error["code"] == 190
        assert error["type"] == "OAuthException"
        assert error["message"] == "Invalid OAuth access token - Cannot parse access token"
        assert error["fbtrace_id"]
    answer = await http.post(
        graph.url(f"{number.phone_number_id}/messages"), json=text("1"), headers=graph.auth(other)
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (error["code"], error["error_subcode"]) == (100, 33)
    assert error["message"].startswith(
        f"Unsupported post request. Object with ID '{number.phone_number_id}'"
    )
    bad_version = await http.get(
        f"{graph.base_url}/latest/{number.phone_number_id}", headers=graph.auth(number)
    )
    assert bad_version.status_code == 400


async def test_text_send_answers_like_meta_and_is_recorded(
    graph: GraphHandle, http: httpx.AsyncClient
) -> None:
    number = graph.fake.add_number()
    answer = await send(
        http, graph, number, text("+1 (555) 123-4567", biz_opaque_callback_data="msg_1")
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["messaging_product"] == "whatsapp"
    assert body["contacts"] == [{"input": "+1 (555) 123-4567", "wa_id": "15551234567"}]
    [message] = body["messages"]
    assert message["id"].startswith("wamid.")
    assert "message_status" not in message  # only template sends carry it
    await send(http, graph, number, text("15551234567", biz_opaque_callback_data="msg_1"))
    assert graph.fake.count_by_callback("msg_1") == 2
    assert graph.fake.sent[0].body["text"] == {"body": "hi"}
    assert graph.fake.sent[0].wamid != graph.fake.sent[1].wamid


async def test_media_upload_send_and_download(graph: GraphHandle, http: httpx.AsyncClient) -> None:
    number = graph.fake.add_number()
    auth = graph.auth(number)
    uploaded = await http.post(
        graph.url(f"{number.phone_number_id}/media"),
        data={"messaging_product": "whatsapp", "type": "image/png"},
        files={"file": ("dot.png", b"\x89PNG-bytes", "image/png")},
        headers=auth,
    )
    media_id = uploaded.json()["id"]
    assert media_id.isdigit()
    image = {"messaging_product": "whatsapp", "to": "15551234567", "type": "image"}
    sent = await send(http, graph, number, {**image, "image": {"id": media_id, "caption": "a dot"}})
    assert sent.status_code == 200
    info = (await http.get(graph.url(media_id), headers=auth)).json()
    assert info["messaging_product"] == "whatsapp"
    assert info["mime_type"] == "image/png"
    assert info["sha256"] == hashlib.sha256(b"\x89PNG-bytes").hexdigest()
    assert (info["file_size"], info["id"]) == (10, media_id)
    assert (await http.get(info["url"])).status_code == 401  # the URL needs the token too
    download = await http.get(info["url"], headers=auth)
    assert download.content == b"\x89PNG-bytes"
    assert download.headers["content-type"] == "image/png"
    assert (await http.delete(graph.url(media_id), headers=auth)).json() == {"success": True}
    gone = await send(http, graph, number, {**image, "image": {"id": media_id}})
    assert gone.json()["error"]["code"] == 100


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"type": "text", "text": {}}, "Param text['body'] is required"),
        ({"type": "text"}, "Param text is required"),
        ({"type": "image", "image": {}}, "Param image must contain exactly one of id or link"),
        (
            {"type": "image", "image": {"id": "1", "link": "https://x/y"}},
            "exactly one of id or link",
        ),
        (
            {"type": "video", "video": {"link": "not a url"}},
            "Param video['link'] is not a valid URI",
        ),
        ({"type": "audio", "audio": {"id": "123"}}, "Param audio['id'] is not a valid whatsapp"),
        (
            {"type": "location", "location": {"latitude": 1}},
            "Param location['longitude'] is required",
        ),
        (
            {"type": "reaction", "reaction": {"message_id": "wamid.x"}},
            "Param reaction['emoji'] is required",
        ),
        (
            {"type": "interactive", "interactive": {"type": "carousel"}},
            "Param interactive['type'] must be one of",
        ),
        (
            {
                "type": "interactive",
                "interactive": {"type": "button", "body": {"text": "?"}, "action": {"buttons": []}},
            },
            "Param interactive['action']['buttons'] must have 1 to 3 items",
        ),
        (
            {"type": "template", "template": {"name": "x", "language": {}}},
            "Param template['language']['code'] is required",
        ),
        ({"type": "poll", "poll": {}}, "Param type must be one of"),
        (
            {"messaging_product": "sms", "text": {"body": "x"}},
            "Param messaging_product must be 'whatsapp'",
        ),
        ({"to": "", "text": {"body": "x"}}, "Param to is required"),
    ],
)
async def test_parameter_errors_name_the_field(
    graph: GraphHandle, http: httpx.AsyncClient, body: dict[str, Any], details: str
) -> None:
    number = graph.fake.add_number()
    answer = await send(
        http, graph, number, {"messaging_product": "whatsapp", "to": "15551234567", **body}
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (error["code"], error["message"]) == (100, "(#100) Invalid parameter")
    assert details in error["error_data"]["details"]
    assert error["error_data"]["messaging_product"] == "whatsapp"
    assert graph.fake.sent == []


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (130429, 400),
        (80007, 400),
        (131056, 400),
        (131047, 400),
        (131026, 400),
        (131051, 400),
        (131008, 400),
        (131009, 400),
        (100, 400),
        (190, 401),
        (1, 500),
        (2, 503),
    ],
)
async def test_magic_numbers_answer_their_error(
    graph: GraphHandle, http: httpx.AsyncClient, code: int, status: int
) -> None:
    number = graph.fake.add_number()
    answer = await send(http, graph, number, text(magic_number(code)))
    assert answer.status_code == status
    error = answer.json()["error"]
    assert error["code"] == code
    assert error["error_data"]["details"]
    assert error["fbtrace_id"]
    assert graph.fake.sent == []


async def test_async_magic_number_accepts_then_reports_failed(
    graph: GraphHandle, http: httpx.AsyncClient
) -> None:
    number = graph.fake.add_number()
    answer = await send(
        http,
        graph,
        number,
        text(magic_number(131047, asynchronous=True), biz_opaque_callback_data="m2"),
    )
    assert answer.status_code == 200
    [notification] = await eventually(
        lambda: _async(graph.fake.notifications), lambda n: len(n) == 1
    )
    [status] = notification.payload["entry"][0]["changes"][0]["value"]["statuses"]
    assert status["status"] == "failed"
    assert status["biz_opaque_callback_data"] == "m2"
    [error] = status["errors"]
    assert error["code"] == 131047
    assert error["title"] == "Re-engagement message"
    assert "24 hours" in error["error_data"]["details"]
    assert graph.fake.sent[0].status == "failed"


async def test_hanging_number_never_answers(graph: GraphHandle) -> None:
    number = graph.fake.add_number()
    async with httpx.AsyncClient(timeout=0.3) as impatient:
        with pytest.raises(httpx.ReadTimeout):
            await send(impatient, graph, number, text(HANGS))


async def test_scripted_failures_then_success(graph: GraphHandle, http: httpx.AsyncClient) -> None:
    number = graph.fake.add_number()
    scripted = await http.post(
        f"{graph.base_url}/_fake/failures", json={"to": "15557654321", "code": 130429, "times": 3}
    )
    assert scripted.status_code == 200
    codes = [(await send(http, graph, number, text("15557654321"))).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 200]
    assert len(graph.fake.sent) == 1


async def test_statuses_arrive_signed_in_order(graph: GraphHandle, http: httpx.AsyncClient) -> None:
    with serving({"/hook": Reply(200)}) as receiver:
        number = graph.fake.add_number(webhook_url=receiver.url("/hook"))
        answer = await send(
            http, graph, number, text("15551234567", biz_opaque_callback_data="msg_9")
        )
        wamid = answer.json()["messages"][0]["id"]
        requests = await eventually(lambda: _async(receiver.requests), lambda r: len(r) == 3)
    statuses = []
    for request in requests:
        assert signed_by(request, number.app_secret)
        payload = json.loads(request.body)
        assert payload["object"] == "whatsapp_business_account"
        [entry] = payload["entry"]
        assert entry["id"] == number.waba_id
        [change] = entry["changes"]
        assert change["field"] == "messages"
        assert change["value"]["metadata"] == {
            "display_phone_number": number.display_phone_number,
            "phone_number_id": number.phone_number_id,
        }
        statuses += change["value"]["statuses"]
    assert [s["status"] for s in statuses] == ["sent", "delivered", "read"]
    for status in statuses:
        assert (status["id"], status["recipient_id"]) == (wamid, "15551234567")
        assert status["biz_opaque_callback_data"] == "msg_9"
        assert status["timestamp"].isdigit()
    assert statuses[0]["pricing"]["category"] == "service"
    assert "expiration_timestamp" in statuses[0]["conversation"]
    assert "pricing" in statuses[1]
    assert "pricing" not in statuses[2]
    assert all(n.delivered for n in graph.fake.notifications)


async def test_wrong_secret_and_retries(graph: GraphHandle, http: httpx.AsyncClient) -> None:
    replies = [Reply(500), Reply(200)]
    with serving({"/hook": lambda _: replies.pop(0) if replies else Reply(200)}) as receiver:
        number = graph.fake.add_number(webhook_url=receiver.url("/hook"))
        graph.fake.sign_with = "not-the-app-secret"
        await http.post(
            f"{graph.base_url}/_fake/inbound",
            json={
                "phone_number_id": number.phone_number_id,
                "from": "15551234567",
                "message": {"type": "text", "text": {"body": "yo"}},
            },
        )
        requests = await eventually(lambda: _async(receiver.requests), lambda r: len(r) == 2)
    assert not signed_by(requests[1], number.app_secret)
    assert requests[0].body == requests[1].body  # a retry sends the same bytes
    assert graph.fake.notifications[0].attempts == [500, 200]


async def test_inbound_messages_notify_like_meta(
    graph: GraphHandle, http: httpx.AsyncClient
) -> None:
    number = graph.fake.add_number()
    inbound = f"{graph.base_url}/_fake/inbound"
    picture = {
        "mime_type": "image/jpeg",
        "data_base64": base64.b64encode(b"jpeg!").decode(),
        "caption": "look",
    }
    first = await http.post(
        inbound,
        json={
            "phone_number_id": number.phone_number_id,
            "from": "15551234567",
            "name": "Ann",
            "message": {"type": "text", "text": {"body": "hello"}},
        },
    )
    second = await http.post(
        inbound,
        json={
            "phone_number_id": number.phone_number_id,
            "from": "15551234567",
            "name": "Ann",
            "message": {"type": "image", "media": picture},
        },
    )
    third = await http.post(
        inbound,
        json={
            "phone_number_id": number.phone_number_id,
            "from": "15551234567",
            "message": {
                "type": "interactive",
                "interactive": {
                    "type": "button_reply",
                    "button_reply": {"id": "yes", "title": "Yes"},
                },
            },
            "context": {"from": number.display_phone_number, "id": "wamid.earlier"},
        },
    )
    wamids = [r.json()["id"] for r in (first, second, third)]
    notes = await eventually(lambda: _async(graph.fake.notifications), lambda n: len(n) == 3)
    values = sorted(
        (n.payload["entry"][0]["changes"][0]["value"] for n in notes),
        key=lambda v: wamids.index(v["messages"][0]["id"]),
    )
    assert values[0]["contacts"] == [{"profile": {"name": "Ann"}, "wa_id": "15551234567"}]
    text_message = values[0]["messages"][0]
    assert text_message["from"] == "15551234567"
    assert (text_message["type"], text_message["text"]) == ("text", {"body": "hello"})
    assert text_message["timestamp"].isdigit()
    image = values[1]["messages"][0]["image"]
    assert image["caption"] == "look"
    assert image["sha256"] == base64.b64encode(hashlib.sha256(b"jpeg!").digest()).decode()
    media = (await http.get(graph.url(image["id"]), headers=graph.auth(number))).json()
    assert (await http.get(media["url"], headers=graph.auth(number))).content == b"jpeg!"
    reply = values[2]["messages"][0]
    assert reply["interactive"]["button_reply"] == {"id": "yes", "title": "Yes"}
    assert reply["context"]["id"] == "wamid.earlier"
    bad = await http.post(
        inbound,
        json={"phone_number_id": number.phone_number_id, "from": "1", "message": {"type": "poll"}},
    )
    assert bad.status_code == 400


async def test_templates_review_list_and_send(graph: GraphHandle, http: httpx.AsyncClient) -> None:
    number = graph.fake.add_number()
    auth = graph.auth(number)
    templates = graph.url(f"{number.waba_id}/message_templates")
    definition = {
        "name": "order_ready",
        "language": "en_US",
        "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Hi {{1}}, order {{2}} is ready."}],
    }
    created = (await http.post(templates, json=definition, headers=auth)).json()
    assert created == {"id": created["id"], "status": "PENDING", "category": "UTILITY"}
    duplicate = (await http.post(templates, json=definition, headers=auth)).json()["error"]
    assert (duplicate["code"], duplicate["error_subcode"]) == (100, 2388024)
    assert duplicate["error_user_title"] == "Content in this language already exists"
    [note] = await eventually(lambda: _async(graph.fake.notifications), lambda n: len(n) == 1)
    change = note.payload["entry"][0]["changes"][0]
    assert change["field"] == "message_template_status_update"
    assert change["value"]["event"] == "APPROVED"
    assert change["value"]["message_template_id"] == int(created["id"])
    assert change["value"]["message_template_name"] == "order_ready"

    page = (await http.get(templates, params={"limit": 1}, headers=auth)).json()
    assert len(page["data"]) == 1
    assert "next" in page["paging"]
    rest = (await http.get(page["paging"]["next"], headers=auth)).json()
    assert [t["name"] for t in page["data"] + rest["data"]] == ["hello_world", "order_ready"]
    assert rest["data"][0]["status"] == "APPROVED"
    assert "next" not in rest["paging"]

    def template(name: str, *values: str) -> dict[str, Any]:
        parameters = [{"type": "text", "text": v} for v in values]
        body = {
            "name": name,
            "language": {"code": "en_US"},
            "components": [{"type": "body", "parameters": parameters}],
        }
        return {
            "messaging_product": "whatsapp",
            "to": "15551234567",
            "type": "template",
            "template": body,
        }

    mismatch = (await send(http, graph, number, template("order_ready", "Ann"))).json()["error"]
    assert mismatch["code"] == 132000
    assert (
        "Number of parameters does not match the expected number of params" in mismatch["message"]
    )
    assert (
        "(1) does not match the expected number of params (2)" in mismatch["error_data"]["details"]
    )
    unknown = await send(http, graph, number, template("nope"))
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, 132001)
    ok = (await send(http, graph, number, template("order_ready", "Ann", "42"))).json()
    assert ok["messages"][0]["message_status"] == "accepted"
    deleted = await http.delete(templates, params={"name": "order_ready"}, headers=auth)
    assert deleted.json() == {"success": True}


async def test_template_decided_by_control_route(http: httpx.AsyncClient) -> None:
    async with serving_graph(template_review_seconds=None, status_delays=None) as graph:
        number = graph.fake.add_number()
        definition = {
            "name": "promo",
            "language": "de",
            "category": "MARKETING",
            "components": [{"type": "BODY", "text": "Sale"}],
        }
        created = (
            await http.post(
                graph.url(f"{number.waba_id}/message_templates"),
                json=definition,
                headers=graph.auth(number),
            )
        ).json()
        await asyncio.sleep(0.05)
        assert graph.fake.templates[created["id"]].status == "PENDING"
        decided = await http.post(
            f"{graph.base_url}/_fake/templates/{created['id']}/status",
            json={"event": "REJECTED", "reason": "PROMOTIONAL"},
        )
        assert decided.json()["status"] == "REJECTED"
        [note] = graph.fake.notifications
        assert note.payload["entry"][0]["changes"][0]["value"]["reason"] == "PROMOTIONAL"


async def test_mark_as_read(graph: GraphHandle, http: httpx.AsyncClient) -> None:
    number = graph.fake.add_number()
    body = {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": "wamid.abc",
        "typing_indicator": {"type": "text"},
    }
    assert (await send(http, graph, number, body)).json() == {"success": True}
    [receipt] = graph.fake.reads
    assert (receipt.message_id, receipt.typing_indicator) == ("wamid.abc", True)


async def test_verify_handshake(graph: GraphHandle, http: httpx.AsyncClient) -> None:
    number = graph.fake.add_number(verify_token="let-me-in")

    def hub(request: Recorded) -> Reply:
        query = parse_qs(urlsplit(request.path).query)
        if query["hub.mode"] == ["subscribe"] and query["hub.verify_token"] == ["let-me-in"]:
            return Reply(200, query["hub.challenge"][0].encode())
        return Reply(403)

    with serving({"/hook": hub, "/wrong": Reply(200, b"nope")}) as receiver:
        verify = f"{graph.base_url}/_fake/verify"
        graph.fake.set_webhook(number, receiver.url("/hook"))
        assert (await http.post(verify, json={"phone_number_id": number.phone_number_id})).json()[
            "success"
        ] is True
        graph.fake.set_webhook(number, receiver.url("/wrong"))
        assert (await http.post(verify, json={"phone_number_id": number.phone_number_id})).json()[
            "success"
        ] is False


async def test_notify_client_is_injectable(http: httpx.AsyncClient) -> None:
    received: list[bytes] = []

    async def hook(request: Request) -> Response:
        received.append(await request.body())
        return Response(status_code=200)

    receiver = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    transport = httpx.ASGITransport(app=receiver)
    client = httpx.AsyncClient(transport=transport, base_url="http://receiver")
    async with (
        client,
        serving_graph(FakeGraph(notify_client=client, status_delays=(0, 0, 0))) as graph,
    ):
        number = graph.fake.add_number(webhook_url="http://receiver/hook")
        await send(http, graph, number, text("15551234567"))
        await eventually(lambda: _async(received), lambda r: len(r) == 3)


async def _async(value: Any) -> Any:
    return value
