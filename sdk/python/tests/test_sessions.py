"""A sandbox session created, linked by the sandbox phone, and WORKING, on both clients."""

from __future__ import annotations

import secrets

import pytest
from live_gateway import LiveGateway
from support import async_session_in_status, sandbox_session, session_in_status

from gateway_sdk import AsyncGateway, Gateway
from gateway_sdk.models import LinkRequest


def test_a_session_is_created_linked_and_working(gw: Gateway) -> None:
    created = gw.sessions.create_session(body=sandbox_session(f"sdk-sync-{secrets.token_hex(3)}"))
    assert created.object_ == "session"
    assert created.engine == "sandbox"
    assert created.id.startswith("ses_")
    session_in_status(gw, created.id, "SCAN_QR_CODE")

    qr = gw.sessions.retrieve_session_qr(created.id)
    assert qr.startswith(b"\x89PNG"), "the QR code as a PNG"
    device = gw.sandbox.sandbox_link_session(created.id, body=LinkRequest(push_name="Acme Support"))
    assert device.linked is True
    working = session_in_status(gw, created.id, "WORKING")
    assert working.me is not None
    assert working.me.push_name == "Acme Support"
    assert working.metadata.to_dict() == {"team": "support"}

    deleted = gw.sessions.delete_session(created.id)
    assert deleted.deleted is True


@pytest.mark.anyio
async def test_the_async_client_creates_and_links_a_session(live: LiveGateway) -> None:
    async with AsyncGateway(api_key=live.api_key, base_url=live.base_url) as gw:
        name = f"sdk-async-{secrets.token_hex(3)}"
        created = await gw.sessions.create_session(body=sandbox_session(name))
        assert created.name == name
        await async_session_in_status(gw, created.id, "SCAN_QR_CODE")
        device = await gw.sandbox.sandbox_link_session(created.id, body=LinkRequest())
        assert device.linked is True
        working = await async_session_in_status(gw, created.id, "WORKING")
        assert working.me is not None
        listed = [s.id async for s in gw.paginate(gw.sessions.list_sessions, limit=2)]
        assert created.id in listed
