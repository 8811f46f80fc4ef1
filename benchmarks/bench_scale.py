"""Benchmark: how cost grows with work, the speed-up of 2 local workers, and the scale run.

1. Scaling curves (serial, this process): time against the number of dates (GSW zero NSS
   fits), maturities (the same fit on 6..30 maturities), bonds (exact bootstrap of the
   2024-06-26 FedInvest securities) and bootstrap replications (U.S. ACM bands). Tables in
   ``results/scale.md``, one PNG per curve in ``results/scale_*.png``.
2. Speed-up of two local workers over serial for the two seams with real work: 1,000
   U.S. term-premium bootstrap replications (chunks of 50) and NSS fits of every GSW day
   (blocks of 2,000), on a 2-process pool and on a 2-worker Dask ``LocalCluster``, best of 3;
   every parallel result is checked bit for bit against the serial one.
3. The scale run of the README on the LocalCluster: NSS fits of every yield source's whole
   daily history (``ustpull.curves.nss_sources.NSS_SOURCES``) and 1,000 bootstrap
   replications of the U.S. and euro-area term premia.

Results: ``results/scale.md`` and ``results/scale.json`` (rows ``task, ours_s, peer, peer_s,
ratio, our_error, peer_error, notes``; here the "peer" of a parallel run is the serial run).

Run: ``.venv/bin/python benchmarks/bench_scale.py`` (about 10 minutes on 2 shared cores;
``--skip-scale-run`` leaves out step 3).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from _contract import comparison, write_rows
from ustpull.config import shared_data_dir
from ustpull.curves.bonds import bond_table_from_fedinvest
from ustpull.curves.bootstrap import Bootstrap
from ustpull.curves.nss import NelsonSiegelSvensson, fit_nss_panel
from ustpull.curves.nss_sources import NSS_SOURCES, fit_nss_source
from ustpull.parallel import executor_from_options
from ustpull.sources.local import load_frame
from ustpull.sources.treasurydirect import read_security_prices
from ustpull.termpremium.acm import ACMResults
from ustpull.termpremium.countries import country_curve, country_term_premium

RESULTS = Path(__file__).parent / "results"
SUBSET = Path("treasury") / "treasurydirect_securityprice_2024-06-26_subset.csv"
SETTLEMENT = pd.Timestamp("2024-06-27")
GSW_IDS = [f"us.gsw.zero.{n}y" for n in range(1, 31)]

Row = dict[str, Any]


def clock(function: Callable[[], object]) -> tuple[float, Any]:
    """Wall-clock seconds of one call and its result."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def timed(function: Callable[[], object], runs: int = 1) -> tuple[float, Any]:
    """Best wall-clock time of ``runs`` calls (seconds) and the last call's result."""
    calls = [clock(function) for _ in range(runs)]
    return min(seconds for seconds, _ in calls), calls[-1][1]


# ------------------------------------------------------------------------- 1. scaling curves
def scale_dates(gsw: pd.DataFrame, sizes: Sequence[int]) -> list[Row]:
    rows = []
    for n_dates in sizes:
        panel = gsw.iloc[-n_dates:]
        seconds, results = timed(lambda panel=panel: NelsonSiegelSvensson(panel).fit())
        rows.append(
            {
                "dates": n_dates,
                "seconds": seconds,
                "ms_per_date": 1000 * seconds / n_dates,
                "median_rmse_bp": float(results.rmse_bp.median()),
            }
        )
        print(f"  NSS {n_dates} dates: {seconds:.2f} s", flush=True)
    return rows


def scale_maturities(gsw: pd.DataFrame, n_dates: int) -> list[Row]:
    choices = {
        6: (1, 2, 5, 10, 20, 30),
        10: (1, 2, 3, 5, 7, 10, 15, 20, 25, 30),
        15: tuple(range(2, 31, 2)),
        30: tuple(range(1, 31)),
    }
    rows = []
    for count, years in choices.items():
        panel = gsw.iloc[-n_dates:][[f"us.gsw.zero.{n}y" for n in years]]
        seconds, results = timed(lambda panel=panel: NelsonSiegelSvensson(panel).fit())
        rows.append(
            {
                "maturities": count,
                "dates": n_dates,
                "seconds": seconds,
                "median_rmse_bp": float(results.rmse_bp.median()),
            }
        )
        print(f"  NSS {count} maturities: {seconds:.2f} s", flush=True)
    return rows


def scale_bonds(data_dir: Path, sizes: Sequence[int]) -> list[Row]:
    table, _ = bond_table_from_fedinvest(read_security_prices((data_dir / SUBSET).read_bytes()))
    ordered = table.sort_values("maturity", ignore_index=True)
    rows = []
    for n_bonds in sizes:
        picks = np.unique(np.linspace(0, len(ordered) - 1, n_bonds).round().astype(int))
        subset = ordered.iloc[picks]
        seconds, results = timed(lambda subset=subset: Bootstrap(subset, SETTLEMENT).fit(), runs=20)
        rows.append(
            {
                "bonds": len(subset),
                "seconds": seconds,
                "max_price_error": float(results.max_abs_error),
            }
        )
    return rows


def scale_replications(results: ACMResults, sizes: Sequence[int]) -> list[Row]:
    rows = []
    for replications in sizes:
        seconds, _ = timed(lambda n=replications: results.bands(n, seed=1), runs=2)
        rows.append({"replications": replications, "seconds": seconds})
        print(f"  bands {replications}: {seconds:.2f} s", flush=True)
    return rows


# ------------------------------------------------------------------------------ 2. speed-up
def speedups(
    us: ACMResults, gsw: pd.DataFrame, pool: Executor, dask: Executor
) -> tuple[list[Row], list[Row]]:
    """Serial vs 2 processes vs 2 Dask workers; parallel results checked bit for bit."""
    panel = gsw.to_numpy()
    years = np.arange(1.0, 31.0)
    jobs: dict[str, Callable[[Executor | None], np.ndarray]] = {
        "1,000 U.S. term-premium bootstrap replications (20 chunks of 50)": lambda executor: (
            us.bands(1000, seed=1, executor=executor).upper.to_numpy()
        ),
        f"NSS fits of all {len(gsw):,} GSW days (blocks of 2,000)": lambda executor: fit_nss_panel(
            panel, years, executor=executor
        )[0],
    }
    table, rows = [], []
    for task, job in jobs.items():
        serial_s, serial = timed(lambda job=job: job(None), runs=3)
        for name, executor in (("2 processes", pool), ("Dask LocalCluster, 2 workers", dask)):
            job(executor)  # warm the workers' imports
            parallel_s, parallel = timed(lambda job=job, executor=executor: job(executor), runs=3)
            identical = bool(np.array_equal(parallel, serial, equal_nan=True))
            table.append(
                {
                    "task": task,
                    "executor": name,
                    "serial_s": serial_s,
                    "parallel_s": parallel_s,
                    "speedup": serial_s / parallel_s,
                    "bit_identical": identical,
                }
            )
            rows.append(
                comparison(
                    f"{task}, {name}",
                    parallel_s,
                    "ustpull serial",
                    serial_s,
                    notes="bit-identical to serial" if identical else "DIFFERS from serial",
                )
            )
            print(f"  {task} / {name}: {serial_s / parallel_s:.2f}x", flush=True)
    return table, rows


# ---------------------------------------------------------------------------- 3. scale run
def scale_run(data_dir: Path, executor: Executor) -> list[Row]:
    rows = []
    for name, source in NSS_SOURCES.items():
        yields = load_frame(source.ids, data_dir)
        seconds, results = timed(
            lambda source=source, yields=yields: fit_nss_source(source, yields, executor=executor)
        )
        index = results.params.index
        rows.append(
            {
                "work": f"NSS {source.basis} fit, {name}",
                "units": f"{len(index):,} days {index[0]:%Y-%m-%d}..{index[-1]:%Y-%m-%d}",
                "seconds": seconds,
                "quality": f"median rmse {results.rmse_bp.median():.2f} bp, "
                f"{results.converged.mean():.1%} converged",
            }
        )
        print(f"  {name}: {seconds:.1f} s", flush=True)
    for code in ("US", "EA"):
        data = load_frame(country_curve(code).series_ids, data_dir)
        seconds, estimate = timed(
            lambda code=code, data=data: country_term_premium(
                code, data, bands=True, replications=1000, executor=executor
            )
        )
        band = estimate.bands
        width = float((band.upper[120] - band.lower[120]).median())
        rows.append(
            {
                "work": f"ACM term premium + 1,000 bootstrap replications, {code}",
                "units": f"{len(band.lower):,} month-ends",
                "seconds": seconds,
                "quality": f"median 90% band width of the 10y term premium {width:.2f} pp",
            }
        )
        print(f"  {code} bands: {seconds:.1f} s", flush=True)
    return rows


# ----------------------------------------------------------------------------------- report
def markdown_table(rows: Sequence[Row], formats: dict[str, str]) -> list[str]:
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [format(row[c], formats.get(c, "")) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def plot_curve(rows: Sequence[Row], x: str, title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    fig, ax = plt.subplots(figsize=(5, 3.5))
    xs = [row[x] for row in rows]
    ys = [row["seconds"] for row in rows]
    ax.plot(xs, ys, "o-")
    ax.set(xlabel=x, ylabel="seconds", title=title, xscale="log", yscale="log")
    ax.set_xticks(xs, [f"{value:,}" for value in xs])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def slope(rows: Sequence[Row], x: str) -> float:
    """Log-log slope of time against ``x``: 1 means cost proportional to the work."""
    return float(
        np.polyfit(np.log([r[x] for r in rows]), np.log([r["seconds"] for r in rows]), 1)[0]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=shared_data_dir())
    parser.add_argument("--skip-scale-run", action="store_true")
    args = parser.parse_args()
    started = dt.datetime.now(dt.UTC)

    gsw = load_frame(GSW_IDS, args.data_dir).dropna(how="all")
    us = country_term_premium("US", load_frame(country_curve("US").series_ids, args.data_dir))
    us_results = us.results
    print("scaling curves", flush=True)
    curves = {
        "dates": scale_dates(gsw, (250, 500, 1000, 2000, 4000)),
        "maturities": scale_maturities(gsw, 2000),
        "bonds": scale_bonds(args.data_dir, (10, 20, 40, 80)),
        "replications": scale_replications(us_results, (125, 250, 500, 1000)),
    }
    for x, rows in curves.items():
        plot_curve(rows, x, f"time against {x}", RESULTS / f"scale_{x}.png")

    print("speed-up of 2 local workers", flush=True)
    speedup_load = os.getloadavg()[0]
    with (
        ProcessPoolExecutor(2) as pool,
        executor_from_options(workers=2, dask_scheduler="local") as dask,
    ):
        assert dask is not None
        speedup_table, json_rows = speedups(us_results, gsw, pool, dask)
        print("scale run", flush=True)
        scale_start = time.perf_counter()
        run_rows = [] if args.skip_scale_run else scale_run(args.data_dir, dask)
        scale_total = time.perf_counter() - scale_start

    load = os.getloadavg()
    lines = [
        "# Scaling, 2-worker speed-up and the scale run (`benchmarks/bench_scale.py`)",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores "
        f"shared with other jobs (load average at the end {load[0]:.1f}), Python "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}. "
        "Single timings unless noted; every work unit runs with one BLAS thread.",
        "",
        "## How cost grows with work (serial)",
        "",
        f"NSS fits of the GSW zero curve (30 maturities), last N days; log-log slope "
        f"{slope(curves['dates'], 'dates'):.2f} (1 = proportional):",
        "",
        *markdown_table(
            curves["dates"], {"seconds": ".2f", "ms_per_date": ".2f", "median_rmse_bp": ".4f"}
        ),
        "",
        f"The same fit on 2,000 days with N maturities; slope "
        f"{slope(curves['maturities'], 'maturities'):.2f}:",
        "",
        *markdown_table(curves["maturities"], {"seconds": ".2f", "median_rmse_bp": ".4f"}),
        "",
        "Exact bootstrap (`Bootstrap(...).fit()`, log-linear discount) of N securities of the "
        f"2024-06-26 FedInvest prices, best of 20; slope {slope(curves['bonds'], 'bonds'):.2f}:",
        "",
        *markdown_table(curves["bonds"], {"seconds": ".5f", "max_price_error": ".1e"}),
        "",
        "U.S. ACM bootstrap bands (monthly GSW, 772 month-ends), N replications, best of 2; "
        f"slope {slope(curves['replications'], 'replications'):.2f}:",
        "",
        *markdown_table(curves["replications"], {"seconds": ".2f"}),
        "",
        "Plots: `scale_dates.png`, `scale_maturities.png`, `scale_bonds.png`, "
        "`scale_replications.png`.",
        "",
        "## Speed-up of 2 local workers over serial",
        "",
        *markdown_table(speedup_table, {"serial_s": ".2f", "parallel_s": ".2f", "speedup": ".2f"}),
        "",
        f"Speed-up = serial time / parallel time, best of 3 each, same run (load average "
        f"{speedup_load:.1f} on 2 cores when it started). While other jobs hold the cores "
        "the two workers cannot reach 2x. The bootstrap's percentiles (every date and maturity "
        "over the 1,000 draws) run in this process after the replications, which bounds its "
        "end-to-end speed-up; its 30 ms chunks are also short next to the cost of shipping "
        "a chunk to a worker.",
    ]
    if run_rows:
        lines += [
            "",
            "## The scale run (Dask LocalCluster, 2 workers)",
            "",
            *markdown_table(run_rows, {"seconds": ".1f"}),
            "",
            f"Total {scale_total:.0f} s. Same commands on a real cluster: README, section Scale.",
        ]
    (RESULTS / "scale.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_rows("scale", json_rows, curves=curves)
    print(f"wrote {RESULTS / 'scale.md'}")


if __name__ == "__main__":
    main()
