"""Every error leaves the API in the one envelope, with the request id and no trace."""

from __future__ import annotations

import httpx
from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.config import Settings
from gateway.kit.routing import TransactionalRoute
from tests.conftest import running
from tests.factories import create_account

ENVELOPE_FIELDS = {"type", "code", "message", "param", "request_id"}


def error_of(response: httpx.Response) -> dict[str, object]:
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) >= ENVELOPE_FIELDS, error
    assert error["request_id"] == response.headers["request-id"]
    return error  # type: ignore[no-any-return]


async def test_unknown_route_is_404_envelope(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/nothing-here")
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "route_not_found"
    assert "/v1/nothing-here" in str(error["message"])


async def test_wrong_method_is_405_envelope(client: httpx.AsyncClient) -> None:
    response = await client.put("/v1/account")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert "GET" in response.headers["allow"]


async def test_validation_errors_name_the_param(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    too_many = await client.get("/v1/api-keys?limit=1000", headers=account.headers)
    assert too_many.status_code == 422
    error = error_of(too_many)
    assert error["type"] == "invalid_request_error"
    assert error["param"] == "limit"
    assert error["code"] == "parameter_invalid"

    unknown = await client.post("/v1/api-keys", headers=account.headers, json={"nmae": "typo"})
    assert unknown.status_code == 422
    assert error_of(unknown)["param"] == "nmae"
    assert error_of(unknown)["code"] == "parameter_unknown"

    wrong_type = await client.post("/v1/api-keys", headers=account.headers, json={"name": 5})
    assert error_of(wrong_type)["param"] == "name"

    empty_name = await client.post("/v1/api-keys", headers=account.headers, json={"name": ""})
    assert error_of(empty_name)["param"] == "name"

    bad_enum = await client.post("/v1/api-keys", headers=account.headers, json={"mode": "prod"})
    assert bad_enum.status_code == 422
    assert error_of(bad_enum)["param"] == "mode"


async def test_missing_required_field(client: httpx.AsyncClient) -> None:
    from tests.conftest import ADMIN_TOKEN

    response = await client.post(
        "/admin/accounts", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, json={}
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "parameter_missing"
    assert error["param"] == "name"


async def test_invalid_json_body(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    response = await client.post(
        "/v1/api-keys",
        headers={**account.headers, "Content-Type": "application/json"},
        content=b'{"name": ',
    )
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_json"


async def test_a_json_body_that_cannot_be_decoded_is_invalid_json(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # A NUL next to bytes that are not UTF-8: FastAPI's parser fails before JSON syntax
    # (its own answer would be a 400 "There was an error parsing the body").
    account = await create_account(sessionmaker)
    response = await client.post(
        "/v1/api-keys",
        headers={**account.headers, "Content-Type": "application/json"},
        content=b";jW\x00\xcb\x993F\xff\xfef",
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_json"
    assert error["type"] == "invalid_request_error"


async def test_a_form_the_multipart_parser_refuses_is_400_invalid_form(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    too_many = await client.post(
        "/v1/media",
        headers=account.headers,
        data={f"field{i}": "x" for i in range(5)},
        files={"file": ("a.txt", b"hello", "text/plain")},
    )
    assert too_many.status_code == 400
    error = error_of(too_many)
    assert error["code"] == "invalid_form"
    assert "Too many fields" in str(error["message"])

    no_boundary = await client.post(
        "/v1/media",
        headers={**account.headers, "Content-Type": "multipart/form-data"},
        content=b"--x\r\n",
    )
    assert no_boundary.status_code == 400
    assert error_of(no_boundary)["code"] == "invalid_form"


async def test_oversized_body_is_413(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    app = create_app(settings.model_copy(update={"max_body_bytes": 2048}))
    async with running(app) as client:
        big = {"name": "x" * 4096}
        declared = await client.post("/v1/api-keys", headers=account.headers, json=big)
        assert declared.status_code == 413
        assert error_of(declared)["code"] == "request_too_large"

        async def chunks():  # no Content-Length: counted while read
            for _ in range(4):
                yield b"x" * 1024

        streamed = await client.post("/v1/api-keys", headers=account.headers, content=chunks())
        assert streamed.status_code == 413
        assert error_of(streamed)["code"] == "request_too_large"


async def test_unhandled_exception_is_500_without_a_trace(settings: Settings) -> None:
    app = create_app(settings)
    router = APIRouter(route_class=TransactionalRoute)

    @router.get("/v1/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail")

    app.include_router(router)
    async with running(app) as client:
        response = await client.get("/v1/boom")
    assert response.status_code == 500
    error = error_of(response)
    assert error["type"] == "api_error"
    assert error["code"] == "internal_error"
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text


async def test_every_response_has_a_unique_request_id(client: httpx.AsyncClient) -> None:
    ids = {(await client.get("/healthz")).headers["request-id"] for _ in range(5)}
    assert len(ids) == 5
    assert all(i.startswith("req_") for i in ids)
