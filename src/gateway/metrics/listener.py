"""The metrics listener of a standalone worker (``GATEWAY_WORKER_METRICS_PORT``): a small
ASGI app of its own, served by uvicorn in the worker's event loop beside its jobs.

It serves what the process counts (webhook attempts, engine errors, lease takeovers, its
resource use); the deployment-wide gauges come from any API process's ``/metrics``."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from gateway.config import Settings
from gateway.kit.errors import GatewayError
from gateway.kit.ids import new_id
from gateway.kit.middleware import send_error
from gateway.metrics.service import check_token, process_registry


class WorkerMetricsApp:
    def __init__(self, settings: Settings) -> None:
        self.token = settings.metrics_token
        self.registry = process_registry(worker=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # served with lifespan="off": no other kind comes
            return
        request_id = new_id("req")
        if scope["path"] != "/metrics":
            await send_error(
                send, 404, "invalid_request_error", "route_not_found",
                f"Unrecognized request URL ({scope['method']}: {scope['path']}): this "
                "listener serves GET /metrics only.", request_id,
            )  # fmt: skip
            return
        if scope["method"] not in ("GET", "HEAD"):
            await send_error(
                send, 405, "invalid_request_error", "method_not_allowed",
                f"{scope['method']} is not allowed here; use GET.", request_id,
            )  # fmt: skip
            return
        try:
            check_token(self.token, Headers(scope=scope))
        except GatewayError as error:
            await send_error(
                send, error.status_code, error.type, error.code, error.message, request_id
            )
            return
        body = generate_latest(self.registry)
        headers = [
            (b"content-type", CONTENT_TYPE_LATEST.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"request-id", request_id.encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )
