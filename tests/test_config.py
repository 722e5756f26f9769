from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from gateway.config import Settings


def test_production_refuses_a_missing_or_placeholder_secret(tmp_path: Path) -> None:
    for secret in (None, "change-me", "short-but-not-placeholder"):
        with pytest.raises(ValidationError, match="GATEWAY_SECRET_KEY"):
            Settings(env="production", secret_key=secret, data_dir=tmp_path)
    Settings(env="production", secret_key="s" * 48, data_dir=tmp_path)


def test_development_generates_and_keeps_a_secret(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).secret
    assert len(first) >= 32
    assert Settings(data_dir=tmp_path).secret == first  # the same after a restart
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_rate_limit_setting_is_validated() -> None:
    with pytest.raises(ValidationError, match="default_rate_limit"):
        Settings(default_rate_limit="very fast")


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_PORT", "9999")
    monkeypatch.setenv("GATEWAY_DEFAULT_RATE_LIMIT", "5/minute")
    settings = Settings()
    assert settings.port == 9999
    assert settings.default_rate_limit == "5/minute"


def test_production_refuses_a_weak_admin_token(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="GATEWAY_ADMIN_TOKEN"):
        Settings(env="production", secret_key="s" * 48, admin_token="change-me")
    Settings(env="production", secret_key="s" * 48, admin_token=None)


def test_cli_reports_bad_configuration_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from gateway.cli import app

    monkeypatch.setenv("GATEWAY_ENV", "production")
    monkeypatch.delenv("GATEWAY_SECRET_KEY", raising=False)
    result = CliRunner().invoke(app, ["migrate"])
    assert result.exit_code == 2
    assert "GATEWAY_SECRET_KEY must be set" in result.output
    assert "Traceback" not in result.output


def test_retention_defaults_must_fit_the_maximum() -> None:
    with pytest.raises(ValidationError, match="GATEWAY_RETENTION_MESSAGES_DAYS"):
        Settings(retention_max_days=60)  # messages kept 90 days by default
    with pytest.raises(ValidationError, match="GATEWAY_RETENTION_EVENTS_DAYS"):
        Settings(retention_max_days=60, retention_messages_days=60, retention_events_days=0)
    capped = Settings(retention_max_days=60, retention_messages_days=60)
    assert capped.retention_events_days == 30
    assert Settings(retention_messages_days=0).retention_max_days is None  # forever is fine
