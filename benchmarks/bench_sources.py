"""Benchmark: parse every entry of the shipped shared-data catalog; load_frame cold and warm.

There is no peer package that reads these publishers' layouts into validated tidy
observations, so the baseline is the floor of the same work: ``pandas.read_csv`` of every
catalogued file with default options (no validation, no dates, no tidy table). Writes
``benchmarks/results/sources.md``.

Run from the repository root::

    .venv/bin/python benchmarks/bench_sources.py [--data-dir ../shared/data] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from ustpull.config import shared_data_dir
from ustpull.sources.catalog import default_catalog, parse_catalog
from ustpull.sources.local import clear_cache, load_frame

FRAME_IDS = ["us.gsw.zero.10y", "us.cmt.10y", "us.sp500", "fx.usd_broad", "us.vix"]
CURVE_IDS = [f"us.gsw.zero.{n}y" for n in range(1, 31)]


def _timed(action: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return times


def _read_all(data_dir: Path) -> None:
    for entry in default_catalog().entries:
        pd.read_csv(entry.path(data_dir), encoding="utf-8-sig", encoding_errors="replace")


def _cold_process(data_dir: Path) -> float:
    code = f"from ustpull.sources.catalog import parse_catalog; parse_catalog({str(data_dir)!r})"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=shared_data_dir())
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data_dir: Path = args.data_dir

    catalog = default_catalog()
    batches = parse_catalog(data_dir)
    rows = sum(len(batch.observations) for batch in batches)
    series = sum(len(batch.series) for batch in batches)
    size = sum(entry.path(data_dir).stat().st_size for entry in catalog.entries)

    ours = _timed(lambda: parse_catalog(data_dir), args.runs)
    floor = _timed(lambda: _read_all(data_dir), args.runs)
    process = _cold_process(data_dir)

    def cold(ids: list[str]) -> None:
        clear_cache()
        load_frame(ids, data_dir)

    frame_cold = _timed(lambda: cold(FRAME_IDS), args.runs)
    frame_warm = _timed(lambda: load_frame(FRAME_IDS, data_dir), args.runs)
    curve_cold = _timed(lambda: cold(CURVE_IDS), args.runs)
    curve_warm = _timed(lambda: load_frame(CURVE_IDS, data_dir), args.runs)

    best, median = min(ours), statistics.median(ours)
    floor_best = min(floor)
    lines = [
        "# Sources benchmark: parsing the shared-data catalog",
        "",
        f"Machine: {platform.machine()}, 2 cores shared with other engineers, Python "
        f"{platform.python_version()}, {platform.system()}; date "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; "
        f"`benchmarks/bench_sources.py --runs {args.runs}`.",
        "",
        f"Catalog: {len(catalog.entries)} entries, {size / 1e6:.1f} MB of CSV, {series} series, "
        f"{rows:,} observations, 0 rejections.",
        "",
        "| task | ustpull (best / median) | baseline | ratio |",
        "|---|---|---|---|",
        f"| `parse_catalog` (every entry: decode, dates, order and duplicate checks, tidy "
        f"table, metadata) | {best:.2f} s / {median:.2f} s | `pandas.read_csv` of the same "
        f"files: {floor_best:.2f} s | {best / floor_best:.1f}x |",
        f'| `python -c "parse_catalog(...)"` incl. interpreter and imports | {process:.2f} s | | |',
        f"| `load_frame` of 5 ids from 6 files, cold cache | {min(frame_cold):.2f} s / "
        f"{statistics.median(frame_cold):.2f} s | | |",
        f"| `load_frame` of the same 5 ids, warm cache | {min(frame_warm) * 1e3:.0f} ms / "
        f"{statistics.median(frame_warm) * 1e3:.0f} ms | | |",
        f"| `load_frame` of GSW zero 1-30y (2 files), cold | {min(curve_cold):.2f} s / "
        f"{statistics.median(curve_cold):.2f} s | | |",
        f"| `load_frame` of GSW zero 1-30y, warm | {min(curve_warm) * 1e3:.0f} ms / "
        f"{statistics.median(curve_warm) * 1e3:.0f} ms | | |",
        "",
        "The ratio to `read_csv` is the price of validation: every value column is checked "
        "for non-numeric cells, dates are parsed against the publisher's format(s) and checked "
        "for order and duplicates, and the wide file becomes a sorted tidy table with "
        "metadata. No peer package reads these layouts, so no peer ratio is given.",
        "",
    ]
    out = Path(__file__).parent / "results" / "sources.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
