from __future__ import annotations

import re

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
