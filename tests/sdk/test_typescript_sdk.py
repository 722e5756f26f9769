"""The TypeScript SDK's own suite (``npm test`` in sdk/typescript), against a live gateway.

The suite starts ``gateway up`` itself, on a database of its own (``sdk_suite_env`` in
conftest.py). Its npm packages come from ``make sdk-typescript-deps`` (a prerequisite of
``make test``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

SDK = Path(__file__).resolve().parents[2] / "sdk" / "typescript"


@pytest.mark.timeout(300)
def test_typescript_sdk_suite_passes_against_a_live_gateway(sdk_suite_env: dict[str, str]) -> None:
    npm = shutil.which("npm")
    assert npm, "the TypeScript SDK's suite needs Node 20 and npm on the PATH"
    assert (SDK / "node_modules").is_dir(), "run `make sdk-typescript-deps` first"
    result = subprocess.run(  # noqa: S603
        [npm, "test"], cwd=SDK, env=sdk_suite_env, capture_output=True, text=True, timeout=280
    )
    report = f"{result.stdout[-12000:]}\n{result.stderr[-4000:]}"
    assert result.returncode == 0, report
    passed = re.search(r"^\S+ pass (\d+)$", result.stdout, re.MULTILINE)
    assert passed, report
    assert int(passed.group(1)) >= 10, report
    assert re.search(r"^\S+ fail 0$", result.stdout, re.MULTILINE), report
