"""A group in the sandbox from creation to leaving, every step as an event.

Creates a sandbox session that links itself, creates a group with three contacts of the
sandbox's virtual directory, promotes one, renames the group, has a participant post in
it, removes another participant, leaves, and prints the group events and the message.

    python examples/sandbox_groups.py [BASE_URL] [API_KEY]

BASE_URL and API_KEY default to the environment variables GATEWAY_URL
(else http://127.0.0.1:8000) and GATEWAY_API_KEY. Needs httpx.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

ADA, GRACE, ALAN = "+12025550111", "+12025550112", "+12025550113"


def eventually(fetch: Callable[[], Any], done: Callable[[Any], bool], what: str) -> Any:
    """Poll ``fetch`` until ``done`` holds (or give up after 15 s)."""
    deadline = time.monotonic() + 15
    while not done(value := fetch()):
        if time.monotonic() > deadline:
            sys.exit(f"Timed out waiting for {what}.")
        time.sleep(0.2)
    return value


def main() -> None:
    base_url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("GATEWAY_URL")
    api_key = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("GATEWAY_API_KEY")
    if not api_key:
        sys.exit("usage: sandbox_groups.py [BASE_URL] API_KEY  (or set GATEWAY_API_KEY)")
    client = httpx.Client(
        base_url=base_url or "http://127.0.0.1:8000",
        headers={"Authorization": f"Bearer {api_key}"},
        timeout=15,
    )

    def call(method: str, path: str, **kwargs: Any) -> Any:
        response = client.request(method, path, **kwargs)
        if response.is_error:
            sys.exit(f"{method} {path}: {response.status_code} {response.text}")
        return response.json()

    name = f"groups-{uuid.uuid4().hex[:8]}"
    session = call("POST", "/v1/sessions",
                   json={"name": name, "config": {"sandbox": {"auto_link": True}}})  # fmt: skip
    sid = session["id"]
    eventually(lambda: call("GET", f"/v1/sessions/{sid}"), lambda s: s["status"] == "WORKING",
               "the session to be WORKING")  # fmt: skip
    print(f"session {sid} is WORKING")

    groups = f"/v1/sessions/{sid}/groups"
    group = call("POST", groups, json={"subject": "Launch", "participants": [ADA, GRACE, ALAN]})
    gid = group["id"]
    print(f"created {gid}: {[(p['id'], p['role']) for p in group['participants']]}")

    promoted = call("POST", f"{groups}/{gid}/participants/promote", json={"participants": [ADA]})
    print(f"promote Ada: {promoted['results'][0]['status']}")
    renamed = call("PATCH", f"{groups}/{gid}", json={"subject": "Launch day"})
    print(f"subject is now {renamed['subject']!r}")

    call("POST", f"/v1/sandbox/sessions/{sid}/inbound",
         json={"from": GRACE, "group_id": gid, "text": "Ready when you are"})  # fmt: skip
    removed = call("POST", f"{groups}/{gid}/participants/remove", json={"participants": [ALAN]})
    print(f"remove Alan: {removed['results'][0]['status']}")
    call("POST", f"{groups}/{gid}/leave")
    print("left the group")

    def events() -> list[dict[str, Any]]:
        page = call("GET", "/v1/events", params={"session_id": sid, "limit": 100})
        return [
            e for e in reversed(page["data"]) if e["type"].split(".")[0] in ("group", "message")
        ]

    print("\nevents:")
    for event in eventually(events, lambda found: len(found) >= 6, "the events"):
        data = event["data"]
        detail = data.get("action") or data.get("via") or data.get("reason") or data.get("changes")
        if event["type"] == "message.received":
            message = data["message"]
            detail = f"{message['from_id']} in {message['group_id']}: {message['text']!r}"
        print(f"{event['created_at']}  {event['type']:<20} {detail}")


if __name__ == "__main__":
    main()
