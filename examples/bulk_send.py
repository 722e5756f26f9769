"""A paced bulk send from a CSV of recipients, safe to run twice.

    python examples/bulk_send.py SESSION_ID recipients.csv [--campaign spring] [--text "…"]

The CSV has a `phone` column and optionally `name`. Each row is one message with an
`Idempotency-Key` made of the campaign and the phone number, so running the script again
(after a crash, or by mistake) sends nobody a second message: the gateway answers the
first result again. The gateway paces the session's sends itself (`config.pacing`, on by
default for real engines: a gap and typing before each message), so the script does not
sleep between requests; it then waits until every message is settled and prints a summary.
GATEWAY_URL (default http://127.0.0.1:8000) and GATEWAY_API_KEY come from the
environment. Needs httpx.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

SETTLED = {"delivered", "read", "played", "failed", "expired", "cancelled"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("session_id")
    parser.add_argument("csv", type=Path)
    parser.add_argument("--campaign", default="bulk")
    parser.add_argument("--text", default="Hello {name}, your order has shipped.")
    parser.add_argument("--wait", type=float, default=120, help="Seconds to wait for results.")
    args = parser.parse_args()
    key = os.environ.get("GATEWAY_API_KEY") or sys.exit("Set GATEWAY_API_KEY.")
    base = os.environ.get("GATEWAY_URL", "http://127.0.0.1:8000")
    with args.csv.open(newline="") as f:
        rows = list(csv.DictReader(f))
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as client:
        ids = {}
        for row in rows:
            phone, name = row["phone"].strip(), (row.get("name") or "").strip() or "there"
            response = send(client, args, phone, args.text.format(name=name))
            if response.status_code != 202:
                error = response.json().get("error", {})
                print(f"{phone}: refused, {error.get('code')}: {error.get('message')}")
                continue
            replayed = response.headers.get("idempotent-replayed") == "true"
            ids[phone] = response.json()["id"]
            print(f"{phone}: {ids[phone]}{' (sent before)' if replayed else ''}")
        statuses = wait_until_settled(client, ids, args.wait)
    for phone, status in statuses.items():
        print(f"{phone}: {status}")
    print("summary:", dict(Counter(statuses.values())))


def send(client: httpx.Client, args: argparse.Namespace, phone: str, text: str) -> httpx.Response:
    """One message; over the key's rate limit (429), wait as told and try again: the same
    Idempotency-Key makes the retry safe."""
    for _ in range(5):
        response = client.post(
            f"/v1/sessions/{args.session_id}/messages",
            headers={"Idempotency-Key": f"{args.campaign}:{phone}"},
            json={"type": "text", "chat_id": phone, "text": text},
        )
        if response.status_code != 429:
            break
        time.sleep(float(response.headers.get("retry-after", "1")))
    return response


def wait_until_settled(client: httpx.Client, ids: dict[str, str], within: float) -> dict[str, str]:
    deadline = time.monotonic() + within
    statuses: dict[str, str] = {}
    while True:
        for phone, message_id in ids.items():
            message = client.get(f"/v1/messages/{message_id}").raise_for_status().json()
            statuses[phone] = message["status"]
        if all(s in SETTLED for s in statuses.values()) or time.monotonic() > deadline:
            return statuses
        time.sleep(0.5)


if __name__ == "__main__":
    main()
