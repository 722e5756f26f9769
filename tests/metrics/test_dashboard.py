"""The Grafana dashboard and the metrics guide name only metrics a scrape has, and the
guide names every metric a scrape has."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.config import Settings
from tests.conftest import running
from tests.metrics.scraping import Scrape, scrape

DOCS = Path(__file__).parents[2] / "docs"
NAME = re.compile(r"\b((?:gateway|process)_[a-z_]+)\b")
SUFFIXES = ("_total", "_bucket", "_count", "_sum")


@pytest.fixture
async def everything(settings: Settings) -> Scrape:
    """A scrape with every family: an API with the worker in its process."""
    async with running(create_app(settings, worker_metrics=True)) as client:
        return await scrape(client)


def family_of(name: str, families: dict[str, str]) -> str | None:
    if name in families:
        return name
    for suffix in SUFFIXES:
        if name.endswith(suffix) and name.removesuffix(suffix) in families:
            return name.removesuffix(suffix)
    return None


def expressions(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["expr"]] if isinstance(node.get("expr"), str) else []
        return found + [e for value in node.values() for e in expressions(value)]
    if isinstance(node, list):
        return [e for value in node for e in expressions(value)]
    return []


def test_the_dashboard_is_a_grafana_dashboard() -> None:
    dashboard = json.loads((DOCS / "grafana-dashboard.json").read_text())
    assert dashboard["title"]
    assert dashboard["uid"]
    panels = dashboard["panels"]
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids))
    for panel in panels:
        assert {"type", "title", "gridPos"} <= panel.keys()
        if panel["type"] != "row":
            assert panel["targets"], panel["title"]
            assert panel["datasource"]["uid"] == "${datasource}"
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert {"datasource", "job"} <= variables


async def test_every_metric_the_dashboard_uses_is_served(everything: Scrape) -> None:
    used = {
        name
        for expr in expressions(json.loads((DOCS / "grafana-dashboard.json").read_text()))
        for name in NAME.findall(expr)
    }
    assert len(used) >= 10
    unknown = sorted(name for name in used if family_of(name, everything.families) is None)
    assert unknown == []
    # Every gateway metric has a panel.
    gateway = {f for f in everything.families if f.startswith("gateway_")}
    shown = {family_of(name, everything.families) for name in used}
    assert gateway - shown == set()


async def test_the_guide_lists_every_metric_served_and_no_other(everything: Scrape) -> None:
    guide = (DOCS / "metrics.md").read_text()
    listed = {
        family_of(name, everything.families) or name
        for name in NAME.findall(guide)
        if name.startswith("gateway_")
    }
    assert listed == {name for name in everything.families if name.startswith("gateway_")}


async def test_an_api_without_the_worker_serves_no_worker_metrics(
    client: httpx.AsyncClient,
) -> None:
    result = await scrape(client)
    assert "gateway_http_requests" in result.families
    assert "gateway_engine_errors" not in result.families
