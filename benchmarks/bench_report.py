"""Benchmark: `ustpull report` from the shared data, cold and warm.

Targets (issue 8): cold (empty store, from ``../shared/data``) at most 60 s; warm (store
already filled, files unchanged) at most 15 s, on the 2-core machine. Both are timed as the
user runs them: a subprocess of the installed ``ustpull`` script, interpreter start-up
included. There is no peer tool that produces this report; the per-step timings of
:func:`ustpull.report.build.build_report` say where the time goes.

Run from the repository root::

    .venv/bin/python benchmarks/bench_report.py [--data-dir ../shared/data] [--runs 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ustpull.config import shared_data_dir
from ustpull.report.build import build_report

RESULTS = Path(__file__).parent / "results" / "report.md"


def _run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=shared_data_dir())
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    script = str(Path(sys.executable).parent / "ustpull")
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(args.runs):
            store = Path(scratch) / f"store{run}.duckdb"
            env = {**os.environ, "USTPULL_STORE": str(store)}
            command = [
                script,
                "report",
                "--data-dir",
                str(args.data_dir),
                "--quiet",
                "--out",
                str(Path(scratch) / f"out{run}"),
            ]
            cold.append(_run(command, env))
            warm.append(_run(command, env))
        steps = build_report(
            Path(scratch) / "steps",
            data_dir=args.data_dir,
            store=Path(scratch) / "store0.duckdb",
        ).timings
    lines = [
        "# `ustpull report` (issue 8)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {time.strftime('%Y-%m-%d')}.",
        "",
        "| run | median s | max s | target s |",
        "|---|---|---|---|",
        f"| cold (empty store) | {statistics.median(cold):.1f} | {max(cold):.1f} | 60 |",
        f"| warm (store filled) | {statistics.median(warm):.1f} | {max(warm):.1f} | 15 |",
        "",
        "Warm run, in-process step timings (s):",
        "",
        "| step | s |",
        "|---|---|",
        *[f"| {name} | {seconds:.2f} |" for name, seconds in steps.items()],
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
