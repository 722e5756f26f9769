"""``/metrics``: Prometheus's text format. Not an operation of the public API (it is
left out of the OpenAPI document); an operator setting protects or disables it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from gateway.kit.state import app_state
from gateway.metrics.service import AppMetrics, check_token

router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    exporter: AppMetrics = request.app.state.metrics
    check_token(exporter.token, request.headers)
    body = await exporter.render(app_state(request))
    return Response(body, media_type=CONTENT_TYPE_LATEST)
