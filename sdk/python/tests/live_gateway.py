"""A live gateway for the suite: ``gateway up`` on 127.0.0.1 and a free port, in a data
directory of its own, with the first API key it prints on a first start.

GATEWAY_SDK_TEST_DATABASE_URL / GATEWAY_SDK_TEST_REDIS_URL point it at running servers
(an empty database: the gateway migrates it); unset, ``gateway up`` starts its embedded
PostgreSQL and Redis. GATEWAY_BIN names the ``gateway`` command (default: the project's
.venv/bin/gateway, else the one beside this interpreter).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SDK = Path(__file__).resolve().parents[1]
KEY = re.compile(r"gw_test_[0-9A-Za-z]{36}")
BANNER_END = "Press Ctrl-C"


def gateway_command() -> str:
    given = os.environ.get("GATEWAY_BIN")
    if given:
        return given
    for candidate in (
        SDK.parents[1] / ".venv" / "bin" / "gateway",
        Path(sys.executable).parent / "gateway",
    ):
        if candidate.exists():
            return str(candidate)
    raise RuntimeError("no gateway command: set GATEWAY_BIN")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class LiveGateway:
    base_url: str
    api_key: str
    process: subprocess.Popen[str]
    data_dir: Path
    output: list[str]
    reader: threading.Thread | None = None

    def stop(self) -> None:
        """Ctrl-C, as a user stops it (the embedded servers stop with it); a kill if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.reader is not None:
            self.reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def start_gateway() -> LiveGateway:
    port = free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="gateway-sdk-py-"))
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(data_dir)),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "GATEWAY_HOST": "127.0.0.1",
        "GATEWAY_PORT": str(port),
        "GATEWAY_DATA_DIR": str(data_dir / "data"),
        "GATEWAY_LOG_LEVEL": "WARNING",
        # Room for the suite's bursts; the rate-limit test makes a slow key of its own.
        "GATEWAY_DEFAULT_RATE_LIMIT": "1000/second",
        # The suite's webhook receiver and media server listen on 127.0.0.1.
        "GATEWAY_ALLOW_PRIVATE_TARGETS": "true",
    }
    for ours, theirs in (
        ("GATEWAY_SDK_TEST_DATABASE_URL", "GATEWAY_DATABASE_URL"),
        ("GATEWAY_SDK_TEST_REDIS_URL", "GATEWAY_REDIS_URL"),
    ):
        if os.environ.get(ours):
            env[theirs] = os.environ[ours]
    # Only these variables: a developer's own GATEWAY_* settings must not leak in.
    process = subprocess.Popen(  # noqa: S603 - our own command
        [gateway_command(), "up"],
        cwd=data_dir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    gateway = LiveGateway(f"http://127.0.0.1:{port}", "", process, data_dir, output)
    banner = threading.Event()

    def read_output() -> None:
        # Drained for the process's whole life, so a full pipe never blocks the gateway.
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if BANNER_END in line:
                banner.set()
        banner.set()

    gateway.reader = threading.Thread(target=read_output, daemon=True)
    gateway.reader.start()
    deadline = time.monotonic() + 90
    while not banner.wait(timeout=0.5) and time.monotonic() < deadline:
        pass
    text = "".join(output)
    key = KEY.search(text)
    if BANNER_END not in text or key is None:
        gateway.stop()
        raise RuntimeError(f"gateway up gave no banner with an API key:\n{text[-6000:]}")
    gateway.api_key = key.group(0)
    return gateway
