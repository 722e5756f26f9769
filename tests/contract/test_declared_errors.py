"""The document declares every error the gateway can answer to every request of a kind,
whatever the route, so the declarations cannot drift from what the gateway does:

- 401 on every authenticated operation (no key, a wrong one); 404 there too (an id of
  no object of the account's);
- 403 and 429 on every operation of an API key (its scopes; its rate limit);
- 422 on every operation: the input guard refuses a NUL or bytes that are not UTF-8 in
  any query parameter, before any route;
- on every authenticated POST, the ``Idempotency-Key`` header and its 409 (the same key
  still in flight);
- 413 on every operation that takes a body (the body-size limit);
- 400 on every form upload (the multipart parser's refusals);
- and on every error status the envelope, as ``application/json``, never FastAPI's own
  ``HTTPValidationError``.

The rules are walked over the generated document; the ones a request can show without
any data (401, 422, 413) are also asked of the gateway, operation by operation.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.cli import render_openapi
from gateway.config import Settings
from tests.conftest import running

DOCUMENT: dict[str, Any] = json.loads(render_openapi())
ENVELOPE = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
KEY_SCHEMES = {"BearerAuth", "ApiKeyAuth"}
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def schemes(self) -> set[str]:
        return {name for requirement in self.spec.get("security", []) for name in requirement}

    @property
    def statuses(self) -> set[str]:
        return set(self.spec.get("responses", {}))

    @property
    def takes_body(self) -> bool:
        return "requestBody" in self.spec or self.method in {"post", "put", "patch"}

    def url(self) -> str:
        """The path with a placeholder in each parameter (``{action}`` one of its values)."""

        def value(match: re.Match[str]) -> str:
            for parameter in self.spec.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == match[1]:
                    schema = parameter.get("schema", {})
                    enum = schema.get("enum") or _ref(schema).get("enum")
                    return str(enum[0]) if enum else "x"
            return "x"

        return re.sub(r"\{(\w+)\}", value, self.path)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _ref(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref") or next((s.get("$ref") for s in schema.get("allOf", [])), None)
    if not ref:
        return {}
    resolved: dict[str, Any] = DOCUMENT["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return resolved


def operations() -> Iterator[Operation]:
    for path, item in DOCUMENT["paths"].items():
        for method, spec in item.items():
            yield Operation(method, path, spec)


OPERATIONS = list(operations())


def by_name(ops: list[Operation]) -> Any:
    return pytest.mark.parametrize("operation", ops, ids=str)


def missing(operation: Operation, *statuses: int) -> set[int]:
    return {status for status in statuses if str(status) not in operation.statuses}


def test_the_walk_sees_every_kind_of_operation() -> None:
    # The rules below apply to something: a document that lost its security schemes or its
    # bodies would pass them vacuously.
    assert len(OPERATIONS) > 50
    assert any(op.schemes & KEY_SCHEMES for op in OPERATIONS)
    assert any("AdminToken" in op.schemes for op in OPERATIONS)
    assert any(not op.schemes for op in OPERATIONS)
    assert any(
        any(media.startswith(FORMS) for media in op.spec.get("requestBody", {}).get("content", {}))
        for op in OPERATIONS
    )


@by_name(OPERATIONS)
def test_every_error_status_carries_the_envelope(operation: Operation) -> None:
    for status, response in operation.spec["responses"].items():
        if status[0] in "45":
            assert response.get("content") == ENVELOPE, (operation, status, response)


def test_fastapi_validation_error_is_nowhere() -> None:
    text = json.dumps(DOCUMENT)
    assert "HTTPValidationError" not in text
    assert '"ValidationError"' not in text


@by_name(OPERATIONS)
def test_every_operation_declares_422(operation: Operation) -> None:
    assert not missing(operation, 422), operation


@by_name([op for op in OPERATIONS if op.schemes])
def test_authenticated_operations_declare_401_and_404(operation: Operation) -> None:
    assert not missing(operation, 401, 404), operation


@by_name([op for op in OPERATIONS if op.schemes & KEY_SCHEMES])
def test_api_key_operations_declare_403_and_429(operation: Operation) -> None:
    assert not missing(operation, 403, 429), operation


@by_name([op for op in OPERATIONS if op.method == "post" and op.schemes])
def test_authenticated_posts_take_an_idempotency_key_and_declare_its_409(
    operation: Operation,
) -> None:
    names = {(p["in"], p["name"]) for p in operation.spec.get("parameters", [])}
    assert ("header", "Idempotency-Key") in names, operation
    assert not missing(operation, 409), operation
    assert "idempotency_key_in_use" in operation.spec["responses"]["409"]["description"]


@by_name([op for op in OPERATIONS if op.takes_body])
def test_operations_with_a_body_declare_413(operation: Operation) -> None:
    assert not missing(operation, 413), operation


@by_name(
    [
        op
        for op in OPERATIONS
        if any(m.startswith(FORMS) for m in op.spec.get("requestBody", {}).get("content", {}))
    ]
)
def test_form_uploads_declare_400(operation: Operation) -> None:
    assert not missing(operation, 400), operation
    assert "invalid_form" in operation.spec["responses"]["400"]["description"]


# What the rules rest on, asked of the gateway itself.

# Bodies over this are refused before they are read, on every route (uploads included).
SMALL_LIMIT = 16
BIG_BODY = b"x" * (128 * 1024)


@pytest.fixture(scope="module")
async def small_limits(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    limits = {"max_body_bytes": SMALL_LIMIT, "media_max_bytes": SMALL_LIMIT}
    async with running(create_app(settings.model_copy(update=limits))) as client:
        yield client


def error_code(response: httpx.Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


@by_name([op for op in OPERATIONS if op.schemes])
async def test_authenticated_operations_answer_401_without_credentials(
    client: httpx.AsyncClient, operation: Operation
) -> None:
    response = await client.request(operation.method, operation.url())
    assert response.status_code == 401, (operation, response.text)


@by_name(OPERATIONS)
async def test_every_operation_answers_422_to_a_nul_in_the_query(
    client: httpx.AsyncClient, operation: Operation
) -> None:
    response = await client.request(operation.method, operation.url() + "?probe=%00")
    assert response.status_code == 422, (operation, response.text)
    assert response.json()["error"]["param"] == "probe"


@by_name([op for op in OPERATIONS if op.takes_body])
async def test_operations_with_a_body_answer_413_to_a_large_one(
    small_limits: httpx.AsyncClient, operation: Operation
) -> None:
    response = await small_limits.request(
        operation.method,
        operation.url(),
        content=BIG_BODY,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413, (operation, response.text)
    assert error_code(response) == "request_too_large"
