"""Sending wrong: every mistake is a clear 4xx naming the parameter."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import TestAccount, create_account, create_api_key, create_session


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


@pytest.fixture
async def session_id(client: httpx.AsyncClient, account: TestAccount) -> str:
    # No host runs in these tests: messages stay queued, which is all they need.
    return str((await create_session(client, account))["id"])


async def send(
    client: httpx.AsyncClient, account: TestAccount, session_id: str, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(
        f"/v1/sessions/{session_id}/messages", headers=account.headers, json=body
    )


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


TO = "+12025550123"
SOME_MESSAGE = "msg_01JA2B3C4D5E6F7G8H9J0KMNPQ"


def text(**fields: Any) -> dict[str, Any]:
    return {"type": "text", "chat_id": TO, "text": "hi", **fields}


def of(kind: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "chat_id": TO, **fields}


BAD_BODIES = [
    (of("fax"), "type", "parameter_invalid"),
    ({"chat_id": TO, "text": "hi"}, "type", None),
    (of("text"), "text", "parameter_missing"),
    ({"type": "text", "text": "hi"}, "chat_id", "parameter_missing"),
    (text(text=""), "text", "parameter_invalid"),
    (text(chat_id="+1202"), "chat_id", "parameter_invalid"),
    (text(chat_id="not a number"), "chat_id", None),
    (text(chat_id="abc@g.us"), "chat_id", None),
    (text(colour="red"), "colour", "parameter_unknown"),
    (of("location", latitude=91, longitude=0), "latitude", None),
    (of("poll", question="?", options=["a"]), "options", None),
    (of("poll", question="?", options=["a", "a"]), "options", None),
    (of("contact", vcard="Ada, +1202"), "vcard", None),
    (of("image"), "media", "parameter_missing"),
    (of("image", media={}), "media", None),
    (text(send_at="tomorrow"), "send_at", None),
    (of("reaction", message_id=SOME_MESSAGE, emoji="👍"), "message_id", "message_not_found"),
    (text(reply_to=SOME_MESSAGE), "reply_to", "message_not_found"),
]


@pytest.mark.parametrize(("body", "param", "code"), BAD_BODIES)
async def test_bad_bodies_name_the_param(
    client: httpx.AsyncClient,
    account: TestAccount,
    session_id: str,
    body: dict[str, Any],
    param: str,
    code: str | None,
) -> None:
    error = error_of(await send(client, account, session_id, body), 422)
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param, error
    if code is not None:
        assert error["code"] == code, error


async def test_phone_numbers_are_normalised(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    for given in ("+1 (202) 555-0123", "0012025550123", "12025550123", "12025550123@c.us"):
        response = await send(
            client, account, session_id, {"type": "text", "chat_id": given, "text": "hi"}
        )
        assert response.status_code == 202, response.text
        assert response.json()["chat_id"] == "12025550123@c.us"
    group = await send(
        client, account, session_id,
        {"type": "text", "chat_id": "120363012345678901@g.us", "text": "hi all"},
    )  # fmt: skip
    assert group.json()["chat_id"] == "120363012345678901@g.us"


async def test_reacting_to_another_sessions_message_is_refused(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    other = (await create_session(client, account, name="other"))["id"]
    theirs = (
        await send(client, account, other, {"type": "text", "chat_id": "+12025550123", "text": "x"})
    ).json()
    error = error_of(
        await send(
            client,
            account,
            session_id,
            {
                "type": "reaction",
                "chat_id": "+12025550123",
                "message_id": theirs["id"],
                "emoji": "👍",
            },
        ),
        422,
    )
    assert error["param"] == "message_id"


async def test_another_accounts_session_and_messages_look_missing(
    client: httpx.AsyncClient,
    account: TestAccount,
    session_id: str,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    intruder = await create_account(sessionmaker, name="intruder")
    body = {"type": "text", "chat_id": "+12025550123", "text": "hi"}
    error = error_of(await send(client, intruder, session_id, body), 404)
    assert error["code"] == "resource_missing"
    mine = (await send(client, account, session_id, body)).json()
    for response in (
        await client.get(f"/v1/messages/{mine['id']}", headers=intruder.headers),
        await client.post(f"/v1/messages/{mine['id']}/cancel", headers=intruder.headers),
        await client.get(f"/v1/sessions/{session_id}/messages", headers=intruder.headers),
    ):
        assert response.status_code == 404, response.text
    still = await client.get(f"/v1/messages/{mine['id']}", headers=account.headers)
    assert still.json()["status"] == "queued"


async def test_scopes_and_session_restriction(
    client: httpx.AsyncClient,
    account: TestAccount,
    session_id: str,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    body = {"type": "text", "chat_id": "+12025550123", "text": "hi"}
    reader = await create_api_key(
        sessionmaker, account.id, scopes={"messages": "read", "sessions": "read"}
    )
    assert (
        error_of(await send(client, reader, session_id, body), 403)["code"] == "insufficient_scope"
    )
    other = (await create_session(client, account, name="other"))["id"]
    restricted = await create_api_key(sessionmaker, account.id, session_id=other)
    assert (await send(client, restricted, session_id, body)).status_code == 404
    assert (await send(client, restricted, other, body)).status_code == 202


async def test_engine_that_cannot_send_a_type_is_501(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    sid = (
        await create_session(client, account, name="nopoll", sandbox={"unsupported": ["send_poll"]})
    )["id"]
    error = error_of(
        await send(
            client,
            account,
            sid,
            {"type": "poll", "chat_id": "+12025550123", "question": "?", "options": ["a", "b"]},
        ),
        501,
    )
    assert error["code"] == "engine_unsupported"
    assert "send_poll" in error["message"]


async def test_expiry_before_sending_is_refused(
    client: httpx.AsyncClient, account: TestAccount, session_id: str
) -> None:
    error = error_of(
        await send(
            client,
            account,
            session_id,
            {
                "type": "text",
                "chat_id": "+12025550123",
                "text": "hi",
                "expires_at": "2000-01-01T00:00:00Z",
            },
        ),
        422,
    )
    assert error["param"] == "expires_at"
