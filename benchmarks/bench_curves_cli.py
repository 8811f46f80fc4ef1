"""Benchmark: ``ustpull curves nss --source cmt`` end to end, as the user runs it (issue 14).

Target (issue 14): CMT's whole history in at most 10 s on the 2-core machine. Timed as a
subprocess running the ``ustpull`` CLI on a store already filled with the CMT files
(interpreter start-up, imports, the store read, the fit in one process and the CSV written
all included). Besides the wall time, the CPU time (user + sys) of the subprocess
(``resource.getrusage(RUSAGE_CHILDREN)``) and the 1-minute load average before each run are
recorded, since the machine is shared: under load the wall time measures the load, the CPU
time the work. With ``--before-src`` the code of another tree (e.g. ``git archive <commit>
src``) runs in the same loop, interleaved, so both meet the same load. No peer tool runs
this command; the fit's own speed against the peers is in ``bench_nss_sources.py``.

Run from the repository root::

    .venv/bin/python benchmarks/bench_curves_cli.py [--data-dir ../shared/data] [--runs 3]
        [--before-src /tmp/before/src]
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
from pathlib import Path

from ustpull.config import shared_data_dir
from ustpull.curves.nss_sources import yield_source
from ustpull.store import Store
from ustpull.studies import load_frame

RESULTS = Path(__file__).parent / "results" / "curves_cli.md"
TARGET = 10.0
"""Seconds (issue 14)."""

_MAIN = "import sys; from ustpull.cli.main import main; sys.exit(main())"


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + sys) and the 1-minute load before the run."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, load


def timed_runs(
    store: Path, scratch: Path, runs: int, before_src: Path | None
) -> dict[str, list[tuple[float, float, float]]]:
    """This tree's CLI, interleaved with the ``before_src`` tree's (same machine load)."""
    trees: list[tuple[str, Path | None]] = [("now", None)]
    if before_src is not None:
        trees.insert(0, ("before", before_src))
    timed: dict[str, list[tuple[float, float, float]]] = {}
    for run in range(runs):
        for label, tree in trees:
            env = {**os.environ, "USTPULL_STORE": str(store)}
            if tree is not None:
                env["PYTHONPATH"] = str(tree)
            output = scratch / f"cmt-{label}-{run}.csv"
            command = [sys.executable, "-c", _MAIN, "curves", "nss", "--source", "cmt"]
            timed.setdefault(label, []).append(_run([*command, "--output", str(output)], env))
    return timed


def table(timed: dict[str, list[tuple[float, float, float]]]) -> list[str]:
    lines = [
        "| code | runs | median wall s | min wall s | median CPU s (user+sys) | "
        "1-min load before each run | target s |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for label, values in timed.items():
        walls = [wall for wall, _, _ in values]
        cpus = [cpu for _, cpu, _ in values]
        loads = ", ".join(f"{load:.1f}" for _, _, load in values)
        lines.append(
            f"| {label} | {len(values)} | {statistics.median(walls):.1f} | {min(walls):.1f} | "
            f"{statistics.median(cpus):.1f} | {loads} | {TARGET:.0f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=shared_data_dir())
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before-src", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        store = scratch / "cmt.duckdb"
        load_frame(yield_source("cmt").ids, store=Store(store), data_dir=args.data_dir)
        timed = timed_runs(store, scratch, args.runs, args.before_src)
    lines = [
        "# `ustpull curves nss --source cmt` end to end (issue 14)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python "
        f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        "CLI subprocess on a store already holding the CMT files; the runs of the trees "
        "alternate.",
        "",
        *table(timed),
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
