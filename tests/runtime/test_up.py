"""``gateway up`` as a user runs it: embedded servers, a printed key, Ctrl-C, restart."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.runtime.embedded import free_port

GATEWAY = str(Path(sys.executable).with_name("gateway"))


def _start(workdir: Path, port: int) -> subprocess.Popen[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GATEWAY_")  # no URLs: the embedded servers are the point
    }
    env.update({"GATEWAY_PORT": str(port), "GATEWAY_LOG_LEVEL": "WARNING"})
    return subprocess.Popen(  # noqa: S603
        [GATEWAY, "up"],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_banner(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "Press Ctrl-C" in line:
            return "".join(lines)
    process.kill()
    _, err = process.communicate()
    pytest.fail(f"no banner; stdout={''.join(lines)!r} stderr={err[-2000:]!r}")


def _stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("gateway up did not stop within 30 s of Ctrl-C")
    assert process.returncode == 0, err[-2000:]


def _servers_running(workdir: Path) -> list[str]:
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True)  # noqa: S607
    data = str(workdir / ".gateway")
    return [line for line in out.stdout.splitlines() if data in line]


def _create_session(base: str, headers: dict[str, str], name: str, *, start: bool) -> str:
    response = httpx.post(
        f"{base}/v1/sessions",
        headers=headers,
        json={"name": name, "start": start, "config": {"sandbox": {"auto_link": True}}},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    session_id: str = response.json()["id"]
    return session_id


def _wait_for_status(
    base: str, headers: dict[str, str], session_id: str, status: str
) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while True:
        body: dict[str, Any] = httpx.get(
            f"{base}/v1/sessions/{session_id}", headers=headers, timeout=10
        ).json()
        if body["status"] == status or time.monotonic() > deadline:
            assert body["status"] == status, body
            return body
        time.sleep(0.1)


@pytest.mark.timeout(180)
def test_up_serves_prints_a_key_stops_cleanly_and_keeps_data(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = _start(tmp_path, port)
    try:
        banner = _wait_for_banner(process)
        match = re.search(r"gw_test_[0-9A-Za-z]{36}", banner)
        assert match, banner
        key = match.group(0)
        assert f"{base}/docs" in banner
        assert f"{base}/dashboard" in banner
        headers = {"Authorization": f"Bearer {key}"}
        account = httpx.get(f"{base}/v1/account", headers=headers, timeout=10)
        assert account.status_code == 200
        assert httpx.get(f"{base}/docs", timeout=10).status_code == 200
        sign_in = httpx.get(f"{base}/dashboard", follow_redirects=True, timeout=10)
        assert sign_in.status_code == 200
        assert "API key" in sign_in.text
        assert httpx.get(f"{base}/readyz", timeout=10).status_code == 200
        alive = _create_session(base, headers, "alive", start=True)
        parked = _create_session(base, headers, "parked", start=False)
        assert _wait_for_status(base, headers, alive, "WORKING")["status"] == "WORKING"
    finally:
        _stop(process)
    assert _servers_running(tmp_path) == []

    # Second start: same data, so the key still works and no new key is printed.
    process = _start(tmp_path, port)
    try:
        banner = _wait_for_banner(process)
        assert "gw_test_" not in banner
        again = httpx.get(f"{base}/v1/account", headers=headers, timeout=10)
        assert again.status_code == 200
        assert again.json()["id"] == account.json()["id"]
        # The WORKING session comes back WORKING; the stopped one stays stopped.
        back = _wait_for_status(base, headers, alive, "WORKING")
        assert [h["status"] for h in back["status_history"]][-2:] == ["STARTING", "WORKING"]
        time.sleep(1)
        still = httpx.get(f"{base}/v1/sessions/{parked}", headers=headers, timeout=10).json()
        assert still["status"] == "STOPPED"
        assert still["status_history"] == []
    finally:
        _stop(process)
    assert _servers_running(tmp_path) == []
