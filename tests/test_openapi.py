"""The committed OpenAPI document is the product's contract: it must match the app."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from gateway.cli import render_openapi

COMMITTED = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"


def test_committed_document_matches_the_app() -> None:
    assert COMMITTED.read_text() == render_openapi() + "\n", (
        "openapi/openapi.json is stale: run `make openapi` (gateway openapi) and commit it"
    )


def test_operations_have_stable_unique_ids_and_tags() -> None:
    document = json.loads(render_openapi())
    operations = [op for item in document["paths"].values() for op in item.values()]
    ids = Counter(op["operationId"] for op in operations)
    assert all(count == 1 for count in ids.values()), ids
    assert {"retrieve_account", "create_api_key", "revoke_api_key"} <= set(ids)
    assert all(op.get("tags") for op in operations)


def test_both_key_schemes_and_idempotency_are_documented() -> None:
    document = json.loads(render_openapi())
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerAuth"]["scheme"] == "bearer"
    assert schemes["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": "X-Api-Key: gw_…",
    }
    create = document["paths"]["/v1/api-keys"]["post"]
    assert {"BearerAuth": []} in create["security"]
    assert {"ApiKeyAuth": []} in create["security"]
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    errors = create["responses"]["422"]["content"]["application/json"]["schema"]
    assert errors["$ref"].endswith("/ErrorEnvelope")
