"""Benchmark: ingest the whole shared-data catalog, and `ustpull series show` start-up.

Targets (task): a full ingest into a fresh store under 30 s on the 2-core machine;
``ustpull series show`` of a ~16,000-row series under 1 s including interpreter start-up.

There is no peer package for a versioned store, so the baselines are the floor of the same
work: ``pandas.read_csv`` of every catalogued file (reading text, no validation, no store)
and ``python -c pass`` / ``ustpull --version`` for start-up.

Run from the repository root::

    .venv/bin/python benchmarks/bench_ingest.py [--data-dir ../shared/data] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ustpull.config import shared_data_dir
from ustpull.sources.catalog import default_catalog
from ustpull.store import Store
from ustpull.store.ingest import ingest_local, load

SHOW_ID = "us.cmt.10y"


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds (this process, all threads) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def _pair(timing: tuple[float, float]) -> str:
    return f"{timing[0]:.2f} s wall, {timing[1]:.2f} s CPU"


def _cli(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "ustpull"), *args]


def _median_run(command: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``runs`` subprocess runs.

    On a machine shared with other jobs the wall time includes waiting for a core; the CPU
    time is what the command itself costs.
    """
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=shared_data_dir())
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    catalog = default_catalog()
    files = sorted({entry.path(args.data_dir) for entry in catalog.entries})

    read_csv = min(
        _timed(lambda: [pd.read_csv(path, dtype=str) for path in files]) for _ in range(args.runs)
    )

    with tempfile.TemporaryDirectory() as tmp:
        fresh, reingest = [], []
        for run in range(args.runs):
            store = Store(Path(tmp) / f"run{run}.duckdb")
            fresh.append(_timed(lambda store=store: ingest_local(args.data_dir, store=store)))
            reingest.append(_timed(lambda store=store: ingest_local(args.data_dir, store=store)))
        store = Store(Path(tmp) / "run0.duckdb")
        unchanged_load = _timed(
            lambda: load(["us.cmt.10y", "us.gsw.zero.10y"], data_dir=args.data_dir, store=store)
        )
        log = store.ingest_log()
        rows = int(log["rows_new"].sum())
        series_count = len(store.list_series())
        show_rows = len(store.series(SHOW_ID))
        env = {**os.environ, "USTPULL_STORE": str(store.path)}
        show_wall, show_cpu = _median_run(_cli("series", "show", SHOW_ID), 7, env)
        version_wall, version_cpu = _median_run(_cli("--version"), 7, env)
        imports_wall, imports_cpu = _median_run(
            [sys.executable, "-c", "import pandas, duckdb"], 7, env
        )

    lines = [
        "# Ingest and store benchmark",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared by other jobs "
        f"(1-min load average at the end: {os.getloadavg()[0]:.1f}), "
        f"Python {platform.python_version()}, {platform.system()}; "
        f"date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"`benchmarks/bench_ingest.py --runs {args.runs}`.",
        "",
        f"Catalog: {len(catalog.entries)} entries, {len(files)} files, {series_count} series, "
        f"{rows:,} observation rows.",
        "",
        "None of the named peers (nss-engine, QuantLib, financepy, pyacm, diebold-yilmaz) "
        "stores vintaged series, so the baselines are floors of the same work: reading the "
        "files with `pandas.read_csv` (no parsing into series, no validation, no store) and "
        "importing pandas + DuckDB. Wall time waits for a core on this shared machine; CPU "
        "time is what the work costs.",
        "",
        "| task | ustpull | baseline | ratio | target |",
        "|---|---|---|---|---|",
        f"| full ingest, fresh store (fastest of {args.runs}) | {_pair(min(fresh))} "
        f"| `pandas.read_csv` of the same files: {_pair(read_csv)} "
        f"| {min(fresh)[1] / read_csv[1]:.1f}x (CPU) | < 30 s |",
        f"| re-ingest, nothing changed, 0 new rows (fastest of {args.runs}) "
        f"| {_pair(min(reingest))} | | | |",
        f"| `load()` of 2 ids, files unchanged (sha256 skip) | {_pair(unchanged_load)} | | | |",
        f"| `ustpull series show {SHOW_ID}` ({show_rows:,} rows), subprocess, median of 7 "
        f"| {show_wall:.2f} s wall, {show_cpu:.2f} s CPU "
        f"| `python -c 'import pandas, duckdb'`: {imports_wall:.2f} s wall, "
        f"{imports_cpu:.2f} s CPU; `ustpull --version`: {version_wall:.2f} s wall, "
        f"{version_cpu:.2f} s CPU "
        f"| {show_cpu / imports_cpu:.1f}x of importing pandas + duckdb (CPU) | < 1 s |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    out = Path(__file__).parent / "results" / "ingest.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)


if __name__ == "__main__":
    main()
