"""Changes made through the dashboard are audited as the signed-in key's, via the dashboard."""

from __future__ import annotations

import httpx

from tests.dashboard.conftest import form_token, signed_in
from tests.factories import TestAccount


async def test_a_session_made_in_the_dashboard_is_audited_as_its_key(
    web: httpx.AsyncClient, client: httpx.AsyncClient, account: TestAccount
) -> None:
    await signed_in(web, account.key)
    token = await form_token(web)
    response = await web.post(
        "/dashboard/sessions",
        data={"csrf_token": token, "name": "desk", "engine": "sandbox", "config": "{}"},
    )
    assert response.status_code == 303, response.text
    log = await client.get("/v1/audit-log", headers=account.headers)
    [entry] = log.json()["data"]
    assert entry["action"] == "session.created"
    assert entry["actor"] == {"type": "api_key", "id": account.key_id, "via": "dashboard"}
    assert entry["changes"]["name"] == "desk"
