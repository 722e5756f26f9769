"""``make bench``: every DESIGN §10 benchmark, one after the other, and one table.

    .venv/bin/python bench/run_all.py [--quick] [--only account,send,...]

Each script measures its figures against its bare baseline in the same run; this prints
their rows together (figure, bare figure, ratio, target, held?), as recorded in
bench/README.md. ``--quick`` shortens every measurement (for a smoke run, not a record).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from common import install_sigterm_handler
from gateway.kit.logging import configure_logging
from table import Row, render


def _bench_rows(module_name: str, argv: list[str]) -> list[Row | Mapping[str, Any]]:
    module = importlib.import_module(module_name)
    bench_rows: Callable[[list[str]], list[Row | Mapping[str, Any]]] = module.bench_rows
    return bench_rows(argv)


def _run(module_name: str, **options: Any) -> list[Row | Mapping[str, Any]]:
    module = importlib.import_module(module_name)
    run: Callable[..., list[Row | Mapping[str, Any]]] = module.run
    return run(**options)


# name -> the rows of a full run (quick=False) or a short one (quick=True)
BENCHMARKS: dict[str, Callable[[bool], list[Row | Mapping[str, Any]]]] = {
    "account": lambda quick: _bench_rows(
        "account_rps", ["--duration", "3", "--warmup", "1"] if quick else []
    ),
    "send": lambda quick: _bench_rows(
        "send_rps", ["--duration", "3", "--warmup", "1"] if quick else []
    ),
    "webhooks": lambda quick: _bench_rows("webhook_rps", ["--events", "500"] if quick else []),
    "latency": lambda quick: _run("latency", **({"duration": 5.0} if quick else {})),
    "idle": lambda quick: _run(
        "idle_sessions", **({"sessions": 200, "idle": 10.0} if quick else {})
    ),
    "web_memory": lambda quick: _run(
        "web_memory", **({"sessions": (1, 10), "samples": 2} if quick else {})
    ),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short measurements")
    parser.add_argument("--only", default="", help="comma-separated: " + ",".join(BENCHMARKS))
    args = parser.parse_args(argv)
    configure_logging("WARNING")
    install_sigterm_handler()
    chosen = [name for name in args.only.split(",") if name] or list(BENCHMARKS)
    rows: list[Row] = []
    failed = False
    for name in chosen:
        print(f"\n==> {name}", flush=True)
        try:
            rows += [Row.of(row) for row in BENCHMARKS[name](args.quick)]
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            rows.append(Row(name, "failed", "", None, "see above", None))
            failed = True
    print("\n" + render(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
