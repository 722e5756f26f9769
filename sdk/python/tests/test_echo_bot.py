"""examples/echo_bot.py against the live gateway: two texts in, the same two texts out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from live_gateway import SDK, LiveGateway
from support import eventually

from gateway_sdk import Gateway
from gateway_sdk.models import InboundRequest, ListMessagesDirectionType0

ECHO_BOT = SDK.parents[1] / "examples" / "echo_bot.py"


@pytest.mark.skipif(not ECHO_BOT.exists(), reason="outside a checkout of the gateway")
def test_the_echo_bot_answers_each_text_with_the_same_text(
    gw: Gateway, live: LiveGateway, session_id: str, tmp_path: Path
) -> None:
    log = tmp_path / "echo.log"
    command = [sys.executable, str(ECHO_BOT), live.base_url, live.api_key]
    command += ["--session", session_id, "--exit-after", "2"]
    with log.open("w") as output:
        bot = subprocess.Popen(  # noqa: S603 - our own example
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            eventually(lambda: "echoing" in log.read_text() or None, what="the bot to start")
            for text in ("Where is my order?", "Thanks!"):
                inbound = InboundRequest(from_="+12025550177", text=text)
                gw.sandbox.sandbox_inject_inbound(session_id, body=inbound)
            assert bot.wait(timeout=30) == 0, log.read_text()
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait()
    echoes = [
        message.content.to_dict().get("text")
        for message in gw.messages.list_messages(
            session_id, direction=ListMessagesDirectionType0.OUTBOUND, limit=5
        ).data
        if message.chat_id.startswith("12025550177")
    ]
    assert echoes == ["Thanks!", "Where is my order?"], log.read_text()
