"""The terminal stays readable: cron jobs that found nothing to do leave no line."""

from __future__ import annotations

import logging

import pytest

from gateway.kit.logging import QuietCron, configure_logging, resolve_format


def record(msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("arq.worker", logging.INFO, __file__, 1, msg, args, None)


@pytest.mark.parametrize(
    ("msg", "args", "kept"),
    [
        ("%6.2fs → %s(%s)%s", (0.01, "cron:sweep_messages", "", ""), False),
        ("%6.2fs ← %s ● %s", (0.01, "cron:sweep_messages", "0"), False),
        ("%6.2fs ← %s ● %s", (0.01, "cron:flush_api_key_usage", ""), False),
        ("%6.2fs ← %s ● %s", (0.01, "cron:sweep_messages", "3"), True),
        ("%6.2fs ← %s ● %s", (0.01, "cron:reconcile_usage", "'processed 2'"), True),
        ("%6.2fs ! %s failed, %s: %s", (0.01, "cron:sweep_messages", "OSError", "x"), True),
        ("%6.2fs → %s(%s)%s", (0.01, "01J:deliver_webhook", "'dlv_1'", ""), True),
        ("%6.2fs ← %s ● %s", (0.01, "01J:deliver_webhook", ""), True),
        ("Starting worker for %d functions: %s", (3, "a, b, c"), True),
    ],
)
def test_only_cron_lines_without_work_are_dropped(
    msg: str, args: tuple[object, ...], kept: bool
) -> None:
    assert QuietCron().filter(record(msg, *args)) is kept


def test_auto_is_readable_on_a_terminal_and_json_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert resolve_format("auto") == "console"
    monkeypatch.setattr("sys.stderr.isatty", lambda: False)
    assert resolve_format("auto") == "json"
    assert resolve_format("console") == "console"


def test_the_filter_is_installed_once(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("WARNING", "json")
    configure_logging("WARNING", "json")
    jobs = logging.getLogger("arq.worker")
    assert sum(isinstance(f, QuietCron) for f in jobs.filters) == 1
