"""A real child process, driven through ``ChildProcess``."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway.engines.web.process import ChildCallFailed, ChildGone, ChildProcess
from gateway.engines.web.protocol import Event
from tests.waiting import eventually


def process_gone(pid: int, *, zombie_ok: bool = False) -> bool:
    """Not running; and reaped, unless ``zombie_ok`` (an orphan is init's to reap)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return True
    return zombie_ok and state in ("Z", "X")


async def assert_gone(pid: int, *, zombie_ok: bool = False) -> None:
    async def probe() -> bool:
        return process_gone(pid, zombie_ok=zombie_ok)

    await eventually(probe, bool, within=5.0)


async def next_event(child: ChildProcess, type_: str) -> Event:
    async def first() -> Event:
        async for event in child.events():
            if event.type == type_:
                return event
        raise AssertionError(f"the child exited before a {type_} event")

    return await asyncio.wait_for(first(), 5.0)


def send_text(text: str = "hi") -> dict[str, object]:
    return {"message_id": "msg_a", "whatsapp_id": "3EB0AA", "chat_id": "1@c.us",
            "type": "text", "content": {"text": text}, "reply_to": None, "files": {}}  # fmt: skip


@pytest.fixture
async def child() -> AsyncIterator[ChildProcess]:
    child = await ChildProcess.spawn("ses_test", "fake", log_level="WARNING")
    yield child
    await child.close()
    await assert_gone(child.pid)


async def test_the_child_answers_and_reports(child: ChildProcess, device_store: str) -> None:
    options = {"device_store": device_store, "qr_refresh_seconds": 0.1,
               "receipt_delay_seconds": 0.01}  # fmt: skip
    await child.call("start", options=options)
    first, second = await next_event(child, "qr"), await next_event(child, "qr")
    assert first.data["code"] != second.data["code"]  # refreshed

    linked = await child.call("fake_link", phone_number="+15550001111")
    assert linked["jid"] == "15550001111:7@s.whatsapp.net"
    me = (await next_event(child, "linked")).data["me"]
    assert (me["id"], me["phone_number"], me["jid"]) == (
        "15550001111@c.us", "+15550001111", "15550001111:7@s.whatsapp.net",
    )  # fmt: skip

    answer = await child.call("send", **send_text())
    assert answer["message_id"].startswith("3EB0")  # whatsmeow's id, not ours
    delivered, read = await next_event(child, "receipt"), await next_event(child, "receipt")
    assert [delivered.data["status"], read.data["status"]] == ["delivered", "read"]
    assert read.data["message_ids"] == [answer["message_id"]]
    sent = await child.call("fake_sent")
    assert [(m["to"], m["message"]) for m in sent["messages"]] == [
        ("1@s.whatsapp.net", {"conversation": "hi"})
    ]


async def test_errors_come_back_as_answers(child: ChildProcess) -> None:
    with pytest.raises(ChildCallFailed) as not_linked:
        await child.call("send", **send_text())
    assert (not_linked.value.code, not_linked.value.transient) == ("session_not_ready", True)
    with pytest.raises(ChildCallFailed) as unknown:
        await child.call("teleport")
    assert (unknown.value.code, unknown.value.transient) == ("unknown_op", False)
    with pytest.raises(ChildCallFailed) as bad:
        await child.call("pair_phone")
    assert bad.value.code == "bad_command"
    assert child.alive


async def test_malformed_lines_are_skipped(child: ChildProcess, device_store: str) -> None:
    assert child.process.stdin is not None
    child.process.stdin.write(b"garbage\n{}\n" + b'{"kind": "ready", "pid": 1, "client": "x"}\n')
    await child.process.stdin.drain()
    await child.call("start", options={"device_store": device_store})
    assert (await next_event(child, "qr")).data["code"]


async def test_stray_output_does_not_reach_the_protocol(
    child: ChildProcess, device_store: str
) -> None:
    await child.call("start", options={"device_store": device_store})
    await child.call("fake_print")
    assert await child.call("fake_sent") == {"messages": []}
    assert child.bad_lines == 0


async def test_the_child_exits_when_its_input_closes(child: ChildProcess) -> None:
    assert child.process.stdin is not None
    child.process.stdin.close()  # as when the host dies
    assert await asyncio.wait_for(child.wait(), 5.0) == 0
    await assert_gone(child.pid)
    with pytest.raises(ChildGone):
        await child.call("start")


async def test_close_stops_the_child(device_store: str) -> None:
    child = await ChildProcess.spawn("ses_test", "fake", log_level="WARNING")
    await child.call("start", options={"device_store": device_store, "auto_link": True})
    assert await child.close() == 0
    await assert_gone(child.pid)


async def test_close_kills_a_child_that_does_not_stop() -> None:
    child = await ChildProcess.spawn("ses_test", "fake", log_level="WARNING")
    os.kill(child.pid, signal.SIGSTOP)  # deaf to stop and SIGTERM alike
    assert await child.close(grace=0.2) == -signal.SIGKILL
    await assert_gone(child.pid)


async def test_a_crash_mid_send_fails_the_send_and_ends_the_child(
    child: ChildProcess, device_store: str
) -> None:
    await child.call("start", options={"device_store": device_store, "auto_link": True})
    await next_event(child, "linked")
    await child.call("fake_crash_on_send")
    with pytest.raises(ChildGone) as gone:
        await child.call("send", **send_text())
    assert gone.value.transient
    assert await asyncio.wait_for(child.wait(), 5.0) == 2
    await assert_gone(child.pid)


async def test_a_go_panic_ends_the_child_and_nothing_else(
    child: ChildProcess, device_store: str
) -> None:
    await child.call("start", options={"device_store": device_store, "auto_link": True})
    await next_event(child, "linked")
    with pytest.raises(ChildGone):
        await child.call("fake_panic")
    assert await asyncio.wait_for(child.wait(), 5.0) == -signal.SIGABRT
    await assert_gone(child.pid)


async def test_a_call_without_answer_times_out_as_transient(child: ChildProcess) -> None:
    os.kill(child.pid, signal.SIGSTOP)
    try:
        with pytest.raises(ChildCallFailed) as late:
            await child.call("start", timeout=0.2)
        assert (late.value.code, late.value.transient) == ("engine_timeout", True)
    finally:
        os.kill(child.pid, signal.SIGCONT)


HOST = """
import asyncio, sys
from gateway.engines.web.process import ChildProcess

async def main():
    child = await ChildProcess.spawn("ses_orphan", "fake", log_level="WARNING")
    print("child", child.pid, flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


async def test_the_child_dies_with_a_killed_host() -> None:
    host = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOST, stdout=asyncio.subprocess.PIPE
    )
    assert host.stdout is not None
    line = b""
    while not line.startswith(b"child "):
        line = await asyncio.wait_for(host.stdout.readline(), 10.0)
        assert line, "the host exited before it started its child"
    pid = int(line.split()[1])
    host.kill()  # SIGKILL: no finally, no close(); the pipe's EOF and PDEATHSIG remain
    await host.wait()
    await assert_gone(pid, zombie_ok=True)
