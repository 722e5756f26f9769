"""Every documented event type is a webhook of the OpenAPI document, with its payload."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from fastapi.openapi.utils import get_openapi

from gateway.app import create_app
from gateway.cli import render_openapi
from gateway.config import Settings
from gateway.events.schemas import EVENT_PAYLOADS, EventOut
from gateway.events.types import EventType


def document_with_webhooks() -> dict[str, Any]:
    app = create_app(
        Settings(database_url="postgresql+asyncpg://unused/unused", redis_url="redis://unused")
    )
    return get_openapi(
        title=app.title, version=app.version, routes=app.routes, webhooks=app.webhooks.routes
    )


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    name = schema["$ref"].removeprefix("#/components/schemas/")
    resolved: dict[str, Any] = document["components"]["schemas"][name]
    return resolved


def test_each_event_type_is_a_webhook_with_its_envelope_and_payload() -> None:
    document = document_with_webhooks()
    webhooks = document["webhooks"]
    assert set(webhooks) == {
        "session.status",
        "session.qr",
        "message.received",
        "message.status",
        "message.reaction",
        "message.edited",
        "message.revoked",
        "group.joined",
        "group.left",
        "group.updated",
        "group.participants",
        "presence.update",
        "call.received",
        "webhook.test",
        "template.status",
        "billing.quota.warning",
        "billing.subscription.updated",
    }

    status = webhooks["session.status"]["post"]
    assert status["operationId"] == "event_session_status"
    assert "status changed" in status["description"]
    envelope = resolve(document, status["requestBody"]["content"]["application/json"]["schema"])
    assert envelope["title"] == "SessionStatusEvent"
    assert envelope["properties"]["type"]["const"] == "session.status"
    assert {"id", "object", "created_at", "livemode", "session"} <= set(envelope["properties"])
    data = resolve(document, envelope["properties"]["data"])
    assert set(data["properties"]) == {"status", "previous_status", "reason", "me"}
    assert data["required"] == ["status"]
    assert data["examples"][0]["status"] == "WORKING"

    qr = resolve(
        document,
        resolve(
            document,
            webhooks["session.qr"]["post"]["requestBody"]["content"]["application/json"]["schema"],
        )["properties"]["data"],
    )
    assert set(qr["required"]) == {"qr", "expires_at"}

    received = resolve(
        document,
        resolve(
            document,
            webhooks["message.received"]["post"]["requestBody"]["content"]["application/json"][
                "schema"
            ],
        )["properties"]["data"],
    )
    message = resolve(document, received["properties"]["message"])
    assert {"id", "chat_id", "from_id", "type", "text", "timestamp"} <= set(message["properties"])


def test_operation_ids_are_unique_across_paths_and_webhooks() -> None:
    document = document_with_webhooks()
    operations = [
        op
        for section in ("paths", "webhooks")
        for item in document[section].values()
        for op in item.values()
    ]
    ids = Counter(op["operationId"] for op in operations)
    assert all(count == 1 for count in ids.values()), ids
    assert {"list_events", "retrieve_event", "event_webhook_test"} <= set(ids)


def test_the_type_filter_documents_the_event_types() -> None:
    document = json.loads(render_openapi())
    parameters = document["paths"]["/v1/events"]["get"]["parameters"]
    type_filter = next(p for p in parameters if p["name"] == "type")
    array = next(s for s in type_filter["schema"]["anyOf"] if s.get("type") == "array")
    assert array["items"]["enum"] == [t.value for t in EventType]
    event = document["components"]["schemas"]["EventOut"]
    assert set(event["required"]) == set(EventOut.model_fields) - {"object"}


def test_served_document_has_the_webhooks() -> None:
    assert set(json.loads(render_openapi()).get("webhooks", {})) == {
        t.value for t in EVENT_PAYLOADS
    }


@pytest.mark.parametrize("event_type", list(EVENT_PAYLOADS))
def test_documented_examples_are_valid_payloads(event_type: EventType) -> None:
    model = EVENT_PAYLOADS[event_type]
    examples = model.model_json_schema()["examples"]
    assert examples
    for example in examples:
        model.model_validate(example)
