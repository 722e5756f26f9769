"""The rows ``make bench`` prints: one per DESIGN §10 target, side by side in one run."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Row:
    name: str  # what is measured
    figure: str  # the gateway's figure, with its unit
    bare: str  # the bare figure it is compared with ("" when there is none)
    ratio: float | None  # figure / bare, when they compare
    target: str  # the target, as DESIGN §10 states it
    held: bool | None  # whether the target was met (None: not measured)

    @classmethod
    def of(cls, value: Row | Mapping[str, Any]) -> Row:
        if isinstance(value, Row):
            return value
        return cls(
            name=str(value["name"]),
            figure=str(value["figure"]),
            bare=str(value.get("bare") or ""),
            ratio=None if value.get("ratio") is None else float(value["ratio"]),
            target=str(value["target"]),
            held=value.get("held"),
        )


def render(rows: Iterable[Row | Mapping[str, Any]]) -> str:
    """The rows as an aligned text table (also valid Markdown)."""
    header = ("path", "figure", "bare", "ratio", "target", "held?")
    lines = [
        (
            row.name,
            row.figure,
            row.bare,
            "" if row.ratio is None else f"{row.ratio:.2f}",
            row.target,
            {True: "yes", False: "NO", None: "—"}[row.held],
        )
        for row in map(Row.of, rows)
    ]
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(cells) for cells in lines)])
