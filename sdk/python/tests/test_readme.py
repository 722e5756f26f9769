"""The READMEs' first messages (this SDK's and the project's), run as written against the
live gateway."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from live_gateway import SDK, LiveGateway

README = SDK / "README.md"
PROJECT_README = SDK.parents[1] / "README.md"


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", path.read_text(), re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize(
    ("readme", "name"), [(README, "support"), (PROJECT_README, "orders")], ids=["sdk", "project"]
)
def test_the_readme_first_message_runs(
    live: LiveGateway, capsys: pytest.CaptureFixture[str], readme: Path, name: str
) -> None:
    first = python_blocks(readme)[0]
    assert '"gw_test_…"' in first
    assert '"http://127.0.0.1:8000"' in first
    code = first.replace("gw_test_…", live.api_key).replace("http://127.0.0.1:8000", live.base_url)
    # A name of its own: the other README's session may already have the one written.
    assert f'"{name}"' in code
    code = code.replace(f'"{name}"', f'"readme-{name}"')
    namespace: dict[str, object] = {}
    exec(compile(code, str(readme), "exec"), namespace)  # noqa: S102 - our own README
    assert re.fullmatch(r"msg_\w+ queued\n", capsys.readouterr().out)
