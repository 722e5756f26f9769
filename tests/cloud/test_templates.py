"""Templates of cloud sessions: synced from Meta (the fake Graph API), created for review,
approved through Meta's status notification, deleted; Meta's failures in our envelope;
and template sends checked against the stored templates."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.keys import KeyMode
from gateway.cloud.templates import sync
from gateway.cloud.templates.status import apply_template_status
from gateway.cloud.templates.validation import check_template_send
from gateway.config import Settings
from gateway.fakes.graph import FakeNumber
from gateway.kit.errors import GatewayError
from gateway.messages.cloud_types import TemplateMessage
from gateway.models import Session
from tests.cloud.template_factories import add_template, create_cloud_session, fake_number
from tests.factories import (
    TestAccount,
    create_account,
    create_api_key,
    create_session,
    held_in_transaction,
)
from tests.fakes.graph import GraphHandle, serving_graph
from tests.local_http import HeldReceiver, Reply, serving

ORDER_SHIPPED: dict[str, Any] = {
    "name": "order_shipped",
    "language": "en_US",
    "category": "UTILITY",
    "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}",
         "example": {"header_text": ["1042"]}},
        {"type": "BODY", "text": "Hi {{1}}, your order ships on {{2}}.",
         "example": {"body_text": [["Ada", "Monday"]]}},
        {"type": "BUTTONS", "buttons": [
            {"type": "URL", "text": "Track", "url": "https://shop.example/t/{{1}}",
             "example": ["https://shop.example/t/1042"]},
            {"type": "QUICK_REPLY", "text": "Stop"},
        ]},
    ],
}  # fmt: skip


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker, mode=KeyMode.live)


@pytest.fixture
async def graph() -> AsyncIterator[GraphHandle]:
    # Reviews are decided by the tests, not after a delay.
    async with serving_graph(template_review_seconds=None) as handle:
        yield handle


@pytest.fixture
def number(graph: GraphHandle) -> FakeNumber:
    return graph.fake.add_number()


@pytest.fixture
async def session_id(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    account: TestAccount,
    graph: GraphHandle,
    number: FakeNumber,
) -> str:
    return await create_cloud_session(sessionmaker, settings, account.id, graph.base_url, number)


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


def templates_url(session_id: str, suffix: str = "") -> str:
    return f"/v1/sessions/{session_id}/templates{suffix}"


def add_at_meta(
    graph: GraphHandle, number: FakeNumber, name: str, status: str = "APPROVED"
) -> None:
    components = [{"type": "BODY", "text": f"Hello from {name}, {{{{1}}}}!"}]
    template = graph.fake.state.add_template(number.waba_id, name, "en_US", "MARKETING", components)
    template.status = status


# Listing and syncing.


async def test_the_first_list_syncs_from_meta_and_later_ones_read_the_table(
    client: httpx.AsyncClient, account: TestAccount, graph: GraphHandle, number: FakeNumber,
    session_id: str,
) -> None:  # fmt: skip
    response = await client.get(templates_url(session_id), headers=account.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["object"] == "list"
    assert body["has_more"] is False
    [hello] = body["data"]
    assert hello["object"] == "template"
    assert hello["id"].startswith("tpl_")
    assert (hello["name"], hello["language"], hello["status"]) == (
        "hello_world",
        "en_US",
        "APPROVED",
    )
    assert hello["session_id"] == session_id
    assert hello["components"][1]["type"] == "BODY"
    assert hello["parameters"]["body"] == {"count": 0, "names": []}

    add_at_meta(graph, number, "spring_sale")
    again = (await client.get(templates_url(session_id), headers=account.headers)).json()
    assert [t["name"] for t in again["data"]] == ["hello_world"]  # not synced again

    refreshed = await client.get(
        templates_url(session_id, "?refresh=true"), headers=account.headers
    )
    names = [t["name"] for t in refreshed.json()["data"]]
    assert sorted(names) == ["hello_world", "spring_sale"]
    assert (
        next(t for t in refreshed.json()["data"] if t["name"] == "hello_world")["id"] == hello["id"]
    )


async def test_a_refresh_drops_templates_meta_no_longer_has_and_updates_the_others(
    client: httpx.AsyncClient, account: TestAccount, graph: GraphHandle, number: FakeNumber,
    session_id: str,
) -> None:  # fmt: skip
    add_at_meta(graph, number, "spring_sale", status="PENDING")
    await client.get(templates_url(session_id), headers=account.headers)
    sale = next(t for t in graph.fake.templates.values() if t.name == "spring_sale")
    sale.status = "REJECTED"
    hello = next(t for t in graph.fake.templates.values() if t.name == "hello_world")
    del graph.fake.templates[hello.id]

    body = (
        await client.get(templates_url(session_id, "?refresh=true"), headers=account.headers)
    ).json()
    assert [(t["name"], t["status"]) for t in body["data"]] == [("spring_sale", "REJECTED")]


async def test_a_sync_follows_graphs_paging_cursors(
    client: httpx.AsyncClient, account: TestAccount, graph: GraphHandle, number: FakeNumber,
    session_id: str, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(sync, "PAGE_SIZE", 2)
    for index in range(4):
        add_at_meta(graph, number, f"offer_{index}")
    body = (
        await client.get(templates_url(session_id, "?limit=100"), headers=account.headers)
    ).json()
    assert len(body["data"]) == 5  # hello_world and four offers, over three Graph pages


async def test_lists_page_newest_first_with_cursors_and_filter_by_status_and_name(
    client: httpx.AsyncClient, account: TestAccount, graph: GraphHandle, number: FakeNumber,
    session_id: str,
) -> None:  # fmt: skip
    for index in range(3):
        add_at_meta(graph, number, f"offer_{index}", status="PENDING" if index == 1 else "APPROVED")
    everything = (
        await client.get(templates_url(session_id, "?limit=100"), headers=account.headers)
    ).json()["data"]
    ids = [t["id"] for t in everything]
    assert ids == sorted(ids, reverse=True)
    assert len(ids) == 4

    first = (
        await client.get(templates_url(session_id, "?limit=3"), headers=account.headers)
    ).json()
    assert [t["id"] for t in first["data"]] == ids[:3]
    assert first["has_more"] is True
    second = await client.get(
        templates_url(session_id, f"?limit=3&starting_after={ids[2]}"), headers=account.headers
    )
    assert [t["id"] for t in second.json()["data"]] == ids[3:]
    assert second.json()["has_more"] is False
    back = await client.get(
        templates_url(session_id, f"?limit=2&ending_before={ids[3]}"), headers=account.headers
    )
    assert [t["id"] for t in back.json()["data"]] == ids[1:3]

    pending = (
        await client.get(templates_url(session_id, "?status=PENDING"), headers=account.headers)
    ).json()
    assert [t["name"] for t in pending["data"]] == ["offer_1"]
    named = (
        await client.get(templates_url(session_id, "?name=offer_2"), headers=account.headers)
    ).json()
    assert [t["name"] for t in named["data"]] == ["offer_2"]
    error = error_of(
        await client.get(templates_url(session_id, "?status=MAYBE"), headers=account.headers), 422
    )
    assert error["param"] == "status"


async def test_retrieve_a_template_and_404_for_an_unknown_one(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    [hello] = (await client.get(templates_url(session_id), headers=account.headers)).json()["data"]
    one = await client.get(templates_url(session_id, f"/{hello['id']}"), headers=account.headers)
    assert one.status_code == 200
    assert one.json() == hello
    missing = await client.get(
        templates_url(session_id, "/tpl_01JA2B3C4D5E6F7G8H9J0KMNPQ"), headers=account.headers
    )
    assert error_of(missing, 404)["code"] == "resource_missing"


# Creating, Meta's review, deleting.


async def test_create_submits_to_meta_and_stores_it_pending_then_meta_approves_it(
    client: httpx.AsyncClient, account: TestAccount, graph: GraphHandle, number: FakeNumber,
    session_id: str, sessionmaker: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    response = await client.post(
        templates_url(session_id), headers=account.headers, json=ORDER_SHIPPED
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "PENDING"
    assert created["category"] == "UTILITY"
    assert created["parameters"] == {
        "format": "POSITIONAL",
        "header": {"format": "TEXT", "count": 1, "names": []},
        "body": {"count": 2, "names": []},
        "buttons": [
            {"index": 0, "sub_type": "url", "count": 1, "names": [], "required": True},
            {"index": 1, "sub_type": "quick_reply", "count": 1, "names": [], "required": False},
        ],
    }
    [at_meta] = [t for t in graph.fake.templates.values() if t.name == "order_shipped"]
    assert at_meta.components[1]["text"] == "Hi {{1}}, your order ships on {{2}}."
    assert created["engine_template_id"] == at_meta.id

    await graph.fake.decide_template(at_meta, "APPROVED")
    value = graph.fake.notifications[-1].payload["entry"][0]["changes"][0]["value"]
    async with sessionmaker() as db:
        session = await db.scalar(select(Session).where(Session.id == session_id))
        assert session is not None
        await apply_template_status(db, session, value)
        await apply_template_status(db, session, value)  # Meta repeats itself: one event
        await db.commit()

    now = await client.get(templates_url(session_id, f"/{created['id']}"), headers=account.headers)
    assert now.json()["status"] == "APPROVED"
    events = await client.get(
        "/v1/events", params={"type": "template.status"}, headers=account.headers
    )
    [event] = events.json()["data"]
    assert event["session"]["id"] == session_id
    assert event["livemode"] is True
    assert event["data"]["previous_status"] == "PENDING"
    assert event["data"]["template"]["id"] == created["id"]
    assert event["data"]["template"]["status"] == "APPROVED"


async def test_a_rejection_for_a_template_never_seen_stores_it_from_the_notification(
    client: httpx.AsyncClient, account: TestAccount, session_id: str,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    value = {
        "event": "REJECTED",
        "message_template_id": 594425479261596,
        "message_template_name": "made_elsewhere",
        "message_template_language": "pt_BR",
        "reason": "INVALID_FORMAT",
    }
    async with sessionmaker() as db:
        session = await db.get(Session, session_id)
        assert session is not None
        await apply_template_status(db, session, value)
        await db.commit()
    events = (
        await client.get("/v1/events", params={"type": "template.status"}, headers=account.headers)
    ).json()
    [event] = events["data"]
    assert event["data"]["previous_status"] is None
    assert event["data"]["reason"] == "INVALID_FORMAT"
    template = event["data"]["template"]
    assert (template["name"], template["language"], template["status"]) == (
        "made_elsewhere",
        "pt_BR",
        "REJECTED",
    )
    assert template["rejected_reason"] == "INVALID_FORMAT"
    assert template["engine_template_id"] == "594425479261596"


def with_components(*components: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {**ORDER_SHIPPED, "components": list(components), **fields}


BODY_IN = {
    "type": "BODY",
    "text": "Hi {{1}}, ships {{2}}.",
    "example": {"body_text": [["Ada", "Mon"]]},
}
DYNAMIC_URL = {"type": "URL", "text": "Go", "url": "https://x.example/{{1}}"}
REFUSED = [
    (with_components({"type": "FOOTER", "text": "bye"}), "components"),
    (with_components({**BODY_IN, "text": "Hi {{1}}, ships {{3}}."}), "components[0].text"),
    (with_components({**BODY_IN, "text": "{{1}}, ships {{2}}."}), "components[0].text"),
    (with_components({**BODY_IN, "example": None}), "components[0].example.body_text"),
    (
        with_components({**BODY_IN, "example": {"body_text": [["Ada"]]}}),
        "components[0].example.body_text",
    ),
    (
        with_components({"type": "BODY", "text": "Hi {{first_name}}, ships {{1}}."}),
        "components[0].text",
    ),
    (
        with_components({"type": "BODY", "text": "Hi {{first_name}}!"}),
        "components[0].example.body_text_named_params",
    ),
    (
        with_components({"type": "HEADER", "format": "IMAGE"}, BODY_IN),
        "components[0].example.header_handle",
    ),
    (
        with_components(BODY_IN, {"type": "BUTTONS", "buttons": [DYNAMIC_URL]}),
        "components[1].buttons[0].example",
    ),
    (with_components(BODY_IN, {"type": "SIDEBAR"}), "components[1].type"),
    (with_components(BODY_IN, category="AUTHENTICATION"), "components"),
]


@pytest.mark.parametrize(("request_body", "param"), REFUSED)
async def test_create_refuses_what_meta_would_refuse_naming_the_param(
    client: httpx.AsyncClient, account: TestAccount, graph: GraphHandle, session_id: str,
    request_body: dict[str, Any], param: str,
) -> None:  # fmt: skip
    response = await client.post(
        templates_url(session_id), headers=account.headers, json=request_body
    )
    error = error_of(response, 422)
    assert (error["param"], error["code"]) == (param, "template_invalid")
    assert [t.name for t in graph.fake.templates.values()] == ["hello_world"]  # Meta not asked


@pytest.mark.parametrize(
    ("fields", "param"), [({"name": "Order Shipped"}, "name"), ({"category": "SPAM"}, "category")]
)
async def test_create_validates_the_body(
    client: httpx.AsyncClient, account: TestAccount, session_id: str,
    fields: dict[str, Any], param: str,
) -> None:  # fmt: skip
    response = await client.post(
        templates_url(session_id), headers=account.headers, json={**ORDER_SHIPPED, **fields}
    )
    error = error_of(response, 422)
    assert (error["param"], error["code"]) == (param, "parameter_invalid")


async def test_a_named_template_is_accepted_with_its_named_examples(
    client: httpx.AsyncClient, account: TestAccount, graph: GraphHandle, session_id: str
) -> None:
    request = {
        "name": "welcome", "language": "en_US", "category": "MARKETING",
        "components": [{
            "type": "BODY", "text": "Hi {{first_name}}, welcome to {{shop}}!",
            "example": {"body_text_named_params": [
                {"param_name": "first_name", "example": "Ada"},
                {"param_name": "shop", "example": "Acme"},
            ]},
        }],
    }  # fmt: skip
    response = await client.post(templates_url(session_id), headers=account.headers, json=request)
    assert response.status_code == 201, response.text
    assert response.json()["parameters"]["body"] == {"count": 2, "names": ["first_name", "shop"]}
    [at_meta] = [t for t in graph.fake.templates.values() if t.name == "welcome"]
    assert at_meta.parameter_format == "NAMED"


async def test_meta_refusing_a_parameter_is_a_422_naming_it(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    duplicate = {**ORDER_SHIPPED, "name": "hello_world"}
    error = error_of(
        await client.post(templates_url(session_id), headers=account.headers, json=duplicate), 422
    )
    assert (error["code"], error["param"], error["type"]) == (
        "template_exists",
        "name",
        "invalid_request_error",
    )


async def test_delete_removes_it_at_meta_and_here(
    client: httpx.AsyncClient, account: TestAccount, graph: GraphHandle, session_id: str
) -> None:
    created = (
        await client.post(templates_url(session_id), headers=account.headers, json=ORDER_SHIPPED)
    ).json()
    response = await client.delete(
        templates_url(session_id, f"/{created['id']}"), headers=account.headers
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"id": created["id"], "object": "template", "deleted": True}
    assert [t.name for t in graph.fake.templates.values()] == ["hello_world"]
    gone = await client.get(templates_url(session_id, f"/{created['id']}"), headers=account.headers)
    assert error_of(gone, 404)["code"] == "resource_missing"
    again = await client.delete(
        templates_url(session_id, f"/{created['id']}"), headers=account.headers
    )
    assert error_of(again, 404)["code"] == "resource_missing"


async def test_a_template_deleted_at_meta_already_is_deleted_here_too(
    client: httpx.AsyncClient, account: TestAccount, graph: GraphHandle, session_id: str
) -> None:
    [hello] = (await client.get(templates_url(session_id), headers=account.headers)).json()["data"]
    graph.fake.templates.clear()
    response = await client.delete(
        templates_url(session_id, f"/{hello['id']}"), headers=account.headers
    )
    assert response.status_code == 200, response.text


# Meta failing.


def graph_error(status: int, code: int, details: str | None = None) -> Reply:
    error: dict[str, Any] = {"message": f"(#{code}) Something", "type": "OAuthException",
                             "code": code, "fbtrace_id": "Aa1"}  # fmt: skip
    if details is not None:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return Reply(
        status, json.dumps({"error": error}).encode(), {"Content-Type": "application/json"}
    )


async def scripted_session(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, account: TestAccount,
    base_url: str,
) -> str:  # fmt: skip
    return await create_cloud_session(sessionmaker, settings, account.id, base_url, fake_number())


@pytest.mark.parametrize(
    ("reply", "status", "code", "param"),
    [
        (
            graph_error(400, 100, "Param components[1]['text'] is invalid"),
            422, "parameter_invalid", "components[1].text",
        ),
        (
            graph_error(400, 131009, "Param language is not valid"),
            422, "parameter_invalid", "language",
        ),
        (graph_error(401, 190), 502, "engine_failure", None),
        (graph_error(500, 1), 503, "engine_unavailable", None),
        (Reply(502, b"<html>bad gateway</html>"), 503, "engine_unavailable", None),
    ],
)  # fmt: skip
async def test_graph_errors_become_our_envelope(
    client: httpx.AsyncClient, account: TestAccount, settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    reply: Reply, status: int, code: str, param: str | None,
) -> None:  # fmt: skip
    with serving(fallback=reply) as server:
        session_id = await scripted_session(
            sessionmaker, settings, account, server.url("").rstrip("/")
        )
        response = await client.post(
            templates_url(session_id), headers=account.headers, json=ORDER_SHIPPED
        )
        error = error_of(response, status)
        assert (error["code"], error["param"]) == (code, param)
        assert error["type"] == ("invalid_request_error" if status == 422 else "engine_error")
        assert "EAAG" not in response.text
        [request] = server.requests
        assert request.path == "/v21.0/102290129340398/message_templates"
        assert request.headers["authorization"] == "Bearer EAAG-test-token-not-real"


async def test_a_waba_the_token_cannot_reach_is_a_502_naming_the_config(
    client: httpx.AsyncClient, account: TestAccount, settings: Settings, graph: GraphHandle,
    number: FakeNumber, sessionmaker: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    elsewhere = dataclasses.replace(number, waba_id="100000000000001")
    session_id = await create_cloud_session(
        sessionmaker, settings, account.id, graph.base_url, elsewhere
    )
    error = error_of(await client.get(templates_url(session_id), headers=account.headers), 502)
    assert (error["type"], error["code"]) == ("engine_error", "engine_failure")
    assert "config.cloud.waba_id" in error["message"]


async def test_graph_out_of_reach_is_a_503(
    client: httpx.AsyncClient, account: TestAccount, settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    with serving() as server:
        closed = server.url("").rstrip("/")
    session_id = await scripted_session(sessionmaker, settings, account, closed)
    response = await client.get(templates_url(session_id), headers=account.headers)
    error = error_of(response, 503)
    assert (error["type"], error["code"]) == ("engine_error", "engine_unavailable")


async def test_no_transaction_is_open_while_meta_reviews_a_creation(
    client: httpx.AsyncClient, account: TestAccount, settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession], db: AsyncSession,
) -> None:  # fmt: skip
    answer = Reply(200, b'{"id": "1234567890", "status": "PENDING", "category": "UTILITY"}',
                   {"Content-Type": "application/json"})  # fmt: skip
    held = HeldReceiver(answer)
    with serving(fallback=held) as server:
        session_id = await scripted_session(
            sessionmaker, settings, account, server.url("").rstrip("/")
        )
        headers = {**account.headers, "Idempotency-Key": "create-order-shipped"}
        request = asyncio.create_task(
            client.post(templates_url(session_id), headers=headers, json=ORDER_SHIPPED)
        )
        await held.wait_for_request()
        assert await held_in_transaction(db) == 0
        held.answer.release()
        response = await request
        assert response.status_code == 201, response.text
        replay = await client.post(templates_url(session_id), headers=headers, json=ORDER_SHIPPED)
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert replay.json() == response.json()
        assert len(server.requests) == 1  # the retry did not ask Meta again


# Who may reach templates.


async def test_other_accounts_sessions_and_templates_are_404(
    client: httpx.AsyncClient, account: TestAccount, session_id: str,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    [hello] = (await client.get(templates_url(session_id), headers=account.headers)).json()["data"]
    other = await create_account(sessionmaker, name="Other", mode=KeyMode.live)
    for response in (
        await client.get(templates_url(session_id), headers=other.headers),
        await client.get(templates_url(session_id, f"/{hello['id']}"), headers=other.headers),
        await client.post(templates_url(session_id), headers=other.headers, json=ORDER_SHIPPED),
        await client.delete(templates_url(session_id, f"/{hello['id']}"), headers=other.headers),
    ):
        assert error_of(response, 404)["code"] == "resource_missing"


async def test_test_mode_keys_cannot_reach_cloud_sessions(
    client: httpx.AsyncClient, account: TestAccount, session_id: str,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    test_key = await create_api_key(sessionmaker, account.id, mode=KeyMode.test)
    for response in (
        await client.get(templates_url(session_id), headers=test_key.headers),
        await client.post(templates_url(session_id), headers=test_key.headers, json=ORDER_SHIPPED),
    ):
        # The account's own real session: named as live-only rather than hidden.
        error = error_of(response, 403)
        assert (error["code"], error["param"]) == ("livemode_required", "session_id")


async def test_scopes_read_for_lists_write_for_changes(
    client: httpx.AsyncClient, account: TestAccount, session_id: str,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    reader = await create_api_key(
        sessionmaker, account.id, mode=KeyMode.live, scopes={"messages": "read"}
    )
    assert (await client.get(templates_url(session_id), headers=reader.headers)).status_code == 200
    response = await client.post(
        templates_url(session_id), headers=reader.headers, json=ORDER_SHIPPED
    )
    assert error_of(response, 403)["code"] == "insufficient_scope"


async def test_a_sandbox_session_has_no_templates(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    sandbox = await create_session(client, account, start=False)
    response = await client.get(templates_url(sandbox["id"]), headers=account.headers)
    assert error_of(response, 501)["code"] == "engine_unsupported"


# Sends checked against the stored templates.

POSITIONAL = [
    {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW1n"]}},
    {"type": "BODY", "text": "Hi {{1}}, your order {{2}} ships today."},
    {"type": "BUTTONS", "buttons": [
        {"type": "QUICK_REPLY", "text": "Stop"},
        {"type": "URL", "text": "Track", "url": "https://shop.example/t/{{1}}"},
        {"type": "COPY_CODE", "example": "SAVE10"},
    ]},
]  # fmt: skip
NAMED = [{"type": "BODY", "text": "Hi {{first_name}}, {{order_id}} ships today."}]


def text(value: str, name: str | None = None) -> dict[str, Any]:
    return {"type": "text", "text": value, **({"parameter_name": name} if name else {})}


def send(name: str, *components: dict[str, Any]) -> TemplateMessage:
    return TemplateMessage.model_validate(
        {"name": name, "language": "en_US", "components": list(components)}
    )


IMAGE = {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://x/i.png"}}]}
BODY = {"type": "body", "parameters": [text("Ada"), text("1042")]}
URL_BUTTON = {"type": "button", "sub_type": "url", "index": 1, "parameters": [text("1042")]}
CODE_BUTTON = {
    "type": "button",
    "sub_type": "copy_code",
    "index": 2,
    "parameters": [{"type": "coupon_code", "coupon_code": "SAVE10"}],
}


@pytest.fixture
async def stored_templates(
    sessionmaker: async_sessionmaker[AsyncSession], account: TestAccount, session_id: str
) -> None:
    await add_template(sessionmaker, session_id, account.id, "order_update", POSITIONAL)
    await add_template(
        sessionmaker, session_id, account.id, "greeting", NAMED, parameter_format="NAMED"
    )
    await add_template(sessionmaker, session_id, account.id, "in_review", NAMED, status="PENDING")


def order(*components: dict[str, Any]) -> TemplateMessage:
    return send("order_update", *components)


def greeting(*parameters: dict[str, Any]) -> TemplateMessage:
    return send("greeting", {"type": "body", "parameters": list(parameters)})


QUICK_REPLY = {
    "type": "button",
    "sub_type": "quick_reply",
    "index": 0,
    "parameters": [{"type": "payload", "payload": "STOP"}],
}
MISMATCH = "template_parameters_mismatch"
SENDS = [
    (order(IMAGE, BODY, URL_BUTTON, CODE_BUTTON), None, None),
    (order(BODY, IMAGE, CODE_BUTTON, URL_BUTTON), None, None),
    (order(IMAGE, BODY, URL_BUTTON, CODE_BUTTON, QUICK_REPLY), None, None),
    (send("no_such_template"), "template_not_found", "template.name"),
    (send("in_review", BODY), "template_not_approved", "template.name"),
    (
        order(IMAGE, {"type": "body", "parameters": [text("Ada")]}, URL_BUTTON, CODE_BUTTON),
        MISMATCH,
        "template.components[1].parameters",
    ),
    (
        order({"type": "header", "parameters": [text("x")]}, BODY, URL_BUTTON, CODE_BUTTON),
        MISMATCH,
        "template.components[0].parameters",
    ),
    (order(BODY, URL_BUTTON, CODE_BUTTON), MISMATCH, "template.components"),
    (order(IMAGE, BODY, CODE_BUTTON), MISMATCH, "template.components"),
    (
        order(IMAGE, BODY, {**URL_BUTTON, "sub_type": "quick_reply"}, CODE_BUTTON),
        MISMATCH,
        "template.components[2].sub_type",
    ),
    (
        order(IMAGE, BODY, {**URL_BUTTON, "index": 5}, CODE_BUTTON),
        MISMATCH,
        "template.components[2].index",
    ),
    (
        order(IMAGE, BODY, {**URL_BUTTON, "parameters": []}, CODE_BUTTON),
        MISMATCH,
        "template.components[2].parameters",
    ),
    (
        order(IMAGE, BODY, BODY, URL_BUTTON, CODE_BUTTON),
        MISMATCH,
        "template.components[2].type",
    ),
    (greeting(text("Ada", "first_name"), text("1042", "order_id")), None, None),
    (
        greeting(text("Ada", "first_name"), text("1042", "order")),
        MISMATCH,
        "template.components[0].parameters",
    ),
    (greeting(text("Ada"), text("1042")), MISMATCH, "template.components[0].parameters"),
]


@pytest.mark.usefixtures("stored_templates")
@pytest.mark.parametrize(("message", "code", "param"), SENDS)
async def test_check_template_send(
    db: AsyncSession, session_id: str, message: TemplateMessage, code: str | None, param: str | None
) -> None:
    if code is None:
        await check_template_send(db, session_id, message)
        return
    with pytest.raises(GatewayError) as raised:
        await check_template_send(db, session_id, message)
    assert (raised.value.status_code, raised.value.code, raised.value.param) == (422, code, param)


async def test_a_template_known_only_from_a_notification_is_left_to_meta(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], account: TestAccount,
    session_id: str,
) -> None:  # fmt: skip
    await add_template(sessionmaker, session_id, account.id, "unsynced", [])
    await check_template_send(db, session_id, send("unsynced", BODY))
