"""Benchmark: the whole stocks issue on 1962-latest data, and its hot paths against baselines.

Target: everything in the stocks issue (daily and monthly stock-bond correlations with the exact
GSW zero-coupon returns, era tables, the regime tests with a 1,000-replication block bootstrap,
two-state Markov switching, inflation regimes, the dividend-discount view with its
decompositions, and 60/40) in under 2 s on this machine, data loading excluded.

No peer package computes these analyses, so the hot paths are timed against the obvious
baselines, in the same run:

* rolling correlation (252 days, ~13,500 common days): ours (pandas rolling moments via
  ``ustpull.crossasset.stats.rolling_correlation``) vs a Python loop of ``np.corrcoef`` per
  window; error = max abs difference;
* exact zero-coupon returns (13,500 days, NSS where parameters exist): ours (vectorised) vs a
  per-day loop evaluating the same formula with ``ustpull.curves.nss.nss_zero_yield`` one
  date at a time; error = max abs difference;
* block bootstrap (1,000 replications, blocks of 252): ours (all replicates in one gather)
  vs a loop over replications (its own random draws, so the standard errors agree only up to
  Monte Carlo error).

Run from the repository root::

    .venv/bin/python benchmarks/bench_stocks.py [--data-dir ../shared/data] [--runs 3]
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import datetime as dt
import platform
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ustpull.config import shared_data_dir
from ustpull.crossasset.stats import block_bootstrap_mean_difference, rolling_correlation
from ustpull.crossasset.stocks_correlation import zero_coupon_log_returns
from ustpull.curves.nss import PARAM_NAMES, nss_zero_yield
from ustpull.sources.local import load_frame
from ustpull.studies.stocks import GSW_PARAMS, STOCK_SERIES, analyze_stocks


def best_of(function: Callable[[], object], runs: int) -> tuple[float, object]:
    """Best wall time of ``runs`` calls (seconds) and the last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def loop_rolling_correlation(a: np.ndarray, b: np.ndarray, window: int) -> np.ndarray:
    return np.array(
        [
            np.corrcoef(a[end - window : end], b[end - window : end])[0, 1]
            for end in range(window, len(a) + 1)
        ]
    )


def loop_exact_returns(curve: pd.DataFrame, params: pd.DataFrame) -> np.ndarray:
    """The exact zero-coupon return, one day at a time (the baseline)."""
    index = curve.index
    out = np.empty(len(index) - 1)
    theta_all = params.reindex(index).loc[:, list(PARAM_NAMES)].to_numpy()
    for row in range(1, len(index)):
        dt_years = (index[row] - index[row - 1]).days / 365.25
        y_prev, y_now, y_short = curve.iloc[row - 1][10], curve.iloc[row][10], curve.iloc[row][9]
        theta = theta_all[row]
        ns_day = np.isnan(theta[5])
        if not np.isnan(theta[[0, 1, 2, 4]]).any() and (ns_day or not np.isnan(theta[3])):
            pair = nss_zero_yield(theta[None, :], [10 - dt_years, 10.0])[0]
            sold = y_now + pair[0] - pair[1]
        else:
            sold = y_now - dt_years * (y_now - y_short)
        out[row - 1] = (10 * y_prev - (10 - dt_years) * sold) / 100
    return out


def loop_bootstrap(a: np.ndarray, b: np.ndarray, block: int, replications: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(replications):
        means = []
        for values in (a, b):
            n = len(values)
            starts = rng.integers(0, n - block + 1, size=-(-n // block))
            sample = np.concatenate([values[s : s + block] for s in starts])[:n]
            means.append(sample.mean())
        draws.append(means[1] - means[0])
    return float(np.std(draws, ddof=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=shared_data_dir())
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = load_frame(list(STOCK_SERIES), args.data_dir)

    total, results = best_of(lambda: analyze_stocks(data, replications=1000), args.runs)
    lines = [
        f"machine: {platform.machine()} ({os.cpu_count()} cores, shared), "
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}; "
        f"run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; best of {args.runs}",
        "",
        f"analyze_stocks, everything (data {data.index[0]:%Y-%m-%d}..{data.index[-1]:%Y-%m-%d}, "
        f"1,000 bootstrap replications, Markov switching): {total:.3f} s (target < 2 s)",
        "",
        "| task | ours (s) | baseline (s) | speed-up | max abs difference |",
        "|---|---|---|---|---|",
    ]

    daily = results.daily.returns  # type: ignore[attr-defined]
    stock, bond = daily["stock"].to_numpy(), daily["exact"].to_numpy()
    ours_time, ours = best_of(
        lambda: rolling_correlation(daily["stock"], daily["exact"], 252), args.runs
    )
    base_time, base = best_of(lambda: loop_rolling_correlation(stock, bond, 252), 1)
    error = float(np.max(np.abs(np.asarray(ours) - np.asarray(base))))
    lines.append(
        f"| rolling correlation, 252 days x {len(stock):,} days (vs np.corrcoef loop) | "
        f"{ours_time:.4f} | {base_time:.3f} | {base_time / ours_time:.0f}x | {error:.1e} |"
    )

    curve = data[["us.gsw.zero.9y", "us.gsw.zero.10y"]].dropna()
    curve.columns = pd.Index([9, 10])
    params = data[list(GSW_PARAMS)].rename(columns=GSW_PARAMS)
    ours_time, ours = best_of(lambda: zero_coupon_log_returns(curve, params=params), args.runs)
    base_time, base = best_of(lambda: loop_exact_returns(curve, params), 1)
    error = float(np.max(np.abs(np.asarray(ours) - np.asarray(base))))
    lines.append(
        f"| exact 10-year zero returns, {len(curve):,} days (vs per-day NSS loop) | "
        f"{ours_time:.4f} | {base_time:.3f} | {base_time / ours_time:.0f}x | {error:.1e} |"
    )

    rolling = results.daily.correlations["exact"].dropna()  # type: ignore[attr-defined]
    before = rolling.loc["2000":"2019"].to_numpy()
    after = rolling.loc["2020":].to_numpy()
    ours_time, ours = best_of(
        lambda: block_bootstrap_mean_difference(
            before, after, block_length=252, replications=1000, seed=1
        ),
        args.runs,
    )
    base_time, base = best_of(lambda: loop_bootstrap(before, after, 252, 1000, 1), 1)
    lines.append(
        f"| block bootstrap, 1,000 replications (vs loop over replications) | {ours_time:.4f} | "
        f"{base_time:.3f} | {base_time / ours_time:.0f}x | se {ours.standard_error:.4f} vs "  # type: ignore[attr-defined]
        f"{base:.4f} (independent draws) |"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
