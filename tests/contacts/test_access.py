"""Who reaches the contacts, chats and groups of a session, and how these routes refuse:
other accounts, key scopes, engines lacking an operation, sessions not WORKING, and
malformed input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.engines.sandbox.directory import lid_of
from tests.factories import (
    TestAccount,
    create_account,
    create_api_key,
    create_session,
    session_in_status,
)

pytestmark = pytest.mark.usefixtures("engine_host")

ADA, GRACE, ALAN, PAUL = "+12025550111", "+12025550112", "+12025550113", "+12025550131"
ADA_ID = "12025550111@c.us"
UNKNOWN_GROUP = "120363000000000001@g.us"


def assert_error(
    response: httpx.Response,
    status_code: int,
    code: str,
    *,
    param: str | None = None,
    type: str = "invalid_request_error",
) -> dict[str, Any]:
    assert response.status_code == status_code, response.text
    error: dict[str, Any] = response.json()["error"]
    assert (error["type"], error["code"], error["param"]) == (type, code, param), error
    return error


def ok(response: httpx.Response, status_code: int = 200) -> dict[str, Any]:
    assert response.status_code == status_code, response.text
    body: dict[str, Any] = response.json()
    return body


async def working_session(
    client: httpx.AsyncClient, account: TestAccount, name: str = "main", **sandbox: Any
) -> str:
    session = await create_session(client, account, name=name, auto_link=True, sandbox=sandbox)
    await session_in_status(client, account, session["id"], "WORKING")
    return str(session["id"])


@dataclass(frozen=True)
class Owned:
    """Account A with a WORKING session and a group it created (so also a group chat)."""

    account: TestAccount
    session_id: str
    group: dict[str, Any]
    invite_code: str

    @property
    def path(self) -> str:
        return f"/v1/sessions/{self.session_id}"

    @property
    def group_id(self) -> str:
        return str(self.group["id"])


@pytest.fixture
async def owner(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker, name="Owner")


@pytest.fixture
async def stranger(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker, name="Stranger")


@pytest.fixture
async def owned(client: httpx.AsyncClient, owner: TestAccount) -> Owned:
    sid = await working_session(client, owner)
    group = ok(
        await client.post(
            f"/v1/sessions/{sid}/groups",
            headers=owner.headers,
            json={"subject": "Launch", "participants": [ADA, GRACE]},
        ),
        201,
    )
    invite = ok(
        await client.get(f"/v1/sessions/{sid}/groups/{group['id']}/invite", headers=owner.headers)
    )
    return Owned(owner, sid, group, str(invite["code"]))


async def assert_untouched(client: httpx.AsyncClient, owned: Owned) -> None:
    """A still sees its one group as created (same invite), Ada unblocked, and the group
    chat neither archived nor marked unread."""
    headers = owned.account.headers
    groups = ok(await client.get(f"{owned.path}/groups", headers=headers))["data"]
    assert [(g["id"], g["subject"]) for g in groups] == [(owned.group_id, "Launch")]
    members = {p["id"]: p["role"] for p in groups[0]["participants"]}
    assert members == {p["id"]: p["role"] for p in owned.group["participants"]}
    assert len(members) == 3
    invite = ok(await client.get(f"{owned.path}/groups/{owned.group_id}/invite", headers=headers))
    assert invite["code"] == owned.invite_code
    ada = ok(await client.get(f"{owned.path}/contacts/{ADA_ID}", headers=headers))
    assert ada["blocked"] is False
    chats = ok(await client.get(f"{owned.path}/chats", headers=headers))["data"]
    seen = [(c["id"], c["archived"], c["marked_unread"]) for c in chats]
    assert seen == [(owned.group_id, False, False)]


# -- tenant isolation ----------------------------------------------------------------------

ATTEMPTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/contacts", None),
    ("GET", f"/contacts/{ADA_ID}", None),
    ("POST", "/contacts/check", {"numbers": [ADA]}),
    ("POST", f"/contacts/{ADA_ID}/block", None),
    ("POST", f"/contacts/{ADA_ID}/unblock", None),
    ("GET", f"/contacts/{ADA_ID}/picture", None),
    ("GET", f"/contacts/{ADA_ID}/about", None),
    ("GET", f"/lids/{lid_of(ADA)}", None),
    ("GET", f"/lids/by-phone/{ADA}", None),
    ("GET", "/chats", None),
    ("GET", "/chats/{gid}", None),
    ("POST", "/chats/{gid}/archive", None),
    ("POST", "/chats/{gid}/unread", None),
    ("DELETE", "/chats/{gid}", None),
    ("GET", "/chats/{gid}/messages", None),
    ("POST", "/groups", {"subject": "Hijack", "participants": [ALAN]}),
    ("GET", "/groups", None),
    ("GET", "/groups/{gid}", None),
    ("PATCH", "/groups/{gid}", {"subject": "Hijacked"}),
    ("POST", "/groups/{gid}/participants/add", {"participants": [ALAN]}),
    ("POST", "/groups/{gid}/participants/remove", {"participants": [GRACE]}),
    ("GET", "/groups/{gid}/invite", None),
    ("POST", "/groups/{gid}/invite/revoke", None),
    ("GET", "/groups/join-info?code={code}", None),
    ("POST", "/groups/join", {"code": "{code}"}),
    ("POST", "/groups/{gid}/leave", None),
]


@pytest.mark.parametrize(
    ("method", "route", "body"), ATTEMPTS, ids=[f"{m} {r}" for m, r, _ in ATTEMPTS]
)
async def test_another_accounts_session_looks_missing_and_stays_untouched(
    client: httpx.AsyncClient,
    owned: Owned,
    stranger: TestAccount,
    method: str,
    route: str,
    body: dict[str, Any] | None,
) -> None:
    values = {"gid": owned.group_id, "code": owned.invite_code}
    path = owned.path + route.format(**values)
    if body is not None:
        body = {k: v.format(**values) if isinstance(v, str) else v for k, v in body.items()}
    response = await client.request(method, path, headers=stranger.headers, json=body)
    error = assert_error(response, 404, "resource_missing", param="id")
    assert owned.session_id in error["message"]
    await assert_untouched(client, owned)


async def test_another_accounts_group_is_out_of_reach_of_its_own_session(
    client: httpx.AsyncClient, owned: Owned, stranger: TestAccount
) -> None:
    # The sandbox network is one per account: B's phone is not in A's world at all.
    theirs = f"/v1/sessions/{await working_session(client, stranger)}/groups"
    headers = stranger.headers
    gid = owned.group_id
    for method, path, body in [
        ("GET", f"{theirs}/{gid}", None),
        ("PATCH", f"{theirs}/{gid}", {"subject": "Hijacked"}),
        ("POST", f"{theirs}/{gid}/participants/add", {"participants": [ALAN]}),
        ("POST", f"{theirs}/{gid}/leave", None),
    ]:
        response = await client.request(method, path, headers=headers, json=body)
        assert_error(response, 404, "resource_missing", param="group_id")

    code = owned.invite_code
    joined = await client.post(f"{theirs}/join", headers=headers, json={"code": code})
    assert_error(joined, 404, "resource_missing", param="code")
    info = await client.get(f"{theirs}/join-info", headers=headers, params={"code": code})
    assert_error(info, 404, "resource_missing", param="code")

    assert ok(await client.get(theirs, headers=headers))["data"] == []
    await assert_untouched(client, owned)


# -- scopes ----------------------------------------------------------------------------------


async def test_a_contacts_read_key_lists_but_cannot_block(
    client: httpx.AsyncClient, owned: Owned, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    reader = await create_api_key(sessionmaker, owned.account.id, scopes={"contacts": "read"})
    listed = ok(await client.get(f"{owned.path}/contacts", headers=reader.headers))
    assert ADA_ID in [c["id"] for c in listed["data"]]

    blocked = await client.post(f"{owned.path}/contacts/{ADA_ID}/block", headers=reader.headers)
    assert_error(blocked, 403, "insufficient_scope", type="permission_error")
    await assert_untouched(client, owned)


async def test_a_groups_read_key_lists_but_cannot_create(
    client: httpx.AsyncClient, owned: Owned, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    reader = await create_api_key(sessionmaker, owned.account.id, scopes={"groups": "read"})
    listed = ok(await client.get(f"{owned.path}/groups", headers=reader.headers))
    assert [g["id"] for g in listed["data"]] == [owned.group_id]

    created = await client.post(
        f"{owned.path}/groups",
        headers=reader.headers,
        json={"subject": "Sneaky", "participants": [ALAN]},
    )
    assert_error(created, 403, "insufficient_scope", type="permission_error")
    await assert_untouched(client, owned)


async def test_chats_need_the_messages_scope(
    client: httpx.AsyncClient, owned: Owned, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    key = await create_api_key(
        sessionmaker, owned.account.id, scopes={"contacts": "write", "groups": "write"}
    )
    ok(await client.get(f"{owned.path}/contacts", headers=key.headers))
    chats = await client.get(f"{owned.path}/chats", headers=key.headers)
    assert_error(chats, 403, "insufficient_scope", type="permission_error")

    reader = await create_api_key(sessionmaker, owned.account.id, scopes={"messages": "read"})
    listed = ok(await client.get(f"{owned.path}/chats", headers=reader.headers))
    assert [c["id"] for c in listed["data"]] == [owned.group_id]


async def test_a_key_restricted_to_another_session_finds_no_contacts_here(
    client: httpx.AsyncClient, owned: Owned, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    other = await create_session(client, owned.account, name="other", start=False)
    narrowed = await create_api_key(sessionmaker, owned.account.id, session_id=other["id"])
    response = await client.get(f"{owned.path}/contacts", headers=narrowed.headers)
    assert_error(response, 404, "resource_missing", param="id")
    groups = await client.get(f"{owned.path}/groups", headers=narrowed.headers)
    assert_error(groups, 404, "resource_missing", param="id")


# -- engines lacking an operation, sessions not WORKING --------------------------------------


async def test_operations_the_engine_lacks_answer_501_and_do_nothing(
    client: httpx.AsyncClient, owner: TestAccount
) -> None:
    unsupported = ["groups_manage", "contacts_check", "chats_manage"]
    path = f"/v1/sessions/{await working_session(client, owner, unsupported=unsupported)}"
    headers = owner.headers
    for method, route, body in [
        ("POST", "/groups", {"subject": "Launch", "participants": [ADA]}),
        ("POST", "/contacts/check", {"numbers": [ADA]}),
        ("POST", f"/chats/{ADA_ID}/archive", None),
    ]:
        response = await client.request(method, path + route, headers=headers, json=body)
        error = assert_error(response, 501, "engine_unsupported")
        assert "sandbox" in error["message"], route

    # What the engine can do still works, and the refused create made no group.
    assert ok(await client.get(f"{path}/groups", headers=headers))["data"] == []
    ok(await client.get(f"{path}/contacts", headers=headers))


async def test_a_stopped_session_refuses_engine_reads_but_lists_chat_messages(
    client: httpx.AsyncClient, owner: TestAccount
) -> None:
    session = await create_session(client, owner, start=False, auto_link=True)
    path = f"/v1/sessions/{session['id']}"
    for route in ("/contacts", "/groups", "/chats"):
        response = await client.get(path + route, headers=owner.headers)
        assert_error(response, 409, "session_not_ready")

    # A message queued while stopped is in the gateway's records, so the chat shows it.
    queued = ok(
        await client.post(
            f"{path}/messages",
            headers=owner.headers,
            json={"type": "text", "chat_id": ADA, "text": "See you Monday"},
        ),
        202,
    )
    messages = ok(await client.get(f"{path}/chats/{ADA_ID}/messages", headers=owner.headers))
    assert [m["id"] for m in messages["data"]] == [queued["id"]]
    other_chat = ok(await client.get(f"{path}/chats/{GRACE}/messages", headers=owner.headers))
    assert other_chat["data"] == []


# -- malformed input -------------------------------------------------------------------------

TOO_MANY = [f"+1202555{n:04d}" for n in range(1000, 1051)]
BAD_INPUT: list[tuple[str, str, dict[str, Any] | None, str]] = [
    ("POST", "/contacts/check", {"numbers": TOO_MANY}, "numbers"),
    ("GET", "/contacts/not-a-number", None, "contact_id"),
    ("GET", "/groups/123@c.us", None, "group_id"),
    ("POST", f"/groups/{UNKNOWN_GROUP}/participants/explode", {"participants": [ADA]}, "action"),
    ("POST", "/groups", {"subject": "Empty", "participants": []}, "participants"),
    ("POST", "/groups/join", {"code": "!!"}, "code"),
]


@pytest.mark.parametrize(
    ("method", "route", "body", "param"), BAD_INPUT, ids=[p for *_, p in BAD_INPUT]
)
async def test_malformed_input_is_refused_naming_the_parameter(
    client: httpx.AsyncClient,
    owner: TestAccount,
    method: str,
    route: str,
    body: dict[str, Any] | None,
    param: str,
) -> None:
    path = f"/v1/sessions/{await working_session(client, owner)}"
    response = await client.request(method, path + route, headers=owner.headers, json=body)
    assert_error(response, 422, "parameter_invalid", param=param)
    assert ok(await client.get(f"{path}/groups", headers=owner.headers))["data"] == []


async def test_a_group_with_someone_not_on_whatsapp_is_not_created(
    client: httpx.AsyncClient, owner: TestAccount
) -> None:
    path = f"/v1/sessions/{await working_session(client, owner)}"
    response = await client.post(
        f"{path}/groups",
        headers=owner.headers,
        json={"subject": "Launch", "participants": [PAUL, ADA]},
    )
    error = assert_error(response, 422, "participant_not_on_whatsapp", param="participants.0")
    assert PAUL.lstrip("+") in error["message"]
    assert ok(await client.get(f"{path}/groups", headers=owner.headers))["data"] == []


async def test_a_group_picture_from_missing_media_is_404(
    client: httpx.AsyncClient, owned: Owned
) -> None:
    response = await client.patch(
        f"{owned.path}/groups/{owned.group_id}",
        headers=owned.account.headers,
        json={"subject": "Renamed", "picture": {"media_id": "med_01JA2B3C4D5E6F7G8H9J0KMNPQ"}},
    )
    assert_error(response, 404, "resource_missing", param="picture.media_id")
    group = ok(
        await client.get(f"{owned.path}/groups/{owned.group_id}", headers=owned.account.headers)
    )
    assert (group["subject"], group["picture_url"]) == ("Launch", None)
