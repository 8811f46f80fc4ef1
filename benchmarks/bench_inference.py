"""Benchmark: interval and regime models of the cross-asset layer, against arch where it has one.

Data: daily S&P 500 log returns and exact GSW 10-year zero-coupon returns, 1990-01-03..
2023-07-07 (8,351 days, shared data), in percent.

Rows against arch (Kevin Sheppard, ``pip install arch==8.0.0``):

* Politis-White block length of the correlation's influence series: ours
  (:func:`ustpull.crossasset.intervals.optimal_block_length`) vs
  ``arch.bootstrap.optimal_block_length``; error = |difference| in days.
* Stationary-bootstrap 95% interval of the correlation, 999 replicates, the same mean block
  length: ours (:class:`~ustpull.crossasset.intervals.CorrelationInterval`, all replicates in
  one array) vs ``arch.bootstrap.StationaryBootstrap.conf_int(method="percentile")``; error =
  the larger |difference| of the two end points from the HAC interval (both are random).

Ours only (no maintained Python peer): DCC-GARCH(1,1) on the two series, Bai-Perron on the 624
monthly correlations 1971-2023, the bivariate regime-switching model on 2,708 weekly returns.

Run from the repository root::

    .venv/bin/python benchmarks/bench_inference.py [--data-dir ../shared/data] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from _contract import comparison, write_rows
from ustpull.config import shared_data_dir
from ustpull.crossasset.breaks import BaiPerron
from ustpull.crossasset.dcc import DCCGarch
from ustpull.crossasset.intervals import (
    CorrelationInterval,
    correlation_influence,
    optimal_block_length,
)
from ustpull.crossasset.regimes import RegimeSwitchingCorrelation

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.crossasset._real import stock_bond_daily_returns

RESULTS = Path(__file__).parent / "results" / "inference.md"


def best_of(runs: int, action: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=shared_data_dir())
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from arch import __version__ as arch_version
    from arch.bootstrap import StationaryBootstrap
    from arch.bootstrap import optimal_block_length as arch_block_length

    all_days = stock_bond_daily_returns(args.data_dir)
    daily = all_days.loc["1990":]
    x, y = daily["sp500"].to_numpy(), daily["gsw10y"].to_numpy()
    _, psi = correlation_influence(x, y)

    ours_pw_s, ours_pw = best_of(args.runs, lambda: optimal_block_length(psi))
    peer_pw_s, peer_pw = best_of(args.runs, lambda: arch_block_length(psi))
    block = float(ours_pw[0])
    peer_block = float(peer_pw.iloc[0, 0])

    model = CorrelationInterval(daily["sp500"], daily["gsw10y"], min_blocks=1)
    ours_ci_s, ours_ci = best_of(args.runs, lambda: model.fit(replications=999))

    def peer_interval() -> np.ndarray:
        boot = StationaryBootstrap(block, x, y, seed=0)
        return boot.conf_int(
            lambda a, b: np.array([np.corrcoef(a, b)[0, 1]]), reps=999, method="percentile"
        )[:, 0]

    peer_ci_s, peer_ci = best_of(max(1, args.runs), peer_interval)
    hac = CorrelationInterval(daily["sp500"], daily["gsw10y"]).fit(method="hac")
    our_err = max(abs(ours_ci.ci_low - hac.ci_low), abs(ours_ci.ci_high - hac.ci_high))
    peer_err = max(abs(peer_ci[0] - hac.ci_low), abs(peer_ci[1] - hac.ci_high))

    dcc_s, dcc = best_of(1, lambda: DCCGarch(daily).fit())
    month = all_days.index.to_period("M")
    monthly_corr = all_days.groupby(month).apply(lambda d: d["sp500"].corr(d["gsw10y"]))
    monthly_corr.index = monthly_corr.index.to_timestamp("M")
    bp_s, bp = best_of(args.runs, lambda: BaiPerron(monthly_corr.rename("corr")).fit())
    weekly = all_days.groupby(all_days.index.to_period("W-FRI")).sum()
    weekly.index = weekly.index.to_timestamp(how="end").normalize()
    ms_s, _ = best_of(1, lambda: RegimeSwitchingCorrelation(weekly).fit())

    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores (shared)"
    dcc_a, dcc_b = dcc.params.loc[["dcc.a", "dcc.b"], "estimate"]
    table = "\n".join(
        [
            f"| task | ustpull | arch {arch_version} | ratio (arch / ours) | numbers |",
            "|---|---:|---:|---:|---|",
            f"| Politis-White block length (influence series) | {ours_pw_s * 1000:.2f} ms "
            f"| {peer_pw_s * 1000:.2f} ms | {peer_pw_s / ours_pw_s:.1f} "
            f"| ours {block:.2f} days, arch {peer_block:.2f} |",
            f"| stationary bootstrap 95% CI, 999 replicates | {ours_ci_s * 1000:.0f} ms "
            f"| {peer_ci_s * 1000:.0f} ms | {peer_ci_s / ours_ci_s:.1f} "
            f"| ours [{ours_ci.ci_low:.4f}, {ours_ci.ci_high:.4f}], "
            f"arch [{peer_ci[0]:.4f}, {peer_ci[1]:.4f}], "
            f"HAC [{hac.ci_low:.4f}, {hac.ci_high:.4f}] |",
        ]
    )
    report = f"""# Inference: intervals, breaks, regimes, DCC

Run: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, `benchmarks/bench_inference.py`, {machine},
Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__},
arch {arch_version}.

Data: {len(daily):,} daily S&P 500 and GSW 10-year returns
{daily.index[0]:%Y-%m-%d}..{daily.index[-1]:%Y-%m-%d}; correlation {ours_ci.estimate:.4f}.

{table}

Ours only (no maintained Python peer):

| task | time |
|---|---:|
| DCC-GARCH(1,1), two-step QML + sandwich errors, {len(daily):,} days | {dcc_s:.2f} s |
| Bai-Perron, up to 5 breaks, {len(monthly_corr)} monthly correlations | {bp_s * 1000:.0f} ms |
| bivariate Markov switching (EM, 2 starts, Hessian errors), {len(weekly):,} weeks | {ms_s:.2f} s |

DCC estimates: a = {dcc_a:.4f}, b = {dcc_b:.4f}.
Bai-Perron breaks: {", ".join(f"{d:%Y-%m}" for d in bp.breaks["break_date"])}.
Timings are wall clock on a machine shared with other jobs; ratios are from the same run.
"""
    RESULTS.write_text(report)
    write_rows(
        "inference",
        [
            comparison(
                f"Politis-White block length, {len(daily):,} days",
                ours_pw_s,
                f"arch {arch_version}",
                peer_pw_s,
                our_error=0.0,
                peer_error=abs(block - peer_block),
                notes="error: |block length difference| (days) from ours",
            ),
            comparison(
                f"stationary-bootstrap 95% CI of a correlation, 999 reps, {len(daily):,} days",
                ours_ci_s,
                f"arch {arch_version}",
                peer_ci_s,
                our_error=our_err,
                peer_error=peer_err,
                notes="error: max |end point - HAC end point|",
            ),
        ],
    )
    print(report)


if __name__ == "__main__":
    main()
