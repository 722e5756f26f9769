"""A sandbox session from creation to its first inbound message.

Creates a session on the sandbox engine, waits for its QR code and saves it as a PNG,
links it as the simulated phone would, waits for WORKING, has a contact send it a
message, and prints the session's events oldest first.

    python examples/sandbox_quickstart.py [BASE_URL] [API_KEY]

BASE_URL and API_KEY default to the environment variables GATEWAY_URL
(else http://127.0.0.1:8000) and GATEWAY_API_KEY. Needs httpx.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from typing import Any

import httpx


def wait_for_status(client: httpx.Client, session_id: str, wanted: str) -> dict[str, Any]:
    """Poll the session until it reaches ``wanted`` (or fail on FAILED / after 30 s)."""
    deadline = time.monotonic() + 30
    while True:
        session: dict[str, Any] = client.get(f"/v1/sessions/{session_id}").raise_for_status().json()
        if session["status"] == wanted:
            return session
        if session["status"] == "FAILED" or time.monotonic() > deadline:
            sys.exit(f"Session is {session['status']} ({session['status_reason']}), not {wanted}.")
        time.sleep(0.2)


def session_events(client: httpx.Client, session_id: str) -> list[dict[str, Any]]:
    """The session's events, oldest first (the API lists newest first)."""
    page = client.get("/v1/events", params={"session_id": session_id, "limit": 100})
    return list(reversed(page.raise_for_status().json()["data"]))


def main() -> None:
    base_url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("GATEWAY_URL")
    api_key = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("GATEWAY_API_KEY")
    if not api_key:
        sys.exit("usage: sandbox_quickstart.py [BASE_URL] API_KEY  (or set GATEWAY_API_KEY)")
    client = httpx.Client(
        base_url=base_url or "http://127.0.0.1:8000",
        headers={"Authorization": f"Bearer {api_key}"},
        timeout=10,
    )

    # 1. Create the session. Sending the request again with the same Idempotency-Key
    #    (after a timeout, say) returns the same session instead of creating a second one.
    request_id = uuid.uuid4().hex[:8]
    created = client.post(
        "/v1/sessions",
        headers={"Idempotency-Key": f"quickstart-{request_id}"},
        json={"name": f"quickstart-{request_id}", "metadata": {"source": "quickstart"}},
    )
    session = created.raise_for_status().json()
    session_id = session["id"]
    print(f"created {session_id} ({session['name']}), status {session['status']}")

    # 2. The engine host picks it up and shows a QR code.
    wait_for_status(client, session_id, "SCAN_QR_CODE")
    png = client.get(f"/v1/sessions/{session_id}/qr").raise_for_status().content
    with open("qr.png", "wb") as file:
        file.write(png)
    print(f"SCAN_QR_CODE: saved the QR code to qr.png ({len(png)} bytes)")

    # 3. Act as the phone scanning it (a real engine waits for a real phone here).
    device = client.post(
        f"/v1/sandbox/sessions/{session_id}/link", json={"push_name": "Acme Support"}
    ).raise_for_status()
    print(f"linked to {device.json()['phone_number']}")
    session = wait_for_status(client, session_id, "WORKING")
    print(f"WORKING as {session['me']['id']}")

    # 4. A contact writes to the session; it arrives as a message.received event.
    client.post(
        f"/v1/sandbox/sessions/{session_id}/inbound",
        json={"from": "+12025550199", "from_name": "Ada", "text": "Hi, is my order on its way?"},
    ).raise_for_status()
    deadline = time.monotonic() + 10
    while not any(e["type"] == "message.received" for e in session_events(client, session_id)):
        if time.monotonic() > deadline:
            sys.exit("The message did not arrive.")
        time.sleep(0.2)

    # 5. Everything that happened, as webhooks and GET /v1/events report it.
    print("\nevents:")
    for event in session_events(client, session_id):
        print(f"{event['created_at']}  {event['id']}  {event['type']}")
        print(f"    {json.dumps(event['data'])}")


if __name__ == "__main__":
    main()
