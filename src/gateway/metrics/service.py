"""What ``/metrics`` serves and who may read it."""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping

from prometheus_client import CollectorRegistry, ProcessCollector, generate_latest
from prometheus_client.metrics_core import Metric
from pydantic import SecretStr

from gateway.config import Settings
from gateway.kit.errors import AuthenticationFailed
from gateway.kit.state import AppState
from gateway.metrics import process
from gateway.metrics.http import HttpMetrics
from gateway.metrics.state import StateCollector


class _Included:
    """Another registry's metrics, served as part of this one (the worker's, when the
    worker runs in the API's process)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterable[Metric]:
        return self.registry.collect()


def process_registry(*, worker: bool) -> CollectorRegistry:
    """A registry with this process's resource use (CPU, memory, file descriptors) and,
    when it runs a worker, what the worker counts."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    if worker:
        registry.register(_Included(process.REGISTRY))
    return registry


class AppMetrics:
    """An app's metrics: its HTTP requests, the deployment's state, the process's."""

    def __init__(self, settings: Settings, *, worker: bool) -> None:
        self.token = settings.metrics_token
        self.registry = process_registry(worker=worker)
        self.http = HttpMetrics(self.registry)
        self.state = StateCollector(self.registry, settings.metrics_state_seconds)

    async def render(self, state: AppState) -> bytes:
        await self.state.refresh(state.statements, state.redis)
        return generate_latest(self.registry)


def check_token(expected: SecretStr | None, headers: Mapping[str, str]) -> None:
    """With a metrics token set, a scrape must present it as a bearer token."""
    if expected is None or not expected.get_secret_value():
        return
    scheme, _, presented = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        raise AuthenticationFailed(
            "Metrics need the metrics token: Authorization: Bearer <GATEWAY_METRICS_TOKEN>.",
            code="missing_metrics_token",
        )
    if not hmac.compare_digest(presented.strip().encode(), expected.get_secret_value().encode()):
        raise AuthenticationFailed("Invalid metrics token.", code="invalid_metrics_token")
