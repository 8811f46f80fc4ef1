"""Benchmark: coverage of the report's interval methods by simulation (issue 16).

Every design has GARCH(1,1) volatility clustering and a known truth; each row is the share of
simulated series whose nominal 95% interval holds the truth, with its Monte-Carlo standard
error ``sqrt(c (1 - c) / S)`` (0.69 pp at 1000 series). The target is [92%, 98%].

The designs live in modules next to this script, each exposing ``TITLE`` and
``coverage_rows(n_series) -> list[dict]`` (keys ``method``, ``design``, ``series``,
``nominal``, ``coverage``, ``mc_se``, ``cpu_s``): ``_coverage_a.py`` (smile/frown episode
bootstrap, Rigobon-Sack, event regressions) and, where present, ``_coverage_b.py`` (the other
methods). The tests (``tests/crossasset/test_coverage_*.py``) run smaller versions (500 series).

Run from the repository root::

    .venv/bin/python benchmarks/bench_interval_coverage.py [--series 1000]

Writes ``benchmarks/results/interval_coverage.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _coverage_a

PARTS: list[ModuleType] = [_coverage_a]
try:
    import _coverage_b  # type: ignore[import-not-found]
except ImportError:  # the other part is optional
    pass
else:
    PARTS.append(_coverage_b)
import _coverage_c  # noqa: E402

PARTS.append(_coverage_c)

RESULTS = Path(__file__).parent / "results" / "interval_coverage.md"


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| method | design | series | nominal | coverage | MC s.e. | in [92, 98] | CPU (s) |",
        "|---|---|---:|---:|---:|---:|---|---:|",
    ]
    for row in rows:
        inside = "yes" if 92.0 <= row["coverage"] <= 98.0 else "**no**"
        lines.append(
            f"| {row['method']} | {row['design']} | {row['series']} | {row['nominal']:.0f}% | "
            f"{row['coverage']:.1f}% | {row['mc_se']:.2f} pp | {inside} | "
            f"{row.get('cpu_s', float('nan')):.1f} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=1000, help="simulated series per design")
    args = parser.parse_args()
    start = time.perf_counter()
    cpu = time.process_time()
    lines = [
        "# Interval coverage by simulation (`benchmarks/bench_interval_coverage.py`)",
        "",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. Machine: {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other jobs (load average "
        f"{os.getloadavg()[0]:.1f}), Python {platform.python_version()}.",
        "",
        "Share of simulated series (GARCH(1,1) volatility clustering in every design, known "
        "truth) whose nominal 95% interval holds the truth; MC s.e. = sqrt(c (1 - c) / series). "
        'Target [92%, 98%]. "before" rows are the interval a method replaced.',
        "",
    ]
    for part in PARTS:
        print(f"running {part.__name__} ...", flush=True)
        rows = part.coverage_rows(args.series)
        lines += [f"## {part.TITLE}", "", *table(rows), ""]
        doc = (part.__doc__ or "").strip()
        if doc:
            lines += ["Designs: " + " ".join(doc.split("\n\n")[1:]).replace("\n", " "), ""]
    lines.append(
        f"Total: {time.perf_counter() - start:.0f} s wall, {time.process_time() - cpu:.0f} s CPU."
    )
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
