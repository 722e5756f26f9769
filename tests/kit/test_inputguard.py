"""Text the database cannot store (NUL, bytes that are not UTF-8) is a 422 naming the
parameter, wherever it is sent: a path id, a query parameter, a JSON body field."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import TestAccount, create_account


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


def refused(response: httpx.Response, param: str | None, code: str = "parameter_invalid") -> Any:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["type"], error["code"], error["param"]) == ("invalid_request_error", code, param)
    assert error["request_id"] == response.headers["request-id"]
    return error


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/v1/sessions/a%00b", "session_id"),
        ("/v1/sessions/a%FFb", "session_id"),
        ("/v1/messages/m%00/cancel", "message_id"),
        ("/v1/nothing%00here", "path"),
    ],
)
async def test_a_bad_path_id_names_its_parameter(
    client: httpx.AsyncClient, account: TestAccount, path: str, param: str
) -> None:
    error = refused(await client.get(path, headers=account.headers), param)
    assert error["message"].startswith(f"Invalid {param}: must")


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("ending_before=%00", "ending_before"),
        ("limit=2&starting_after=evt_%00", "starting_after"),
        ("type=%C3%28", "type"),
        ("a%00b=1", "ab"),
    ],
)
async def test_a_bad_query_parameter_is_named(
    client: httpx.AsyncClient, account: TestAccount, query: str, param: str
) -> None:
    refused(await client.get(f"/v1/events?{query}", headers=account.headers), param)


async def test_good_escapes_pass(client: httpx.AsyncClient, account: TestAccount) -> None:
    response = await client.get("/v1/events?type=session.status&limit=%32", headers=account.headers)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("body", "param"),
    [
        (b'{"name": "a\\u0000b", "engine": "sandbox"}', "name"),
        (b'{"name": "ok", "config": {"webhooks": ["x", "y\\u0000"]}}', "config.webhooks[1]"),
        (b'{"na\\u0000me": "ok"}', "name"),
    ],
)
async def test_a_nul_in_a_body_field_is_named(
    client: httpx.AsyncClient, account: TestAccount, body: bytes, param: str
) -> None:
    response = await client.post(
        "/v1/sessions", headers={**account.headers, "content-type": "application/json"},
        content=body,
    )  # fmt: skip
    refused(response, param)


async def test_bytes_that_are_not_utf8_are_named_or_invalid_json(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    headers = {**account.headers, "content-type": "application/json"}
    response = await client.post("/v1/sessions", headers=headers, content=b'{"name": "\xff\xfe"}')
    assert refused(response, "name")["message"] == "Invalid name: must be valid UTF-8."
    response = await client.post("/v1/sessions", headers=headers, content=b"\xff\xfe\xfd")
    error = refused(response, None, code="invalid_json")
    assert error["message"] == "The request body is not valid UTF-8."


async def test_a_good_body_reaches_the_route(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    name = "Caf\u00e9 \U0001f600 \\u0000 is text"
    response = await client.post("/v1/api-keys", headers=account.headers, json={"name": name})
    assert response.status_code == 201, response.text
    assert response.json()["name"] == name
