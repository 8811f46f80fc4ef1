"""Benchmark: the report's online ingest from a local publisher mirror, full and incremental.

A 127.0.0.1 mirror (``tests/sources/_mirror.py``) serves every file the report's recipes
download, at the publishers' real paths, built from the shared data in each publisher's
layout. Measured:

* the full ingest into an empty store (what ``ustpull report`` does first): requests,
  bytes, seconds (download, parse, validate, store);
* the incremental rerun: conditional requests only (ETag / Last-Modified), FRED from the
  last stored date minus the revision window; requests, 304s, bytes, seconds.

No peer package downloads these publishers into a vintaged store, so the baseline is the
floor of the same transfer: plain ``httpx2`` GETs of the same files (no parsing, no store).
Writes ``benchmarks/results/online.md`` and ``online.json``.

Run from the repository root::

    .venv/bin/python benchmarks/bench_online.py [--data-dir ../shared/data] [--runs 3]
"""

from __future__ import annotations

import argparse
import collections
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' mirror

from tests.sources._mirror import Mirror

from _contract import comparison, write_rows
from ustpull.config import shared_data_dir
from ustpull.report.build import report_plan
from ustpull.store import Store, ingest_online
from ustpull.store.ingest import IngestSummary
from ustpull.studies import study_recipes
from ustpull.studies.data import downloads


def _ingest(store: Store, base: str) -> tuple[IngestSummary, float]:
    wanted = downloads(study_recipes())
    started = time.perf_counter()
    summary = ingest_online(store=store, series=wanted, base_urls=_bases(base))
    return summary, time.perf_counter() - started


def _bases(base: str) -> dict[str, str]:
    from ustpull.sources import online

    return dict.fromkeys(online.ENDPOINTS, base)


def _raw_get(mirror: Mirror) -> float:
    started = time.perf_counter()
    with httpx2.Client() as client:
        for item in mirror.files:
            client.get(f"{mirror.url}{item.path}", params=dict(item.query)).raise_for_status()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=shared_data_dir())
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    mirror = Mirror.for_series(args.data_dir, downloads(study_recipes()))
    build_s = time.perf_counter() - started
    full, rerun, raw = [], [], []
    with mirror, tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            store = Store(Path(tmp) / f"run{run}.duckdb")
            full.append(_ingest(store, mirror.url))
            rerun.append(_ingest(store, mirror.url))
            raw.append(_raw_get(mirror))
        plan = report_plan(store=Store(Path(tmp) / "run0.duckdb", read_only=True))
    first, again = full[0][0], rerun[0][0]
    full_s = statistics.median(s for _, s in full)
    rerun_s = statistics.median(s for _, s in rerun)
    raw_s = statistics.median(raw)
    per_analysis = collections.Counter(row.analysis for row in plan)
    online_rows = collections.Counter(row.analysis for row in plan if row.online)
    by_source = first.transfers.groupby("source").agg(
        requests=("url", "size"), bytes=("bytes", "sum")
    )
    lines = [
        "# Online ingest from a local publisher mirror",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared by other jobs "
        f"(1-min load average at the end: {os.getloadavg()[0]:.1f}), Python "
        f"{platform.python_version()}; date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"`benchmarks/bench_online.py --runs {args.runs}` (medians).",
        "",
        f"Mirror: {len(mirror.files)} files, {mirror.bytes_served:,} bytes, built from the shared "
        f"data in {build_s:.1f} s (not timed below).",
        "",
        "| task | requests | 304 not modified | bytes | seconds | rows new |",
        "|---|---:|---:|---:|---:|---:|",
        f"| full ingest, empty store | {first.requests} | {first.not_modified} "
        f"| {first.bytes_downloaded:,} | {full_s:.2f} | {first.rows_new:,} |",
        f"| incremental rerun | {again.requests} | {again.not_modified} "
        f"| {again.bytes_downloaded:,} | {rerun_s:.2f} | {again.rows_new:,} |",
        f"| floor: plain httpx2 GET of the same files | {len(mirror.files)} | 0 "
        f"| {mirror.bytes_served:,} | {raw_s:.2f} | - |",
        "",
        f"Full ingest / plain transfer: {full_s / raw_s:.1f}x (the rest is parsing the "
        f"publishers' layouts, validation and the store). Incremental rerun: "
        f"{full_s / rerun_s:.0f}x faster than the full ingest.",
        "",
        "Requests and bytes of the full ingest by source:",
        "",
        "| source | requests | bytes |",
        "|---|---:|---:|",
        *(
            f"| {name} | {int(row.requests)} | {int(row.bytes):,} |"
            for name, row in by_source.iterrows()
        ),
        "",
        "`ustpull report --plan` after the ingest: series per analysis (served online):",
        "",
        "| analysis | series | online |",
        "|---|---:|---:|",
        *(f"| {name} | {count} | {online_rows[name]} |" for name, count in per_analysis.items()),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    out = Path(__file__).parent / "results" / "online.md"
    out.write_text(text)
    write_rows(
        "online",
        [
            comparison(
                "report's online ingest from a 127.0.0.1 mirror, empty store",
                full_s,
                "httpx2 GET only (no parse, no store)",
                raw_s,
                notes=f"{first.requests} requests, {first.bytes_downloaded:,} bytes",
            ),
            comparison(
                "incremental rerun (conditional requests)",
                rerun_s,
                "full ingest",
                full_s,
                notes=f"{again.requests} requests, {again.not_modified} not modified",
            ),
        ],
    )


if __name__ == "__main__":
    main()
