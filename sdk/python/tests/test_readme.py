"""The README's first message, run as written against the live gateway."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from live_gateway import SDK, LiveGateway

README = SDK / "README.md"


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", path.read_text(), re.MULTILINE | re.DOTALL)


def test_the_readme_first_message_runs(
    live: LiveGateway, capsys: pytest.CaptureFixture[str]
) -> None:
    first = python_blocks(README)[0]
    assert 'api_key="gw_test_…"' in first
    assert 'base_url="http://127.0.0.1:8000"' in first
    code = first.replace("gw_test_…", live.api_key).replace("http://127.0.0.1:8000", live.base_url)
    code = code.replace('name="support"', 'name="readme-support"')
    namespace: dict[str, object] = {}
    exec(compile(code, str(README), "exec"), namespace)  # noqa: S102 - our own README
    assert re.fullmatch(r"msg_\w+ queued\n", capsys.readouterr().out)
