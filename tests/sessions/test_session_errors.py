"""The unhappy paths of the sessions API and the sandbox control endpoints, and what one
account (or one narrowed key) can see of another's sessions."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from typing import Any

import httpx
import pytest
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.models import Session
from tests.factories import (
    TestAccount,
    create_account,
    create_api_key,
    create_session,
    session_in_status,
)
from tests.waiting import eventually

PHONE = "+12025550123"
INBOUND = {"from": "+12025550199", "text": "hello"}


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker)


def assert_error(
    response: httpx.Response,
    status_code: int,
    code: str,
    *,
    param: str | None = None,
    type: str = "invalid_request_error",
) -> dict[str, Any]:
    """The error object, once it is checked to be the one expected."""
    assert response.status_code == status_code, response.text
    error: dict[str, Any] = response.json()["error"]
    assert (error["type"], error["code"], error["param"]) == (type, code, param), error
    assert error["request_id"] == response.headers["Request-Id"]
    return error


async def listed_ids(client: httpx.AsyncClient, account: TestAccount) -> list[str]:
    response = await client.get("/v1/sessions", headers=account.headers)
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()["data"]]


def what_a_user_sees(session: dict[str, Any]) -> dict[str, Any]:
    """The parts of a session that any change to it would show in."""
    keys = ("name", "status", "status_history", "desired_state", "metadata", "config", "me")
    return {key: session[key] for key in keys}


async def stays(
    client: httpx.AsyncClient,
    account: TestAccount,
    session_id: str,
    expected: dict[str, Any],
    *,
    seconds: float = 0.6,
) -> None:
    """The session looks like ``expected`` throughout ``seconds`` (several host passes)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = await client.get(f"/v1/sessions/{session_id}", headers=account.headers)
        assert response.status_code == 200, response.text
        assert what_a_user_sees(response.json()) == expected
        await asyncio.sleep(0.05)


async def create(client: httpx.AsyncClient, account: TestAccount, **body: Any) -> httpx.Response:
    return await client.post("/v1/sessions", headers=account.headers, json=body)


# -- creating and updating ------------------------------------------------------------


async def test_unknown_engine_is_422_listing_the_available_ones(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    response = await create(client, account, name="support", engine="whatsapp-classic")
    error = assert_error(response, 422, "parameter_invalid", param="engine")
    assert "whatsapp-classic" in error["message"]
    assert "available: cloud, sandbox" in error["message"]
    assert await listed_ids(client, account) == []


async def test_names_are_unique_per_account(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], account: TestAccount
) -> None:
    first = await create_session(client, account, name="support", start=False)
    again = await create(client, account, name="support", start=False)
    error = assert_error(again, 409, "session_name_taken", param="name")
    assert "support" in error["message"]
    assert await listed_ids(client, account) == [first["id"]]

    other = await create_account(sessionmaker, name="Other")
    assert (await create(client, other, name="support", start=False)).status_code == 201

    second = await create_session(client, account, name="sales", start=False)
    renamed = await client.patch(
        f"/v1/sessions/{second['id']}", headers=account.headers, json={"name": "support"}
    )
    assert_error(renamed, 409, "session_name_taken", param="name")
    fetched = await client.get(f"/v1/sessions/{second['id']}", headers=account.headers)
    assert fetched.json()["name"] == "sales"


async def requests_waiting_on_a_lock(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as db:
        waiting = await db.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return int(waiting or 0)


async def racing_a_rename(
    sessionmaker: async_sessionmaker[AsyncSession],
    session_id: str,
    name: str,
    request: Coroutine[Any, Any, httpx.Response],
) -> httpx.Response:
    """``request``'s answer when another transaction takes ``name`` (renaming
    ``session_id``) after ``request`` checked the name was free, but before it commits."""
    async with sessionmaker() as db:
        await db.execute(update(Session).where(Session.id == session_id).values(name=name))
        pending = asyncio.create_task(request)
        # The request has passed its own check and now waits on the unique index.
        await eventually(lambda: requests_waiting_on_a_lock(sessionmaker), lambda n: n >= 1)
        await db.commit()
    return await pending


async def test_a_create_racing_for_a_name_is_409(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], account: TestAccount
) -> None:
    other = await create_session(client, account, name="other", start=False)
    response = await racing_a_rename(
        sessionmaker, other["id"], "support", create(client, account, name="support", start=False)
    )
    assert_error(response, 409, "session_name_taken", param="name")
    assert await listed_ids(client, account) == [other["id"]]


async def test_a_rename_racing_for_a_name_is_409(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], account: TestAccount
) -> None:
    first = await create_session(client, account, name="first", start=False)
    second = await create_session(client, account, name="second", start=False)
    rename = client.patch(
        f"/v1/sessions/{second['id']}", headers=account.headers, json={"name": "support"}
    )
    response = await racing_a_rename(sessionmaker, first["id"], "support", rename)
    assert_error(response, 409, "session_name_taken", param="name")


async def test_a_deleted_sessions_name_can_be_reused(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    old = await create_session(client, account, name="support", start=False)
    deleted = await client.delete(f"/v1/sessions/{old['id']}", headers=account.headers)
    assert deleted.status_code == 200
    new = await create(client, account, name="support", start=False)
    assert new.status_code == 201, new.text
    assert new.json()["id"] != old["id"]
    assert await listed_ids(client, account) == [new.json()["id"]]


@pytest.mark.parametrize("name", ["has space", "", "a" * 65, "-leading-dash", "émoji"])
async def test_invalid_names_are_422(
    client: httpx.AsyncClient, account: TestAccount, name: str
) -> None:
    response = await create(client, account, name=name)
    assert_error(response, 422, "parameter_invalid", param="name")
    assert await listed_ids(client, account) == []


async def test_a_64_character_name_is_the_longest_accepted(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    response = await create(client, account, name="a" * 64, start=False)
    assert response.status_code == 201, response.text
    renamed = await client.patch(
        f"/v1/sessions/{response.json()['id']}", headers=account.headers, json={"name": "b c"}
    )
    assert_error(renamed, 422, "parameter_invalid", param="name")


@pytest.mark.parametrize(
    ("config", "param"),
    [
        ({"sandbox": {"foo": True}}, "config.sandbox.foo"),
        ({"nope": 1}, "config.nope"),
        ({"pacing": {"speed": "fast"}}, "config.pacing.speed"),
    ],
)
async def test_unknown_config_keys_are_422_naming_them(
    client: httpx.AsyncClient, account: TestAccount, config: dict[str, Any], param: str
) -> None:
    response = await create(client, account, name="support", config=config)
    error = assert_error(response, 422, "parameter_unknown", param=param)
    assert param in error["message"]
    assert await listed_ids(client, account) == []


async def test_metadata_is_limited_to_50_keys(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    too_many = {f"k{i}": "v" for i in range(51)}
    response = await create(client, account, name="support", metadata=too_many)
    error = assert_error(response, 422, "parameter_invalid", param="metadata")
    assert "50" in error["message"]

    fifty = {f"k{i}": "v" for i in range(50)}
    created = await create(client, account, name="support", metadata=fifty, start=False)
    assert created.status_code == 201, created.text
    patched = await client.patch(
        f"/v1/sessions/{created.json()['id']}",
        headers=account.headers,
        json={"metadata": too_many},
    )
    assert_error(patched, 422, "parameter_invalid", param="metadata")


async def test_unknown_top_level_field_is_422(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    response = await create(client, account, name="support", colour="blue")
    error = assert_error(response, 422, "parameter_unknown", param="colour")
    assert "colour" in error["message"]
    assert await listed_ids(client, account) == []


async def test_list_filter_with_an_unknown_status_is_422(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    response = await client.get(
        "/v1/sessions", headers=account.headers, params={"status": "SLEEPING"}
    )
    assert_error(response, 422, "parameter_invalid", param="status")


# -- other accounts, narrowed keys, scopes --------------------------------------------


def attempts_on(session_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every operation on one session: (method, path, JSON body)."""
    path = f"/v1/sessions/{session_id}"
    sandbox = f"/v1/sandbox/sessions/{session_id}"
    return [
        ("GET", path, None),
        ("PATCH", path, {"name": "pwned", "metadata": {"owner": "attacker"}}),
        ("POST", f"{path}/start", None),
        ("POST", f"{path}/stop", None),
        ("POST", f"{path}/restart", None),
        ("POST", f"{path}/logout", None),
        ("GET", f"{path}/qr", None),
        ("POST", f"{path}/pairing-code", {"phone_number": PHONE}),
        ("GET", f"{path}/me", None),
        ("POST", f"{sandbox}/link", None),
        ("POST", f"{sandbox}/inbound", INBOUND),
        ("POST", f"{sandbox}/disconnect", None),
        ("DELETE", path, None),
    ]


@pytest.mark.usefixtures("engine_host")
async def test_another_accounts_session_looks_missing_and_stays_untouched(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    victim = await create_account(sessionmaker, name="Victim")
    attacker = await create_account(sessionmaker, name="Attacker")
    created = await create(client, victim, name="support", metadata={"team": "a"})
    assert created.status_code == 201, created.text
    theirs = created.json()
    before = await session_in_status(client, victim, theirs["id"], "SCAN_QR_CODE")

    for method, path, body in attempts_on(theirs["id"]):
        response = await client.request(method, path, headers=attacker.headers, json=body)
        error = assert_error(response, 404, "resource_missing", param="id")
        assert theirs["id"] in error["message"], (method, path)

    assert await listed_ids(client, attacker) == []
    # Nothing the attacker asked for happened: not renamed, stopped, linked or deleted.
    await stays(client, victim, theirs["id"], what_a_user_sees(before))
    assert await listed_ids(client, victim) == [theirs["id"]]


async def test_a_session_restricted_key_reaches_only_its_session(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], account: TestAccount
) -> None:
    own = await create_session(client, account, name="own", start=False)
    other = await create_session(client, account, name="other", start=False)
    narrowed = await create_api_key(sessionmaker, account.id, session_id=own["id"])

    fetched = await client.get(f"/v1/sessions/{own['id']}", headers=narrowed.headers)
    assert fetched.status_code == 200
    assert fetched.json()["name"] == "own"
    for method, path, body in attempts_on(other["id"]):
        response = await client.request(method, path, headers=narrowed.headers, json=body)
        assert_error(response, 404, "resource_missing", param="id")
    assert await listed_ids(client, narrowed) == [own["id"]]

    created = await create(client, narrowed, name="third", start=False)
    assert_error(created, 403, "insufficient_scope", type="permission_error")
    # The account's own key still sees both, the other one untouched.
    assert set(await listed_ids(client, account)) == {own["id"], other["id"]}
    still = await client.get(f"/v1/sessions/{other['id']}", headers=account.headers)
    assert what_a_user_sees(still.json()) == what_a_user_sees(other)


async def test_a_session_restricted_key_cannot_see_other_deleted_sessions(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], account: TestAccount
) -> None:
    own = await create_session(client, account, name="own", start=False)
    other = await create_session(client, account, name="other", start=False)
    narrowed = await create_api_key(sessionmaker, account.id, session_id=own["id"])
    deleted = await client.delete(f"/v1/sessions/{other['id']}", headers=account.headers)
    assert deleted.status_code == 200

    response = await client.delete(f"/v1/sessions/{other['id']}", headers=narrowed.headers)
    assert_error(response, 404, "resource_missing", param="id")


async def test_a_read_only_key_cannot_create_or_stop(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], account: TestAccount
) -> None:
    session = await create_session(client, account, start=False)
    reader = await create_api_key(sessionmaker, account.id, scopes={"sessions": "read"})

    created = await create(client, reader, name="another")
    error = assert_error(created, 403, "insufficient_scope", type="permission_error")
    assert "sessions: write" in error["message"]
    stopped = await client.post(f"/v1/sessions/{session['id']}/stop", headers=reader.headers)
    assert_error(stopped, 403, "insufficient_scope", type="permission_error")
    # Reading is what it may do.
    assert await listed_ids(client, reader) == [session["id"]]
    fetched = await client.get(f"/v1/sessions/{session['id']}", headers=reader.headers)
    assert fetched.status_code == 200


async def test_a_key_without_the_sessions_scope_cannot_list(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], account: TestAccount
) -> None:
    session = await create_session(client, account, start=False)
    outsider = await create_api_key(sessionmaker, account.id, scopes={"sessions": "none"})

    listed = await client.get("/v1/sessions", headers=outsider.headers)
    error = assert_error(listed, 403, "insufficient_scope", type="permission_error")
    assert "sessions: read" in error["message"]
    fetched = await client.get(f"/v1/sessions/{session['id']}", headers=outsider.headers)
    assert_error(fetched, 403, "insufficient_scope", type="permission_error")


# -- QR codes, pairing codes, me ------------------------------------------------------


async def test_qr_of_a_stopped_session_is_409(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    session = await create_session(client, account, start=False)
    for fmt in ("image", "raw"):
        response = await client.get(
            f"/v1/sessions/{session['id']}/qr", headers=account.headers, params={"format": fmt}
        )
        error = assert_error(response, 409, "qr_not_available")
        assert "STOPPED" in error["message"]


@pytest.mark.usefixtures("engine_host")
async def test_qr_and_pairing_code_of_a_working_session_are_409(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    session = await create_session(client, account, auto_link=True)
    await session_in_status(client, account, session["id"], "WORKING")

    qr = await client.get(f"/v1/sessions/{session['id']}/qr", headers=account.headers)
    error = assert_error(qr, 409, "qr_not_available")
    assert "WORKING" in error["message"]
    pairing = await client.post(
        f"/v1/sessions/{session['id']}/pairing-code",
        headers=account.headers,
        json={"phone_number": PHONE},
    )
    assert_error(pairing, 409, "session_not_ready")


@pytest.mark.parametrize("phone_number", ["12", "abc", "+1", ""])
async def test_pairing_code_for_an_invalid_number_is_422(
    client: httpx.AsyncClient, account: TestAccount, phone_number: str
) -> None:
    session = await create_session(client, account, start=False)
    response = await client.post(
        f"/v1/sessions/{session['id']}/pairing-code",
        headers=account.headers,
        json={"phone_number": phone_number},
    )
    error = assert_error(response, 422, "parameter_invalid", param="phone_number")
    assert "+12025550123" in error["message"]  # shows what a valid number looks like


async def test_me_of_a_stopped_session_is_409(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    session = await create_session(client, account, start=False)
    response = await client.get(f"/v1/sessions/{session['id']}/me", headers=account.headers)
    error = assert_error(response, 409, "session_not_ready")
    assert "STOPPED" in error["message"]


@pytest.mark.usefixtures("engine_host")
async def test_me_is_409_until_the_session_is_working(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    session = await create_session(client, account)
    await session_in_status(client, account, session["id"], "SCAN_QR_CODE")
    path = f"/v1/sessions/{session['id']}/me"

    error = assert_error(await client.get(path, headers=account.headers), 409, "session_not_ready")
    assert "SCAN_QR_CODE" in error["message"]
    linked = await client.post(
        f"/v1/sandbox/sessions/{session['id']}/link",
        headers=account.headers,
        json={"phone_number": PHONE},
    )
    assert linked.status_code == 200, linked.text
    await session_in_status(client, account, session["id"], "WORKING")
    me = await client.get(path, headers=account.headers)
    assert me.status_code == 200
    assert me.json()["phone_number"] == PHONE


@pytest.mark.parametrize(
    ("operation", "method", "suffix", "body"),
    [
        ("pairing_code", "POST", "pairing-code", {"phone_number": PHONE}),
        ("qr", "GET", "qr", None),
        ("logout", "POST", "logout", None),
        ("me", "GET", "me", None),
    ],
)
async def test_operations_the_engine_refuses_are_501(
    client: httpx.AsyncClient,
    account: TestAccount,
    operation: str,
    method: str,
    suffix: str,
    body: dict[str, Any] | None,
) -> None:
    session = await create_session(
        client, account, start=False, sandbox={"unsupported": [operation]}
    )
    assert session["config"]["sandbox"]["unsupported"] == [operation]
    response = await client.request(
        method, f"/v1/sessions/{session['id']}/{suffix}", headers=account.headers, json=body
    )
    assert response.status_code == 501, response.text
    error = response.json()["error"]
    assert error["code"] == "engine_unsupported"
    assert operation in error["message"]
    assert "sandbox" in error["message"]


async def test_an_unknown_unsupported_operation_is_422(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    response = await create(
        client, account, name="support", config={"sandbox": {"unsupported": ["teleport"]}}
    )
    assert_error(response, 422, "parameter_invalid", param="config.sandbox.unsupported[0]")


# -- the sandbox control endpoints ----------------------------------------------------


async def test_linking_a_stopped_session_is_409(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    session = await create_session(client, account, start=False)
    response = await client.post(
        f"/v1/sandbox/sessions/{session['id']}/link", headers=account.headers
    )
    error = assert_error(response, 409, "session_not_ready")
    assert "STOPPED" in error["message"]


@pytest.mark.usefixtures("engine_host")
async def test_linking_a_working_session_again_is_409(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    session = await create_session(client, account, auto_link=True)
    working = await session_in_status(client, account, session["id"], "WORKING")

    response = await client.post(
        f"/v1/sandbox/sessions/{session['id']}/link",
        headers=account.headers,
        json={"phone_number": PHONE},
    )
    assert_error(response, 409, "session_not_ready")
    await stays(client, account, session["id"], what_a_user_sees(working), seconds=0.3)


async def test_inbound_before_the_session_is_linked_is_409(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    session = await create_session(client, account, start=False)
    response = await client.post(
        f"/v1/sandbox/sessions/{session['id']}/inbound", headers=account.headers, json=INBOUND
    )
    assert_error(response, 409, "session_not_ready")


@pytest.mark.parametrize(
    ("body", "code", "param"),
    [
        ({"from": "+12025550199"}, "parameter_invalid", None),
        ({"from": "+12025550199", "text": None, "media": None}, "parameter_invalid", None),
        ({"text": "hello"}, "parameter_missing", "from"),
        ({**INBOUND, "group_id": "not-a-group"}, "parameter_invalid", "group_id"),
        ({**INBOUND, "group_id": "120363012345678901@c.us"}, "parameter_invalid", "group_id"),
        ({**INBOUND, "from_lid": "12345"}, "parameter_invalid", "from_lid"),
        ({**INBOUND, "subject": "hi"}, "parameter_unknown", "subject"),
    ],
)
async def test_malformed_inbound_is_422(
    client: httpx.AsyncClient,
    account: TestAccount,
    body: dict[str, Any],
    code: str,
    param: str | None,
) -> None:
    session = await create_session(client, account, start=False)
    response = await client.post(
        f"/v1/sandbox/sessions/{session['id']}/inbound", headers=account.headers, json=body
    )
    assert_error(response, 422, code, param=param)


@pytest.mark.usefixtures("engine_host")
@pytest.mark.parametrize("sender", ["abc", "12", "+1"])
async def test_inbound_from_an_invalid_number_is_422(
    client: httpx.AsyncClient, account: TestAccount, sender: str
) -> None:
    session = await create_session(client, account, auto_link=True)
    await session_in_status(client, account, session["id"], "WORKING")
    response = await client.post(
        f"/v1/sandbox/sessions/{session['id']}/inbound",
        headers=account.headers,
        json={"from": sender, "text": "hello"},
    )
    error = assert_error(response, 422, "parameter_invalid", param="from")
    assert sender in error["message"]


# -- repeated commands ----------------------------------------------------------------


@pytest.mark.usefixtures("engine_host")
async def test_stopping_a_stopped_session_is_harmless(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    session = await create_session(client, account, start=False)
    for _ in range(2):
        response = await client.post(f"/v1/sessions/{session['id']}/stop", headers=account.headers)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "STOPPED"
        assert response.json()["desired_state"] == "stopped"
    await stays(client, account, session["id"], what_a_user_sees(session))


@pytest.mark.usefixtures("engine_host")
async def test_starting_a_running_session_is_harmless(
    client: httpx.AsyncClient, account: TestAccount
) -> None:
    session = await create_session(client, account, auto_link=True)
    working = await session_in_status(client, account, session["id"], "WORKING")

    response = await client.post(f"/v1/sessions/{session['id']}/start", headers=account.headers)
    assert response.status_code == 200, response.text
    assert what_a_user_sees(response.json()) == what_a_user_sees(working)
    # Not restarted: still WORKING, same link, no new status changes.
    await stays(client, account, session["id"], what_a_user_sees(working))


@pytest.mark.usefixtures("engine_host")
async def test_deleting_twice_succeeds_and_the_session_is_gone(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], account: TestAccount
) -> None:
    session = await create_session(client, account)
    kept = await create_session(client, account, name="kept", start=False)
    await session_in_status(client, account, session["id"], "SCAN_QR_CODE")
    path = f"/v1/sessions/{session['id']}"
    deleted = {"id": session["id"], "object": "session", "deleted": True}

    first = await client.delete(path, headers=account.headers)
    assert first.status_code == 200, first.text
    assert first.json() == deleted
    second = await client.delete(path, headers=account.headers)
    assert second.status_code == 200, second.text
    assert second.json() == deleted

    fetched = await client.get(path, headers=account.headers)
    assert_error(fetched, 404, "resource_missing", param="id")
    start = await client.post(f"{path}/start", headers=account.headers)
    assert_error(start, 404, "resource_missing", param="id")
    assert await listed_ids(client, account) == [kept["id"]]

    # Once the engine host has stopped it for good, deleting again still succeeds.
    async def row() -> Session | None:
        async with sessionmaker() as db:
            return await db.get(Session, session["id"])

    tombstone = await eventually(row, lambda r: r is not None and r.desired_state == "stopped")
    assert tombstone is not None
    assert tombstone.status == "STOPPED"
    third = await client.delete(path, headers=account.headers)
    assert third.status_code == 200, third.text
    assert third.json() == deleted
    assert await listed_ids(client, account) == [kept["id"]]
