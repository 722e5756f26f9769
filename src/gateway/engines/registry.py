"""The engines this build has; ``POST /v1/sessions`` takes one of these names."""

from __future__ import annotations

from gateway.engines.base import Engine
from gateway.engines.cloud.engine import CloudEngine
from gateway.engines.sandbox.engine import SandboxEngine
from gateway.engines.web.engine import WebEngine

ENGINES: dict[str, type[Engine]] = {
    SandboxEngine.name: SandboxEngine,
    CloudEngine.name: CloudEngine,
    WebEngine.name: WebEngine,
}

__all__ = ["ENGINES", "Engine"]
