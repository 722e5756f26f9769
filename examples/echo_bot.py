"""An echo bot with the Python SDK: every text message a session receives is sent back.

    python examples/echo_bot.py [BASE_URL] [API_KEY] [--session ID] [--exit-after N]

It polls `GET /v1/events` for `message.received` events newer than the last one it handled
(a cursor, so nothing is missed or answered twice while it runs) and replies to each with
the same text, quoting it. Each reply's `Idempotency-Key` is made of the event's id, so a
reply retried after a lost answer is still sent once. Without `--session` it creates a
sandbox session that links itself and prints how to write to it. With `--exit-after N` it
exits 0 after N replies (for scripts). BASE_URL and API_KEY default to GATEWAY_URL (else
http://127.0.0.1:8000) and GATEWAY_API_KEY. Needs the SDK (`make install` puts it in the
gateway's virtualenv).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import sys
import time

from gateway_sdk import Gateway, parse_event
from gateway_sdk.models import (
    EventOut,
    ListEventsTypeType0Item,
    MessageReceivedEvent,
    SandboxConfig,
    SessionConfig,
    SessionCreate,
    TextSend,
)

MESSAGE_RECEIVED = [ListEventsTypeType0Item.MESSAGE_RECEIVED]


def create_sandbox_session(gw: Gateway) -> str:
    config = SessionConfig(sandbox=SandboxConfig(auto_link=True))
    session = gw.sessions.create_session(
        body=SessionCreate(name=f"echo-bot-{secrets.token_hex(3)}", config=config)
    )
    print(f"created the sandbox session {session.id}; have someone write to it:")
    print(
        f"  curl -X POST {gw.base_url}/v1/sandbox/sessions/{session.id}/inbound"
        ' -H "Authorization: Bearer $GATEWAY_API_KEY" -H "Content-Type: application/json"'
        """ -d '{"from": "+12025550199", "text": "Hello bot"}'"""
    )
    return session.id


def newest_event_id(gw: Gateway, session_id: str) -> str:
    """Where to start: messages received before the bot started are not answered."""
    while True:
        # Any type will do as a cursor; a session has events from its creation on.
        page = gw.events.list_events(session_id=session_id, limit=1)
        if page.data:
            return page.data[0].id
        time.sleep(1)


def echo(gw: Gateway, session_id: str, event: EventOut) -> bool:
    """Reply to a received text with the same text; False for anything else."""
    received = parse_event(event)
    if not isinstance(received, MessageReceivedEvent):
        return False
    message = received.data.message
    if not isinstance(message.text, str) or not message.text:
        return False  # a photo, a location …: nothing to echo
    reply = TextSend(chat_id=message.chat_id, type_="text", text=message.text, reply_to=message.id)
    sent = gw.messages.send_message(session_id, body=reply, idempotency_key=f"echo-{event.id}")
    print(f"{message.chat_id}: {message.text!r} -> {sent.id}", flush=True)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", nargs="?", default=os.environ.get("GATEWAY_URL"))
    parser.add_argument("api_key", nargs="?", default=os.environ.get("GATEWAY_API_KEY"))
    parser.add_argument("--session", help="the session to answer for (default: a new one)")
    parser.add_argument("--exit-after", type=int, default=None, metavar="N")
    args = parser.parse_args()
    if not args.api_key:
        sys.exit("usage: echo_bot.py [BASE_URL] API_KEY  (or set GATEWAY_API_KEY)")

    with Gateway(api_key=args.api_key, base_url=args.base_url) as gw:
        session_id = args.session or create_sandbox_session(gw)
        cursor = newest_event_id(gw, session_id)
        replies = 0
        print(f"echoing the messages {session_id} receives; Ctrl-C stops", flush=True)
        while args.exit_after is None or replies < args.exit_after:
            # With `ending_before`, the pages run from the cursor towards the newest event,
            # oldest first: the messages are answered in the order they arrived.
            events = list(
                gw.paginate(
                    gw.events.list_events,
                    session_id=session_id,
                    type_=MESSAGE_RECEIVED,
                    ending_before=cursor,
                )
            )
            if not events:
                time.sleep(1)  # nothing new: look again in a second
            for event in events:
                cursor = event.id
                if echo(gw, session_id, event):
                    replies += 1
                if replies == args.exit_after:
                    break


if __name__ == "__main__":
    # Ctrl-C is how it is meant to stop: no traceback for it.
    with contextlib.suppress(KeyboardInterrupt):
        main()
