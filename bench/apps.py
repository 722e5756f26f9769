"""The two servers the benchmarks compare, each run by the same uvicorn settings.

    python bench/apps.py {bare,gateway} --port PORT [--host HOST] [--loop LOOP] [--http HTTP]

The gateway is configured from ``GATEWAY_DATABASE_URL``, ``GATEWAY_REDIS_URL`` and
``GATEWAY_SECRET_KEY``, which the benchmark sets for the database it prepared.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Literal

import uvicorn
from fastapi import FastAPI, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.app import create_app
from gateway.config import Settings
from gateway.kit.logging import configure_logging


class BareText(BaseModel):
    """The body of a text message, as the gateway's send endpoint declares it."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["text"]
    chat_id: str = Field(max_length=64)
    text: str = Field(min_length=1, max_length=65_536)
    link_preview: bool = True
    mentions: list[str] = Field(default_factory=list, max_length=256)


def bare_app() -> FastAPI:
    """The baseline: FastAPI and uvicorn with nothing of the gateway around them."""
    app = FastAPI()

    # No response model, as with an unannotated handler: the baseline does no validation.
    @app.get("/bare", response_model=None)
    async def bare() -> dict[str, bool]:
        return {"ok": True}

    # The send endpoint's shape: a path parameter and a JSON body parsed into a model.
    @app.post(
        "/bare/sessions/{session_id}/messages",
        status_code=status.HTTP_202_ACCEPTED,
        response_model=None,
    )
    async def bare_send(session_id: str, body: BareText) -> dict[str, str]:
        return {"session_id": session_id, "chat_id": body.chat_id, "status": "queued"}

    return app


def gateway_app() -> FastAPI:
    """The gateway as ``gateway api`` builds it, logging at WARNING so that the per-request
    access log line is not what is measured."""
    settings = Settings(
        database_url=os.environ["GATEWAY_DATABASE_URL"],
        redis_url=os.environ["GATEWAY_REDIS_URL"],
        secret_key=os.environ["GATEWAY_SECRET_KEY"],
        log_level="WARNING",
    )
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)


APPS: dict[str, Callable[[], FastAPI]] = {"bare": bare_app, "gateway": gateway_app}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", choices=sorted(APPS))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--loop", default="auto", help="uvicorn --loop (auto picks uvloop)")
    parser.add_argument("--http", default="auto", help="uvicorn --http (auto picks httptools)")
    args = parser.parse_args()
    # Whatever differs between the two runs must be the application, never the server.
    uvicorn.run(
        APPS[args.app](),
        host=args.host,
        port=args.port,
        loop=args.loop,
        http=args.http,
        workers=1,
        lifespan="on",
        log_config=None,
        access_log=False,
    )


if __name__ == "__main__":
    main()
