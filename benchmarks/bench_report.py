"""Benchmark: `ustpull report` from the shared data, cold and warm (issue 19).

Targets (issue 19, "Must show"): cold (empty store, from ``../shared/data``) at most 20 s;
warm (store already filled, files unchanged) at most 8 s, on the 2-core machine. Both are
timed as the user runs them: a subprocess running the ``ustpull`` CLI, interpreter start-up
included, with its defaults (forked helper processes parse files ahead of the store, run the
studies after the term premia and draw PNGs; the warm run reuses the study results and PNGs
cached beside the store, :mod:`ustpull.studies.cache`). A warm run with ``--no-cache`` is
timed too (the speed without the cache). With ``--before-src`` the code before the speed
work runs in the same loop (cold and warm, interleaved, so both meet the same load). Each
figure is the median of ``--runs`` runs; besides the wall time, the CPU time (user + sys)
of the subprocess and its helpers (``resource.getrusage(RUSAGE_CHILDREN)``) and the load
average are recorded, since the machine is shared. There is no peer tool that produces this
report; the per-step timings of :func:`ustpull.report.build.build_report` (in-process, cold
and warm) say where the time goes (each study's own time, in whichever process ran it).

Run from the repository root::

    .venv/bin/python benchmarks/bench_report.py [--data-dir ../shared/data] [--runs 3]
        [--before-src /tmp/before/src]   # git archive 228377f src | tar -x -C /tmp/before
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
from ustpull.report.build import build_report

RESULTS = Path(__file__).parent / "results" / "report.md"
TARGETS = {"cold": 20.0, "warm": 8.0}
"""Seconds (issue 19)."""

BEFORE = {
    "wall": {"cold": 28.9},
    "steps": {
        "cold": {"ingest": 6.15, "load": 0.73, "term premia": 2.01, "Treasury pull": 0.52,
                 "stocks": 2.06, "foreign bonds": 1.59, "connectedness": 1.45, "dollar": 0.19,
                 "event studies": 1.01, "write": 7.78},
        "warm": {"ingest": 0.07, "load": 0.65, "term premia": 2.13, "Treasury pull": 0.58,
                 "stocks": 1.98, "foreign bonds": 1.77, "connectedness": 1.56, "dollar": 0.33,
                 "event studies": 0.98, "write": 8.20},
    },
}  # fmt: skip
"""Before issue 19's speed work (main 228377f), measured by the integrator on the idle
machine: the last cold CLI run and the in-process step timings (s)."""


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + sys, the process and its helpers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


_MAIN = "import sys; from ustpull.cli.main import main; sys.exit(main())"


def _cli(
    data_dir: Path, scratch: Path, runs: int, before_src: Path | None
) -> dict[str, list[tuple[float, float]]]:
    """Cold, warm and warm ``--no-cache`` runs of this tree's CLI, interleaved with cold and
    warm runs of the ``before_src`` tree's (same machine load)."""
    timed: dict[str, list[tuple[float, float]]] = {}
    for run in range(runs):
        trees = [("", None)] if before_src is None else [("", None), ("before: ", before_src)]
        for label, tree in trees:
            env = {**os.environ, "USTPULL_STORE": str(scratch / f"store{run}{label[:1]}.duckdb")}
            if tree is not None:
                env["PYTHONPATH"] = str(tree)
            out = scratch / f"out{run}{label[:1]}"
            command = [sys.executable, "-c", _MAIN, "report", "--data-dir", str(data_dir)]
            command += ["--quiet", "--out", str(out)]
            timed.setdefault(f"{label}cold", []).append(_run(command, env))
            timed.setdefault(f"{label}warm", []).append(_run(command, env))
            if tree is None:
                no_cache = [*command, "--no-cache"]
                timed.setdefault("warm, --no-cache", []).append(_run(no_cache, env))
    return timed


def _steps(data_dir: Path, scratch: Path) -> dict[str, dict[str, float]]:
    store = scratch / "steps.duckdb"
    return {
        kind: build_report(
            scratch / f"steps-{kind}", data_dir=data_dir, store=store, cache=True
        ).timings
        for kind in ("cold", "warm")
    }


def _table(timed: dict[str, list[tuple[float, float]]], load: tuple[float, float]) -> list[str]:
    lines = [
        "| run | median wall s | max wall s | median CPU s (user+sys) | target s | before s |",
        "|---|---|---|---|---|---|",
    ]
    for kind, values in timed.items():
        walls, cpus = [w for w, _ in values], [c for _, c in values]
        target = None if kind.startswith("before") else TARGETS.get(kind)
        before = BEFORE["wall"].get(kind)
        lines.append(
            f"| {kind} | {statistics.median(walls):.1f} | {max(walls):.1f} | "
            f"{statistics.median(cpus):.1f} | {'-' if target is None else f'{target:.0f}'} | "
            f"{'-' if before is None else f'{before:.1f}'} |"
        )
    lines += ["", f"Load average (1 min) at the start {load[0]:.2f}, at the end {load[1]:.2f}."]
    return lines


def _step_table(steps: dict[str, dict[str, float]]) -> list[str]:
    lines = [
        "| step | cold before | cold now | warm before | warm now |",
        "|---|---|---|---|---|",
    ]
    for name in steps["cold"]:
        cells = [
            f"{source[kind].get(name, float('nan')):.2f}"
            for kind in ("cold", "warm")
            for source in (BEFORE["steps"], steps)
        ]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=shared_data_dir())
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--before-src",
        type=Path,
        default=None,
        help="a src/ folder of the code before (e.g. `git archive 228377f src`), timed too",
    )
    args = parser.parse_args()
    start_load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        timed = _cli(args.data_dir, scratch, args.runs, args.before_src)
        steps = _steps(args.data_dir, scratch)
    load = (start_load, os.getloadavg()[0])
    lines = [
        "# `ustpull report` (issue 19)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python "
        f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        f"CLI subprocess, median of {args.runs} runs.",
        "",
        *_table(timed, load),
        "",
        "In-process step timings (s), cold (empty store) and warm (same store, cache filled);",
        "each study's own time, in whichever process ran it (the studies after the term premia",
        "run side by side, so they overlap):",
        "",
        *_step_table(steps),
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
