"""Forms without this visitor's CSRF token, or sent from another site, change nothing."""

from __future__ import annotations

import httpx

from tests.dashboard.conftest import form_token, signed_in
from tests.factories import TestAccount


async def _session_names(client: httpx.AsyncClient, account: TestAccount) -> list[str]:
    response = await client.get("/v1/sessions", headers=account.headers)
    return [s["name"] for s in response.json()["data"]]


async def test_create_needs_the_token_of_this_sign_in(
    web: httpx.AsyncClient,
    other_web: httpx.AsyncClient,
    client: httpx.AsyncClient,
    account: TestAccount,
) -> None:
    await signed_in(web, account.key)
    await signed_in(other_web, account.key)
    token = await form_token(web)
    other_token = await form_token(other_web)
    assert token != other_token  # bound to the cookie, which each sign-in makes anew
    form = {"name": "sneaky", "engine": "sandbox", "config": "{}"}
    for data, headers in (
        (form, {}),
        ({**form, "csrf_token": ""}, {}),
        ({**form, "csrf_token": token[:-2]}, {}),
        ({**form, "csrf_token": other_token}, {}),
        ({**form, "csrf_token": token}, {"Origin": "http://evil.example"}),
        ({**form, "csrf_token": token}, {"Origin": "null"}),
        ({**form, "csrf_token": token}, {"Sec-Fetch-Site": "same-site"}),
    ):
        response = await web.post("/dashboard/sessions", data=data, headers=headers)
        assert response.status_code == 403, (data, headers)
        assert response.headers["content-type"].startswith("text/html")
        assert "did not come from this dashboard" in response.text or "another site" in (
            response.text
        )
    assert await _session_names(client, account) == []

    # The same form with its token, from the dashboard's own origin, goes through.
    response = await web.post(
        "/dashboard/sessions",
        data={**form, "csrf_token": token},
        headers={"Origin": "http://gateway.test", "Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 303, response.text
    assert await _session_names(client, account) == ["sneaky"]


async def test_actions_and_revoking_need_the_token(
    web: httpx.AsyncClient, client: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    created = await client.post(
        "/v1/sessions", headers=account.headers, json={"name": "kept", "start": False}
    )
    sid = created.json()["id"]
    for path in (
        f"/dashboard/sessions/{sid}/start",
        f"/dashboard/sessions/{sid}/delete",
        f"/dashboard/sessions/{sid}/messages",
        f"/dashboard/api-keys/{account.key_id}/revoke",
        "/dashboard/api-keys",
    ):
        response = await web.post(path, data={"csrf_token": "forged"})
        assert response.status_code == 403, path
    session = await client.get(f"/v1/sessions/{sid}", headers=account.headers)
    assert session.status_code == 200
    assert session.json()["desired_state"] == "stopped"
    keys = await client.get("/v1/api-keys", headers=account.headers)
    assert [k["revoked_at"] for k in keys.json()["data"]] == [None]
