"""A webhook receiver that verifies the gateway's signatures (Standard Webhooks).

    GATEWAY_WEBHOOK_SECRET=whsec_… python examples/webhook_receiver.py [--port 9000]

Point a webhook endpoint at it (`POST /v1/webhooks` with `"url":
"http://127.0.0.1:9000/hooks"`; the secret is in the answer). Every delivery is verified
with the `standardwebhooks` library: a bad or missing signature is answered 401 and
printed nothing; a good one prints one line per event and is answered 204. Deliveries are
retried, so the receiver deduplicates on `webhook-id` (the event id). With
`--exit-after N` it stops after N events (for scripts). Needs fastapi, uvicorn and
standardwebhooks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import uvicorn
from fastapi import FastAPI, Request, Response
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def create_receiver(secret: str, exit_after: int | None = None) -> FastAPI:
    app = FastAPI()
    verifier = Webhook(secret)
    seen: set[str] = set()

    @app.post("/hooks")
    async def receive(request: Request) -> Response:
        body = await request.body()
        try:
            event = verifier.verify(body, dict(request.headers))
        except WebhookVerificationError:
            return Response(status_code=401)
        if event["id"] not in seen:  # a retry of an event already handled
            seen.add(event["id"])
            session = (event.get("session") or {}).get("id")
            print(json.dumps({"id": event["id"], "type": event["type"], "session": session}))
            sys.stdout.flush()
            if exit_after is not None and len(seen) >= exit_after:
                app.state.server.should_exit = True
        return Response(status_code=204)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--exit-after", type=int, default=None)
    args = parser.parse_args()
    secret = os.environ.get("GATEWAY_WEBHOOK_SECRET")
    if not secret:
        sys.exit("Set GATEWAY_WEBHOOK_SECRET to the endpoint's secret (whsec_…).")
    app = create_receiver(secret, args.exit_after)
    server = uvicorn.Server(
        uvicorn.Config(app, host=args.host, port=args.port, log_level="warning")
    )
    app.state.server = server
    server.run()


if __name__ == "__main__":
    main()
