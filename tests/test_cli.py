from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from gateway.cli import app
from gateway.config import Settings


@pytest.fixture
def cli_env(settings: Settings) -> dict[str, str]:
    return {
        "GATEWAY_DATABASE_URL": str(settings.database_url),
        "GATEWAY_REDIS_URL": str(settings.redis_url),
        "GATEWAY_SECRET_KEY": str(settings.secret_key),
        "GATEWAY_LOG_LEVEL": "WARNING",
    }


def test_accounts_and_keys_commands(cli_env: dict[str, str]) -> None:
    runner = CliRunner()
    created = runner.invoke(app, ["accounts", "create", "--name", "Hooli"], env=cli_env)
    assert created.exit_code == 0, created.output
    account_id = re.search(r"acct_\w+", created.output)
    assert account_id is not None
    assert re.search(r"gw_test_\w{36}", created.output)

    key = runner.invoke(
        app,
        ["keys", "create", "--account", account_id.group(0), "--mode", "live", "--name", "prod"],
        env=cli_env,
    )
    assert key.exit_code == 0, key.output
    assert re.search(r"gw_live_\w{36}", key.output)

    listed = runner.invoke(app, ["keys", "list", "--account", account_id.group(0)], env=cli_env)
    assert listed.exit_code == 0
    key_ids = re.findall(r"key_\w+", listed.output)
    assert len(key_ids) == 2
    assert "revoked" not in listed.output

    revoked = runner.invoke(app, ["keys", "revoke", key_ids[0]], env=cli_env)
    assert revoked.exit_code == 0, revoked.output
    listed = runner.invoke(app, ["keys", "list", "--account", account_id.group(0)], env=cli_env)
    assert listed.output.count("revoked") == 1


def test_unknown_account_is_a_clear_error(cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["keys", "create", "--account", "acct_missing"], env=cli_env)
    assert result.exit_code != 0
    assert "No such account" in result.output


def test_fake_graph_serves_the_demo_number_it_prints() -> None:
    """``gateway fake-graph`` prints a session config that works against what it serves."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gateway = Path(sys.executable).parent / "gateway"
    process = subprocess.Popen(  # noqa: S603
        [str(gateway), "fake-graph", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("Session config")
        lines = []
        while not lines or lines[-1] != "}\n":
            lines.append(process.stdout.readline())
        cloud = json.loads("".join(lines))["config"]["cloud"]
        url = f"{cloud['graph_base_url']}/v21.0/{cloud['phone_number_id']}"
        headers = {"Authorization": f"Bearer {cloud['access_token']}"}
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(url, headers=headers)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the fake never started listening"
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.json()["verified_name"] == "Demo Business"
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def _endpoint_secrets(database_url: str, account_id: str, count: int, secret: bytes) -> None:
    """``count`` webhook endpoints of the account, their secrets sealed under ``secret``."""
    import asyncio

    from gateway.db import create_engine, create_sessionmaker
    from gateway.kit import crypto
    from gateway.kit.ids import new_id
    from gateway.models import WebhookEndpoint
    from gateway.webhooks.service import SECRET_PURPOSE

    async def insert() -> None:
        engine = create_engine(database_url, pool_size=1)
        try:
            async with create_sessionmaker(engine)() as db:
                for n in range(count):
                    db.add(
                        WebhookEndpoint(
                            id=new_id("whk"),
                            account_id=account_id,
                            url=f"https://example.com/hook/{n}",
                            event_types=["*"],
                            secret=crypto.encrypt(secret, SECRET_PURPOSE, b"whsec_x"),
                        )
                    )
                await db.commit()
        finally:
            await engine.dispose()

    asyncio.run(insert())


def test_secrets_reencrypt_and_status(cli_env: dict[str, str], settings: Settings) -> None:
    runner = CliRunner()
    old, new = str(settings.secret_key), "a-new-secret-key-" + "n" * 40
    created = runner.invoke(app, ["accounts", "create", "--name", "Rotating"], env=cli_env)
    assert created.exit_code == 0, created.output
    account = re.search(r"acct_\w+", created.output)
    assert account is not None
    assert settings.database_url is not None
    _endpoint_secrets(settings.database_url, account.group(0), 3, old.encode())
    rotated = {**cli_env, "GATEWAY_SECRET_KEY": f"{new},{old}"}

    status = runner.invoke(app, ["secrets", "status"], env=rotated)
    assert status.exit_code == 1, status.output
    assert "webhook endpoint secrets: 3 not under the current key" in status.output
    assert "API keys: 1 hashed under an old key" in status.output

    first = runner.invoke(app, ["secrets", "reencrypt", "--batch-size", "2"], env=rotated)
    assert first.exit_code == 0, first.output
    assert "webhook endpoint secrets: 3 examined, 3 rewritten" in first.output
    assert "webhook endpoint secrets: 3 not under" not in first.output
    # What only the key's next use can move is still said to need the old key.
    assert "API keys: 1 hashed under an old key" in first.output
    second = runner.invoke(app, ["secrets", "reencrypt"], env=rotated)
    assert second.exit_code == 0, second.output
    assert "webhook endpoint secrets: 3 examined, 0 rewritten" in second.output

    # The old key dropped: the secrets open; a stranger's key opens nothing.
    alone = {**cli_env, "GATEWAY_SECRET_KEY": new}
    assert "webhook endpoint secrets: 3 examined, 0 rewritten" in (
        runner.invoke(app, ["secrets", "reencrypt"], env=alone).output
    )
    stranger = runner.invoke(
        app, ["secrets", "reencrypt"], env={**cli_env, "GATEWAY_SECRET_KEY": "s" * 40}
    )
    assert stranger.exit_code == 1
    assert "3 under no key of the keyring" in stranger.output

    listed = runner.invoke(app, ["keys", "list", "--account", account.group(0)], env=cli_env)
    (key_id,) = re.findall(r"key_\w+", listed.output)
    assert key_id in status.output  # named, so the operator can tell its owner
    assert runner.invoke(app, ["keys", "revoke", key_id], env=cli_env).exit_code == 0
    done = runner.invoke(app, ["secrets", "status"], env=rotated)
    assert done.exit_code == 0, done.output
    assert "every key but the first can be dropped" in done.output


def test_a_bad_keyring_is_a_clear_error(cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        app, ["secrets", "status"], env={**cli_env, "GATEWAY_SECRET_KEY": "new,,old"}
    )
    assert result.exit_code == 2
    assert "key 2 of 3 is empty" in result.output
