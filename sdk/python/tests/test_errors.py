"""Error answers as typed errors; retries of what is worth retrying, and only that."""

from __future__ import annotations

import pytest
from live_gateway import LiveGateway, free_port
from support import RecordingTransport

from gateway_sdk import (
    AsyncGateway,
    AuthenticationError,
    Gateway,
    GatewayConnectionError,
    GatewayError,
    InvalidRequestError,
    NotFoundError,
    RateLimitError,
    api,
)
from gateway_sdk.models import ApiKeyCreate, SessionCreate

UNKNOWN_SESSION = "ses_01JZZZZZZZZZZZZZZZZZZZZZZZ"


def test_a_bad_key_is_an_authentication_error_not_retried(live: LiveGateway) -> None:
    transport = RecordingTransport()
    bad_key = "gw_test_" + "x" * 36
    with (
        Gateway(api_key=bad_key, base_url=live.base_url, transport=transport) as gw,
        pytest.raises(AuthenticationError) as refused,
    ):
        gw.account.retrieve_account()
    error = refused.value
    assert isinstance(error, GatewayError)
    assert error.status == 401
    assert error.type == "authentication_error"
    assert "api_key" in error.code
    assert error.request_id is not None
    assert error.request_id.startswith("req_")
    assert error.request_id == error.headers["request-id"]
    assert error.request_id in str(error)
    assert len(transport.attempts) == 1


def test_an_unknown_object_is_not_found_and_a_bad_parameter_names_its_param(gw: Gateway) -> None:
    with pytest.raises(NotFoundError) as missing:
        gw.sessions.retrieve_session(UNKNOWN_SESSION)
    assert isinstance(missing.value, InvalidRequestError)
    assert missing.value.status == 404
    assert missing.value.code == "resource_missing"
    assert missing.value.param == "id"  # the gateway names the object's id, not the path's name
    assert missing.value.request_id is not None

    with pytest.raises(InvalidRequestError) as invalid:
        gw.sessions.create_session(body=SessionCreate(name="not a valid name!"))
    assert invalid.value.status == 422
    assert invalid.value.param == "name"
    assert invalid.value.type == "invalid_request_error"


def test_the_generated_functions_raise_the_same_typed_errors(gw: Gateway) -> None:
    with pytest.raises(NotFoundError):
        api.sessions.retrieve_session.sync(UNKNOWN_SESSION, client=gw.raw)
    answer = api.account.retrieve_account.sync_detailed(client=gw.raw)
    assert answer.status_code == 200
    assert answer.headers["request-id"].startswith("req_")


def test_a_429_is_retried_after_the_retry_after_the_gateway_asked_for(
    gw: Gateway, live: LiveGateway
) -> None:
    tiny = gw.api_keys.create_api_key(body=ApiKeyCreate(name="tiny", rate_limit="1/second"))
    transport = RecordingTransport()
    with Gateway(
        api_key=tiny.secret, base_url=live.base_url, max_retries=3, transport=transport
    ) as patient:
        for _ in range(3):
            assert patient.account.retrieve_account().object_ == "account"
    attempts = transport.attempts
    limited = [i for i, attempt in enumerate(attempts) if attempt.status == 429]
    assert limited, f"no 429 in {[a.status for a in attempts]}"
    for i in limited:
        refused, following = attempts[i], attempts[i + 1]
        assert refused.retry_after is not None, "a 429 without Retry-After"
        waited = following.started_at - refused.started_at
        assert waited >= float(refused.retry_after), "retried before the Retry-After"

    # Without retries the 429 reaches the caller, with the wait it asked for.
    def burst(gw: Gateway) -> None:
        for _ in range(5):
            gw.account.retrieve_account()

    impatient = Gateway(api_key=tiny.secret, base_url=live.base_url, max_retries=0)
    with impatient, pytest.raises(RateLimitError) as throttled:
        burst(impatient)
    assert throttled.value.status == 429
    assert throttled.value.code == "rate_limit_exceeded"
    assert throttled.value.retry_after is not None
    assert throttled.value.retry_after >= 0


def test_an_unreachable_gateway_is_a_connection_error_after_bounded_retries(
    live: LiveGateway,
) -> None:
    transport = RecordingTransport()
    nowhere = f"http://127.0.0.1:{free_port()}"  # free: nothing listens there
    with (
        Gateway(api_key=live.api_key, base_url=nowhere, max_retries=2, transport=transport) as gw,
        pytest.raises(GatewayConnectionError, match="Could not reach the gateway"),
    ):
        gw.account.retrieve_account()
    assert len(transport.attempts) == 3


def test_the_key_and_address_come_from_the_environment(
    live: LiveGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEWAY_API_KEY", live.api_key)
    monkeypatch.setenv("GATEWAY_BASE_URL", f"{live.base_url}/")
    with Gateway() as gw:
        assert gw.base_url == live.base_url
        assert gw.account.retrieve_account().object_ == "account"
    monkeypatch.delenv("GATEWAY_API_KEY")
    with pytest.raises(ValueError, match="GATEWAY_API_KEY"):
        Gateway()


@pytest.mark.anyio
async def test_the_async_client_raises_the_same_typed_errors(live: LiveGateway) -> None:
    async with AsyncGateway(api_key=live.api_key, base_url=live.base_url) as gw:
        with pytest.raises(NotFoundError) as missing:
            await gw.sessions.retrieve_session(UNKNOWN_SESSION)
        assert missing.value.param == "id"  # the gateway names the object's id, not the path's name
        with pytest.raises(InvalidRequestError) as invalid:
            await gw.sessions.create_session(body=SessionCreate(name="not a valid name!"))
        assert invalid.value.param == "name"
    async with AsyncGateway(api_key="gw_test_" + "y" * 36, base_url=live.base_url) as bad:
        with pytest.raises(AuthenticationError):
            await bad.account.retrieve_account()
    nowhere = f"http://127.0.0.1:{free_port()}"
    async with AsyncGateway(api_key=live.api_key, base_url=nowhere, max_retries=1) as gone:
        with pytest.raises(GatewayConnectionError):
            await gone.account.retrieve_account()
