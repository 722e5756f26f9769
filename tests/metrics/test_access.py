"""Who may read /metrics: a token when one is set, nobody when it is off, and it is no
operation of the public API."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import SecretStr, ValidationError

from gateway.app import create_app
from gateway.config import Settings
from tests.conftest import SECRET_KEY, running
from tests.metrics.scraping import parse

TOKEN = "metrics-token-" + "m" * 32


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["request_id"] == response.headers["request-id"]


async def test_with_a_token_set_only_a_scrape_presenting_it_is_answered(
    settings: Settings,
) -> None:
    app = create_app(settings.model_copy(update={"metrics_token": SecretStr(TOKEN)}))
    async with running(app) as client:
        missing = await client.get("/metrics")
        assert_error(missing, 401, "missing_metrics_token")
        assert missing.json()["error"]["type"] == "authentication_error"
        assert_error(
            await client.get("/metrics", headers={"Authorization": "Bearer wrong"}),
            401,
            "invalid_metrics_token",
        )
        assert_error(
            await client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"}),
            401,
            "missing_metrics_token",
        )
        # The key of an account is not the metrics token either.
        assert_error(
            await client.get("/metrics", headers={"X-Api-Key": TOKEN}), 401, "missing_metrics_token"
        )
        ok = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200
        result = parse(ok.text)
        # The refused scrapes were counted like any request, under the route's template.
        assert (
            result.value(
                "gateway_http_requests_total", method="GET", route="/metrics", status="401"
            )
            == 4
        )


@pytest.mark.parametrize(
    "overrides",
    [
        {"metrics": False},
        # Production without a token: off unless asked for, so a public API port does not
        # show its traffic to anyone.
        {"env": "production"},
    ],
)
async def test_metrics_turned_off_are_not_there(
    settings: Settings, overrides: dict[str, Any]
) -> None:
    app = create_app(Settings(_env_file=None, **{**_values(settings), **overrides}))  # type: ignore[call-arg]
    async with running(app) as client:
        assert_error(await client.get("/metrics"), 404, "route_not_found")
        assert (await client.get("/healthz")).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "headers"),
    [
        ({"env": "production", "metrics_token": TOKEN}, {"Authorization": f"Bearer {TOKEN}"}),
        ({"env": "production", "metrics": True}, {}),  # the operator's explicit choice
    ],
)
async def test_production_serves_metrics_with_a_token_or_when_asked_to(
    settings: Settings, overrides: dict[str, Any], headers: dict[str, str]
) -> None:
    app = create_app(Settings(_env_file=None, **{**_values(settings), **overrides}))  # type: ignore[call-arg]
    async with running(app) as client:
        response = await client.get("/metrics", headers=headers)
        assert response.status_code == 200, response.text
        assert "gateway_http_requests" in parse(response.text).families


def test_production_refuses_a_short_metrics_token(settings: Settings) -> None:
    with pytest.raises(ValidationError, match="GATEWAY_METRICS_TOKEN"):
        Settings(
            _env_file=None, **{**_values(settings), "env": "production", "metrics_token": "short"}
        )  # type: ignore[call-arg]


async def test_metrics_are_no_operation_of_the_public_api(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert "/metrics" not in document["paths"]
    assert (await client.get("/metrics")).status_code == 200


def _values(settings: Settings) -> dict[str, Any]:
    return {
        "database_url": settings.database_url,
        "redis_url": settings.redis_url,
        "data_dir": settings.data_dir,
        "secret_key": SECRET_KEY,
        "log_level": "WARNING",
    }
