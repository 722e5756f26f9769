"""docs/cloud.md's table of Graph errors is the engine's: a code mapped without its row,
or a row for a code the engine no longer maps, fails here."""

from __future__ import annotations

import re
from pathlib import Path

from gateway.engines.cloud.errors import GRAPH_ERRORS

DOC = Path(__file__).parents[2] / "docs" / "cloud.md"


def test_every_mapped_graph_error_is_documented_as_it_is_mapped() -> None:
    rows = dict(re.findall(r"^\| (\d+) \| `([a-z_]+)` \|", DOC.read_text(), flags=re.MULTILINE))
    assert rows == {str(code): mapped.code for code, mapped in GRAPH_ERRORS.items()}
