"""Run every benchmark and assemble ``benchmarks/README.md``.

One command::

    .venv/bin/python benchmarks/run_all.py            # our own benchmarks (no peers needed)
    .venv/bin/python benchmarks/run_all.py --peers    # also the ones timed against peers

The peers (nss-engine, QuantLib, financepy, pyacm, diebold-yilmaz, pyconnectedness) are
installed into the same environment with ``pip install -e '.[bench]'`` (financepy separately,
see the README it writes). Each ``bench_*.py`` script runs in its own process and writes
``results/<area>.md`` (and, where it has rows for the summary, ``results/<area>.json`` with
``{"rows": [{task, ours_s, peer, peer_s, ratio, our_error, peer_error, notes}]}``). This
script then writes ``benchmarks/README.md``: the machine and date, a summary table of every
JSON row, the scaling curves and each area's own results file.

``--only AREA`` (repeatable) runs some areas; ``--collect`` only reassembles the README from
the results already on disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from _contract import RESULTS, ROW_FIELDS

HERE = Path(__file__).parent
README = HERE / "README.md"
RUNS = RESULTS / "run_all_outcomes.json"
"""The last run's outcome per area, for ``--collect``."""


@dataclass(frozen=True)
class Outcome:
    """What one benchmark did in this run."""

    area: str
    status: str
    seconds: float


@dataclass(frozen=True)
class Benchmark:
    """One benchmark script and the peer modules it times us against."""

    area: str
    peers: tuple[str, ...]

    @property
    def script(self) -> Path:
        return HERE / f"bench_{self.area}.py"


PEERS: dict[str, tuple[str, ...]] = {
    "bootstrap": ("QuantLib",),
    "countries": ("QuantLib",),
    "nss": ("nss_engine", "QuantLib", "financepy"),
    "nss_sources": ("nss_engine", "QuantLib"),
    "acm": ("pyacm", "nss_engine"),
    "termpremium_real": ("pyacm",),
    "connectedness": ("diebold_yilmaz",),
    "connectedness_tvp": ("diebold_yilmaz", "pyconnectedness"),
    "inference": ("arch",),
}
"""Peer modules each area is timed against (areas not listed need none)."""

LAST = ("report", "scale")
"""The longest runs go last."""


def benchmarks() -> list[Benchmark]:
    """Every ``bench_*.py`` next to this script, cheap ones first."""
    areas = sorted(path.stem.removeprefix("bench_") for path in HERE.glob("bench_*.py"))
    ordered = [area for area in areas if area not in LAST] + [a for a in LAST if a in areas]
    return [Benchmark(area, PEERS.get(area, ())) for area in ordered]


PEER_DISTRIBUTIONS = (
    "nss-engine",
    "QuantLib",
    "financepy",
    "pyacm",
    "diebold-yilmaz",
    "pyconnectedness",
    "arch",
)
CORE_DISTRIBUTIONS = ("numpy", "scipy", "pandas", "statsmodels", "duckdb", "dask", "distributed")
SUMMARY_COLUMNS = ROW_FIELDS[:-1]  # the notes stay in each area's own section


def version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> list[str]:
    """Machine and software lines for the README header."""
    cpu = platform.processor() or platform.machine()
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in lscpu.splitlines()
            if line.startswith("Model name")
        )
    except (OSError, subprocess.CalledProcessError, StopIteration):
        pass
    load = os.getloadavg()
    return [
        f"- CPU: {cpu}; {os.cpu_count()} logical cores (`nproc`), shared with other jobs "
        f"(load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at assembly)",
        f"- {platform.system()} {platform.release()}, Python {platform.python_version()}",
        "- " + ", ".join(f"{name} {version(name)}" for name in CORE_DISTRIBUTIONS),
        "- peers: " + ", ".join(f"{name} {version(name)}" for name in PEER_DISTRIBUTIONS),
    ]


def missing_peers(benchmark: Benchmark) -> list[str]:
    return [name for name in benchmark.peers if importlib.util.find_spec(name) is None]


def run(benchmark: Benchmark) -> Outcome:
    """Run one script in a fresh interpreter; its status, wall time and last error line."""
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, str(benchmark.script)],
        capture_output=True,
        text=True,
        cwd=HERE.parent,
        check=False,
    )
    seconds = time.perf_counter() - start
    error = completed.stderr.strip().splitlines()[-1:] if completed.returncode else []
    status = "ok" if completed.returncode == 0 else f"failed ({' '.join(error)})"
    return Outcome(benchmark.area, status, seconds)


def cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value).replace("|", "/")


def summary_rows() -> list[str]:
    """One markdown row per JSON result row of every area."""
    lines = [
        "| area | " + " | ".join(SUMMARY_COLUMNS) + " |",
        "|" + "---|" * (len(SUMMARY_COLUMNS) + 1),
    ]
    for path in sorted(set(RESULTS.glob("*.json")) - {RUNS}):
        payload = json.loads(path.read_text(encoding="utf-8"))
        for row in payload.get("rows", []):
            cells = [cell(row.get(column)) for column in SUMMARY_COLUMNS]
            lines.append(f"| {path.stem} | " + " | ".join(cells) + " |")
    return lines


def demoted(markdown: str) -> str:
    """An area's results file with its headings two levels down (nested in the README)."""
    return "\n".join(
        "##" + line if line.startswith("#") else line for line in markdown.splitlines()
    )


def assemble(runs: list[Outcome]) -> str:
    now = dt.datetime.now(dt.UTC)
    lines = [
        "# Benchmarks",
        "",
        "Assembled by `benchmarks/run_all.py` (do not edit by hand).",
        "",
        f"Date: {now:%Y-%m-%d %H:%M} UTC. Machine:",
        "",
        *machine(),
        "",
        "Every time is wall clock on this shared machine, ours and the peer's measured in the "
        "same process and run; ratios are peer time / our time unless a table says otherwise. "
        "Run again: `.venv/bin/python benchmarks/run_all.py --peers` after "
        "`pip install -e '.[bench]'` and `pip install financepy==1.1.2 --no-deps` (financepy "
        "pins pandas < 3 and its numba needs numpy <= 2.3, so it is installed without its "
        "dependencies and its rows are missing where numba cannot load).",
        "",
    ]
    if runs:
        lines += ["## This run", "", "| area | status | wall time (s) |", "|---|---|---:|"]
        lines += [f"| {r.area} | {r.status} | {r.seconds:.1f} |" for r in runs]
        lines.append("")
    lines += [
        "## Summary (rows from `results/*.json`)",
        "",
        *summary_rows(),
        "",
        "## Scaling curves",
        "",
        "Time against the number of dates, maturities, bonds and replications "
        "(`results/scale.md`):",
        "",
        *(
            f"![time against {x}](results/scale_{x}.png)"
            for x in ("dates", "maturities", "bonds", "replications")
        ),
        "",
        "## Results by area",
        "",
    ]
    for benchmark in benchmarks():
        path = RESULTS / f"{benchmark.area}.md"
        if path.is_file():
            lines += [demoted(path.read_text(encoding="utf-8")).rstrip(), ""]
        else:
            lines += [f"### {benchmark.area}", "", "(no results file yet)", ""]
    return "\n".join(lines)


def last_runs() -> list[Outcome]:
    """The outcomes of the last run (for ``--collect``)."""
    if not RUNS.is_file():
        return []
    return [Outcome(**record) for record in json.loads(RUNS.read_text(encoding="utf-8"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", action="store_true", help="also run the peer benchmarks")
    parser.add_argument("--only", action="append", default=[], help="run only these areas")
    parser.add_argument("--collect", action="store_true", help="only assemble the README")
    args = parser.parse_args()
    everything = benchmarks()
    known = {benchmark.area for benchmark in everything}
    unknown = sorted(set(args.only) - known)
    if unknown:
        parser.error(f"unknown areas {unknown}; choose from {sorted(known)}")
    runs = last_runs() if args.collect else []
    for benchmark in everything if not args.collect else ():
        if args.only and benchmark.area not in args.only:
            continue
        if benchmark.peers and not args.peers:
            continue
        absent = missing_peers(benchmark)
        if absent:
            runs.append(Outcome(benchmark.area, f"skipped, missing {absent}", 0.0))
            continue
        print(f"running {benchmark.script.name} ...", flush=True)
        runs.append(run(benchmark))
        print(f"  {runs[-1].status} in {runs[-1].seconds:.1f} s", flush=True)
    if not args.collect:
        RUNS.write_text(json.dumps([asdict(r) for r in runs], indent=2) + "\n", encoding="utf-8")
    README.write_text(assemble(runs) + "\n", encoding="utf-8")
    print(f"wrote {README}")
    return 0 if all(r.status == "ok" for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
