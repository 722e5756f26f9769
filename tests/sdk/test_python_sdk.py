"""The Python SDK (sdk/python): its own suite against a live gateway, its hand-written
layer under mypy --strict, and its generated part against a fresh generation."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SDK = Path(__file__).resolve().parents[2] / "sdk" / "python"
GENERATED = ("_generated", "api")
# The suite's size when this was written: fewer passing means tests went missing.
MIN_TESTS = 26


@pytest.mark.timeout(300)
def test_python_sdk_suite_passes_against_a_live_gateway(sdk_suite_env: dict[str, str]) -> None:
    # Run from its own directory, so its own pytest configuration applies, not this one.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--no-header"],
        cwd=SDK,
        env=sdk_suite_env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    report = f"{result.stdout[-12000:]}\n{result.stderr[-4000:]}"
    assert result.returncode == 0, report
    summary = re.search(r"^=* ?(\d+) passed(.*) in [\d.]+s", result.stdout, re.MULTILINE)
    assert summary, report
    assert int(summary.group(1)) >= MIN_TESTS, report
    assert not re.search(r"failed|error|skipped", summary.group(2)), report


@pytest.mark.timeout(180)
def test_python_sdk_is_mypy_strict_clean() -> None:
    # sdk/python/pyproject.toml's [tool.mypy]: strict over gateway_sdk, tests, generate.py.
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=SDK, capture_output=True, text=True, timeout=170
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]


@pytest.mark.timeout(120)
def test_python_sdk_generated_code_has_not_drifted_from_openapi_json(tmp_path: Path) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, str(SDK / "generate.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=110,
    )
    drift = []
    for name in GENERATED:
        fresh, committed = tmp_path / name, SDK / "gateway_sdk" / name
        fresh_files = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
        committed_files = {
            p.relative_to(committed)
            for p in committed.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        drift += [f"{name}/{p}" for p in sorted(fresh_files ^ committed_files)]
        drift += [
            f"{name}/{p}"
            for p in sorted(fresh_files & committed_files)
            if (fresh / p).read_bytes() != (committed / p).read_bytes()
        ]
    assert not drift, (
        "sdk/python's generated code differs from what openapi/openapi.json gives "
        f"({', '.join(drift[:10])}{' …' if len(drift) > 10 else ''}): run make sdk-python "
        "and commit the result"
    )
